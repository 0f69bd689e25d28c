using System.Diagnostics;
using LeapSim.Core.Inputs;
using LeapSim.Core.Parameters;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;

namespace LeapSim.Core.Engine;

/// <summary>The options of one run.</summary>
public sealed record RunOptions
{
    public Resolution Resolution { get; init; } = Resolution.Province;
    public ulong Seed { get; init; } = 1;
    /// <summary>Years reported. The simulation always starts from the January 1957 baseline.</summary>
    public YearSpan Years { get; init; } = YearSpan.Default;
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>Simulate only these provinces (null = the whole country).</summary>
    public IReadOnlyList<string>? Provinces { get; init; }
}

/// <summary>
/// One run: a world, a resolved scenario, the modules in their declared order, and the results (Agents.jl-style:
/// build, step, run, collect). Headless: no console, no files.
/// </summary>
public sealed class Simulation
{
    private readonly Collector _collector;
    /// <summary>For tests: the month's collector.</summary>
    internal Collector Collector => _collector;
    private int _monthsDone;
    private bool _inMonth;

    /// <param name="template">The run's world built beforehand (<see cref="WorldTemplate"/>): the run takes a copy of it
    /// instead of building one. It must have been built for the same inputs, parameters and options.</param>
    public Simulation(ResolvedScenario scenario, RunOptions options, BaselineInputs? inputs = null, WorldTemplate? template = null)
    {
        Inputs = inputs ?? BaselineInputs.Embedded;
        Scenario = scenario;
        Options = options;
        Modules = ModuleCatalog.Create();
        JitWarmUp.Start(Modules);   // compiles the step on a second core while the world is built
        Parameters = ParametersOf(scenario);
        World = template is null
            ? WorldBuilder.Build(Inputs, Parameters, options.Resolution, options.Seed, options.Provinces, options.Threads)
            : template.CopyFor(WorldKey.Of(Inputs, Parameters, options));
        First = Month.Of(Month.BaseYear, 1);
        MonthCount = (options.Years.LastYear - Month.BaseYear + 1) * 12;
        Levers = new LeverTable(Modules.SelectMany(m => m.Policies), scenario.Events, First, MonthCount);
        Context = new SimContext(World, Inputs, Parameters, Levers, First, MonthCount, options.Threads);
        Results = new MonthlySeries(SeriesCatalog.All, World.Provinces.Name, First, MonthCount);
        foreach (var m in Modules) m.Initialise(Context);
        _collector = new Collector(Context, Results);
        _clearFlows = (_, a, b) => World.Units.ClearFlows(a, b);
    }

    private readonly Action<int, int, int> _clearFlows;

    /// <summary>The parameter values a run of <paramref name="scenario"/> uses: the declared defaults and the scenario's overrides.</summary>
    public static ParameterSet ParametersOf(ResolvedScenario scenario)
    {
        var parameters = ModuleCatalog.NewParameterSet();
        foreach (var o in scenario.Parameters) parameters.Set(o.Name, o.Value);
        return parameters;
    }

    public BaselineInputs Inputs { get; }
    public ResolvedScenario Scenario { get; }
    public RunOptions Options { get; }
    public IReadOnlyList<IModule> Modules { get; }
    public ParameterSet Parameters { get; }
    public SimWorld World { get; }
    public LeverTable Levers { get; }
    public SimContext Context { get; }
    public MonthlySeries Results { get; }
    public Month First { get; }
    public int MonthCount { get; }
    public int MonthsDone => _monthsDone;
    public bool Finished => _monthsDone >= MonthCount;

    /// <summary>Advances one month: events, then every module in order, then the collector.</summary>
    public void Step() => Step(null);

    /// <summary>
    /// Advances one month, adding the time of each part to <paramref name="timings"/> when given (the clearing of the
    /// flows and the levers, each module in order, the collector).
    /// </summary>
    public void Step(StepTimings? timings)
    {
        if (Finished) throw new InvalidOperationException("the run is finished");
        if (_inMonth)
            throw new InvalidOperationException("a month was interrupted part-way: the world is inconsistent (resume from a checkpoint instead)");
        _inMonth = true;
        Context.Month = new Month(First.Index + _monthsDone);
        var t0 = timings is null ? 0 : Stopwatch.GetTimestamp();
        var b0 = timings is null ? 0 : GC.GetAllocatedBytesForCurrentThread();
        Context.ForEachChunk(_clearFlows);
        World.Urban.ClearFlows();
        World.National.ClearFlows();
        Levers.Apply(_monthsDone);
        if (timings is null)
        {
            foreach (var m in Modules) m.Step(Context);
            _collector.Collect(_monthsDone);
        }
        else
        {
            var t = Stopwatch.GetTimestamp();
            var b = GC.GetAllocatedBytesForCurrentThread();
            timings.Add(0, t - t0, b - b0);
            for (var i = 0; i < Modules.Count; i++)
            {
                Modules[i].Step(Context);
                var now = Stopwatch.GetTimestamp();
                var bytes = GC.GetAllocatedBytesForCurrentThread();
                timings.Add(i + 1, now - t, bytes - b);
                t = now;
                b = bytes;
            }
            _collector.Collect(_monthsDone);
            timings.Add(Modules.Count + 1, Stopwatch.GetTimestamp() - t, GC.GetAllocatedBytesForCurrentThread() - b);
            timings.Months++;
        }
        _monthsDone++;
        _inMonth = false;
    }

    /// <summary>Sets the months done of a simulation whose state a <see cref="Checkpoint"/> has just restored.</summary>
    internal void RestoreMonthsDone(int months)
    {
        if (_monthsDone != 0 || _inMonth) throw new InvalidOperationException("only a fresh simulation can be restored");
        if (months < 0 || months > MonthCount) throw new ArgumentOutOfRangeException(nameof(months));
        _monthsDone = months;
        Context.Month = new Month(First.Index + Math.Max(0, months - 1));
    }

    /// <summary>
    /// Runs to the end, reporting each finished month (synchronously, so a caller may checkpoint in the report); stops
    /// when cancelled: between months, or part-way through a month's chunked work, after which the simulation cannot
    /// go on (its state is mid-month).
    /// </summary>
    public void Run(IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        Context.Cancellation = cancel;
        while (!Finished)
        {
            cancel.ThrowIfCancellationRequested();
            Step();
            progress?.Report(_monthsDone);
        }
    }

    public static long PeakMemoryBytes() => Process.GetCurrentProcess().PeakWorkingSet64;
}
