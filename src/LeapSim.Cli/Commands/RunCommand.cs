using System.CommandLine;
using System.Diagnostics;
using LeapSim.Cli.Output;
using LeapSim.Core.Engine;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using Spectre.Console;
using Table = LeapSim.Core.Results.Table;

namespace LeapSim.Cli.Commands;

/// <summary>`leapsim run`: one simulation, written to a folder of CSV and Parquet tables and run.json.</summary>
public static class RunCommand
{
    public static Command Create(CliContext ctx)
    {
        var common = new CommonOptions();
        var output = new Option<string?>("--out", "-o") { Description = "output folder (default out/<scenario>)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress and no summary" };
        var every = new Option<string?>("--checkpoint-every") { Description = "save the run's state every so many months, so that 'leapsim resume' can continue it" };
        var checkpointDir = new Option<string?>("--checkpoint-dir") { Description = "folder for the checkpoint (default: <out>.checkpoint)" };
        var runs = new Option<string>("--runs") { Description = "an ensemble: run seeds --seed to --seed + N - 1 in parallel and write their mean and quantiles", DefaultValueFactory = _ => "1" };
        var cmd = new Command("run", "Run one simulation and write its results (CSV, Parquet, run.json)");
        common.AddTo(cmd);
        cmd.Add(output);
        cmd.Add(quiet);
        cmd.Add(every);
        cmd.Add(checkpointDir);
        cmd.Add(runs);
        cmd.SetAction(p =>
        {
            var options = common.Parse(p);
            var scenario = common.ResolveScenario(p);
            var outDir = p.GetValue(output) ?? Path.Combine("out", scenario.Name);
            var n = ExperimentOptions.ParseRuns(p.GetValue(runs)!);
            if (n > 1)
            {
                if (p.GetValue(every) is not null || p.GetValue(checkpointDir) is not null)
                    throw new InputException(new SourceLocation("<command line>", 0, "--checkpoint-every"), "an ensemble (--runs > 1) is not checkpointed; run it again to redo it");
                var inputs = common.LoadInputs(p);
                MemoryCheck.Require(inputs.Baseline, scenario, options with { Threads = 1 }, common.MemoryBudget(p) / Math.Min(n, Environment.ProcessorCount));
                return EnsembleRun.Execute(ctx, scenario, options, n, outDir, p.GetValue(quiet), inputs);
            }
            var plan = new RunPlan
            {
                Inputs = common.LoadInputs(p),
                CheckpointEvery = ParseEvery(p.GetValue(every), p.GetValue(checkpointDir)),
                CheckpointFolder = p.GetValue(checkpointDir),
                CommandLine = ctx.Args,
            };
            MemoryCheck.Require(plan.Inputs.Baseline, scenario, options, common.MemoryBudget(p));
            return Execute(ctx, scenario, options, outDir, p.GetValue(quiet), plan);
        });
        return cmd;
    }

    private static int ParseEvery(string? text, string? folder)
    {
        if (text is null)
            return folder is null ? 0 : throw new InputException(new SourceLocation("<command line>", 0, "--checkpoint-dir"), "give --checkpoint-every too");
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) || m < 1 || m > 1200)
            throw new InputException(new SourceLocation("<command line>", 0, "--checkpoint-every"), $"'{text}' is not a number of months from 1 to 1200");
        return m;
    }

    public static int Execute(CliContext ctx, ResolvedScenario scenario, RunOptions options, string outDir, bool quiet, RunPlan? plan = null)
    {
        plan ??= new RunPlan { Inputs = RunInputs.Load(null), CommandLine = ctx.Args };
        var parent = Path.GetDirectoryName(Path.GetFullPath(outDir));
        if (!string.IsNullOrEmpty(parent) && Directory.Exists(parent)) AtomicDirectory.CleanStale(parent);
        var sim = new Simulation(scenario, options, plan.Inputs.Baseline);
        return Continue(ctx, sim, outDir, quiet, plan);
    }

    /// <summary>Runs <paramref name="sim"/> (fresh or resumed) to the end, checkpointing as planned, and writes the output.</summary>
    internal static int Continue(CliContext ctx, Simulation sim, string outDir, bool quiet, RunPlan plan)
    {
        var clock = Stopwatch.StartNew();
        var options = sim.Options;
        var scenario = sim.Scenario;
        var checkpoints = plan.Checkpointer(scenario, options, outDir);
        if (checkpoints is not null && Directory.Exists(checkpoints.Folder))
        {
            AtomicDirectory.CleanStale(checkpoints.Folder);
            if (plan.ResumedAt == 0 && File.Exists(checkpoints.FilePath))
                ctx.Error.WriteLine($"leapsim: note: replacing the checkpoint of an earlier run in {checkpoints.Folder} (to continue that run instead: leapsim resume {checkpoints.Folder})");
        }
        try
        {
            RunWithProgress(ctx, sim, quiet, checkpoints);
        }
        catch (OperationCanceledException e) when (e is not RunInterruptedException)
        {
            throw new RunInterruptedException(checkpoints?.InterruptedNote(sim)
                ?? $"interrupted in {new Core.Time.Month(sim.First.Index + sim.MonthsDone)}; nothing was kept (run with --checkpoint-every to make a run resumable)", e);
        }

        var info = new RunInfo
        {
            ScenarioName = scenario.Name,
            ScenarioChain = scenario.Chain,
            Seed = options.Seed,
            Resolution = options.Resolution.ToString().ToLowerInvariant(),
            Years = options.Years.YearCount,
            Threads = options.Threads,
            WallTimeSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
            PeakMemoryMb = Math.Round(RunInfo.CurrentPeakMemoryMb(), 1),
            StartedUtc = plan.StartedUtc,
            CommandLine = plan.CommandLine,
            ChangedParameters = sim.Parameters.Changed().ToDictionary(c => c.Info.Name, c => c.Value),
        };
        var tables = Tables(sim, options.Years.FirstYear);
        WriteOutputs(outDir, tables, info, ReportSource.Of(sim));
        checkpoints?.Complete();
        if (!quiet) PrintSummary(ctx, tables[0], outDir, info);
        return Cli.Ok;
    }

    public static IReadOnlyList<Table> Tables(Simulation sim, int firstYear) => OutputTables.All(sim.Results, firstYear);

    /// <summary>Writes every table as CSV and Parquet plus run.json (and report.html when <paramref name="report"/> is given) into a hidden folder, then renames it into place.</summary>
    public static void WriteOutputs(string outDir, IReadOnlyList<Table> tables, RunInfo info, ReportSource? report = null)
    {
        using var dir = AtomicDirectory.Begin(outDir);
        foreach (var t in tables) TableFiles.Write(dir, t);
        using (var s = File.Create(dir.PathFor("run.json"))) RunInfo.Write(info, s);
        if (report is not null) RunReport.Write(dir.PathFor(RunReport.FileName), tables, info, report);
        dir.Commit();
    }

    private static void RunWithProgress(CliContext ctx, Simulation sim, bool quiet, Checkpointer? checkpoints)
    {
        // Checkpoints are written on the simulation's thread, between months, before the progress is shown.
        IProgress<int>? With(IProgress<int>? progress) => checkpoints is null ? progress
            : new SyncProgress(m => { checkpoints.AfterMonth(sim); progress?.Report(m); });
        if (quiet)
        {
            sim.Run(With(null), ctx.Cancel);
            return;
        }
        if (ctx.Interactive)
        {
            AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(p =>
                {
                    var task = p.AddTask($"{sim.Scenario.Name} ({sim.Options.Resolution.ToString().ToLowerInvariant()}, {sim.World.Units.Count:N0} units)", maxValue: sim.MonthCount);
                    sim.Run(With(new Progress<int>(m => task.Value = m)), ctx.Cancel);
                    task.Value = sim.MonthCount;
                });
            return;
        }
        ctx.Out.WriteLine($"running {sim.Scenario.Name} at {sim.Options.Resolution.ToString().ToLowerInvariant()} resolution: {sim.World.Units.Count} rural units, seed {sim.Options.Seed}");
        var lastYear = 0;
        sim.Run(With(new SyncProgress(m =>
        {
            var year = sim.First.Year + (m - 1) / 12;
            if (m % 12 == 0 && year != lastYear) { ctx.Out.WriteLine($"  {year} done"); lastYear = year; }
        })), ctx.Cancel);
    }

    private static void PrintSummary(CliContext ctx, Table national, string outDir, RunInfo info)
    {
        string F(string col, int row, string fmt) => national[col].Numbers![row].ToString(fmt, System.Globalization.CultureInfo.InvariantCulture);
        var cols = new[] { ("population_yearend_m", "pop (M)", "F1"), ("crude_death_rate_permille", "CDR true ‰", "F1"), ("crude_death_rate_registered_permille", "CDR reg ‰", "F1"), ("crude_birth_rate_permille", "CBR ‰", "F1"), ("grain_output_mt", "grain Mt", "F1"), ("grain_reported_mt", "reported Mt", "F1"), ("procurement_mt", "procured Mt", "F1"), ("rural_food_per_capita_kg", "rural food kg", "F0"), ("steel_output_mt", "steel Mt", "F2"), ("industrial_output_index", "industry", "F0") };
        var years = national["year"].Integers!;
        var lines = new List<string> { string.Join("  ", new[] { "year" }.Concat(cols.Select(c => c.Item2))) };
        for (var r = 0; r < national.RowCount; r++)
            lines.Add(string.Join("  ", new[] { years[r].ToString(System.Globalization.CultureInfo.InvariantCulture).PadRight(4) }
                .Concat(cols.Select(c => F(c.Item1, r, c.Item3).PadLeft(c.Item2.Length)))));
        foreach (var l in lines) ctx.Out.WriteLine(l);
        ctx.Out.WriteLine($"wrote {Path.GetFullPath(outDir)} in {info.WallTimeSeconds:F1} s (peak memory {info.PeakMemoryMb:F0} MB)");
    }

    /// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
