using System.Diagnostics;
using LeapSim.Core.Inputs;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;

namespace LeapSim.Core.Engine;

/// <summary>What <see cref="StepBenchmark.Measure"/> found.</summary>
public sealed record StepBenchmarkResult
{
    public required int Units { get; init; }
    public required int Months { get; init; }
    public required int Threads { get; init; }
    /// <summary>Wall time of the warm-up run (0 when there was none), seconds.</summary>
    public double WarmUpSeconds { get; init; }
    /// <summary>The province of the warm-up run (null when there was none).</summary>
    public string? WarmUpProvince { get; init; }
    public required double BuildSeconds { get; init; }
    /// <summary>Wall time of all the monthly steps (modules and collector), seconds.</summary>
    public required double StepSeconds { get; init; }
    public double SecondsPerMonth => StepSeconds / Months;
    /// <summary>Processor time of the whole process while the months ran (all threads), seconds: on a shared machine
    /// it shows how much of the wall time was this run's own work.</summary>
    public required double StepCpuSeconds { get; init; }
    /// <summary>Rural units stepped per second (team-months per second at team resolution).</summary>
    public double UnitMonthsPerSecond => (double)Units * Months / StepSeconds;
    /// <summary>Bytes of the unit table's columns, every one of which a month reads or writes at least once.</summary>
    public required long BytesPerMonth { get; init; }
    public double BytesPerUnit => (double)BytesPerMonth / Units;
    /// <summary>The memory floor: the fastest of several copies of every column into a scratch array (the same bytes read
    /// once and written once), on the same threads, seconds.</summary>
    public required double FloorSeconds { get; init; }
    /// <summary>Time of a month over the floor: the figure to drive down.</summary>
    public double FloorRatio => SecondsPerMonth / FloorSeconds;
    /// <summary>Bytes allocated on the managed heap while the months ran (all threads), and the collections they caused.</summary>
    public required long AllocatedBytes { get; init; }
    public required int Gen0Collections { get; init; }
    public required int Gen2Collections { get; init; }
    /// <summary>Time of each part of a month (<see cref="StepTimings"/>), seconds per month, and the bytes it allocated
    /// a month on the stepping thread.</summary>
    public required IReadOnlyList<(string Part, double SecondsPerMonth, double BytesPerMonth)> Parts { get; init; }
}

/// <summary>
/// The cost of the monthly step, measured in one process: warm up (below), build the world, run every month with
/// each module timed, count the allocations of the monthly loop, then time the memory floor — streaming the same bytes once by copying
/// every column of the unit table into a scratch array with the same chunks and threads — and divide.
/// </summary>
public static class StepBenchmark
{
    /// <summary>Copies of the state taken for the floor; the fastest counts.</summary>
    public const int FloorRepeats = 5;

    /// <param name="warmUp">Run the warm-up first (false: measure from a cold JIT, as a plain run is).</param>
    public static StepBenchmarkResult Measure(ResolvedScenario scenario, RunOptions options, BaselineInputs? inputs = null,
        CancellationToken cancel = default, bool warmUp = true)
    {
        // The steady-state step is what is measured, as BenchmarkDotNet would: first the same scenario, resolution and
        // threads on the largest province alone for 1957-1958, so that the JIT has compiled every module's code before
        // the clock starts. Without it, the first months of a 2-thread run pay for tier-0 code and background
        // compilation on both cores (state_grain 9.4 against 5.5 ms a month over a brigade 1957-1958 run).
        var clock = Stopwatch.StartNew();
        string? warmProvince = null;
        if (warmUp)
        {
            var provinces = (inputs ?? BaselineInputs.Embedded).Provinces
                .Where(p => options.Provinces is null || options.Provinces.Contains(p.Name, StringComparer.OrdinalIgnoreCase));
            warmProvince = provinces.MaxBy(p => p.Population1957M)?.Name;
            if (warmProvince is not null)
            {
                var small = new Simulation(scenario, options with { Provinces = [warmProvince], Years = new YearSpan(Month.BaseYear, Month.BaseYear + 1) }, inputs);
                small.Context.Cancellation = cancel;
                while (!small.Finished) small.Step();
            }
        }
        var warmSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var sim = new Simulation(scenario, options, inputs);
        var build = clock.Elapsed.TotalSeconds;
        sim.Context.Cancellation = cancel;
        var timings = new StepTimings(sim.Modules);

        GC.Collect();
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = CpuSeconds();
        clock.Restart();
        while (!sim.Finished)
        {
            cancel.ThrowIfCancellationRequested();
            sim.Step(timings);
        }
        var steps = clock.Elapsed.TotalSeconds;
        cpu = CpuSeconds() - cpu;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        gen0 = GC.CollectionCount(0) - gen0;
        gen2 = GC.CollectionCount(2) - gen2;

        var floor = Floor(sim.Context, cancel);
        return new StepBenchmarkResult
        {
            Units = sim.World.Units.Count,
            Months = sim.MonthCount,
            Threads = sim.Context.Threads,
            WarmUpSeconds = warmSeconds,
            WarmUpProvince = warmProvince,
            BuildSeconds = build,
            StepSeconds = steps,
            StepCpuSeconds = cpu,
            BytesPerMonth = sim.World.Units.BytesOfState,
            FloorSeconds = floor,
            AllocatedBytes = allocated,
            Gen0Collections = gen0,
            Gen2Collections = gen2,
            Parts = timings.Names.Select((n, i) => (n, timings.Seconds(i) / timings.Months, (double)timings.AllocatedBytes(i) / timings.Months)).ToList(),
        };
    }

    private static double CpuSeconds()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>
    /// The fastest of <see cref="FloorRepeats"/> passes that copy every column of the unit table (floats and ints)
    /// into a scratch array of the largest column's size, chunk by chunk on the run's threads.
    /// </summary>
    public static double Floor(SimContext ctx, CancellationToken cancel = default)
    {
        var units = ctx.Units;
        var columns = units.FloatColumns.ToArray();
        var ints = units.IdentityColumns.ToArray();
        var scratch = new float[columns.Max(c => c.Length)];
        Memory.Prefault.Map(scratch); // mapped as the table's columns are, so that no repeat pays page faults
        var best = double.MaxValue;
        var clock = new Stopwatch();
        // Each chunk copies its own units' slice of every column (the same slices in the scratch array).
        void Body(int chunk, int a, int b)
        {
            foreach (var col in columns)
            {
                var w = col.Length / Math.Max(1, units.Count);
                col.AsSpan(a * w, (b - a) * w).CopyTo(scratch.AsSpan(a * w, (b - a) * w));
            }
            foreach (var col in ints)
                col.AsSpan(a, b - a).CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(scratch.AsSpan(a, b - a)));
        }
        for (var r = 0; r < FloorRepeats; r++)
        {
            cancel.ThrowIfCancellationRequested();
            clock.Restart();
            ctx.ForEachChunk(Body);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}
