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
        var cmd = new Command("run", "Run one simulation and write its results (CSV, Parquet, run.json)");
        common.AddTo(cmd);
        cmd.Add(output);
        cmd.Add(quiet);
        cmd.SetAction(p =>
        {
            var options = common.Parse(p);
            var scenario = common.ResolveScenario(p);
            var outDir = p.GetValue(output) ?? Path.Combine("out", scenario.Name);
            return Execute(ctx, scenario, options, outDir, p.GetValue(quiet));
        });
        return cmd;
    }

    public static int Execute(CliContext ctx, ResolvedScenario scenario, RunOptions options, string outDir, bool quiet)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var parent = Path.GetDirectoryName(Path.GetFullPath(outDir));
        if (!string.IsNullOrEmpty(parent) && Directory.Exists(parent)) AtomicDirectory.CleanStale(parent);

        var sim = new Simulation(scenario, options);
        RunWithProgress(ctx, sim, quiet);

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
            StartedUtc = started,
            CommandLine = ctx.Args,
            ChangedParameters = sim.Parameters.Changed().ToDictionary(c => c.Info.Name, c => c.Value),
        };
        var tables = Tables(sim, options.Years.FirstYear);
        WriteOutputs(outDir, tables, info, ReportSource.Of(sim));
        if (!quiet) PrintSummary(ctx, tables[0], outDir, info);
        return Cli.Ok;
    }

    public static IReadOnlyList<Table> Tables(Simulation sim, int firstYear) =>
    [
        OutputTables.National(sim.Results, firstYear),
        OutputTables.NationalMonthly(sim.Results, firstYear),
        OutputTables.Provinces(sim.Results, firstYear),
    ];

    /// <summary>Writes every table as CSV and Parquet plus run.json (and report.html when <paramref name="report"/> is given) into a hidden folder, then renames it into place.</summary>
    public static void WriteOutputs(string outDir, IReadOnlyList<Table> tables, RunInfo info, ReportSource? report = null)
    {
        using var dir = AtomicDirectory.Begin(outDir);
        foreach (var t in tables)
        {
            using (var s = File.Create(dir.PathFor(t.Name + ".csv"))) CsvTableWriter.Write(t, s);
            using (var s = File.Create(dir.PathFor(t.Name + ".parquet"))) ParquetTableWriter.WriteAsync(t, s).GetAwaiter().GetResult();
        }
        using (var s = File.Create(dir.PathFor("run.json"))) RunInfo.Write(info, s);
        if (report is not null) RunReport.Write(dir.PathFor(RunReport.FileName), tables, info, report);
        dir.Commit();
    }

    private static void RunWithProgress(CliContext ctx, Simulation sim, bool quiet)
    {
        if (quiet)
        {
            sim.Run(null, ctx.Cancel);
            return;
        }
        if (ctx.Interactive)
        {
            AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(p =>
                {
                    var task = p.AddTask($"{sim.Scenario.Name} ({sim.Options.Resolution.ToString().ToLowerInvariant()}, {sim.World.Units.Count:N0} units)", maxValue: sim.MonthCount);
                    sim.Run(new Progress<int>(m => task.Value = m), ctx.Cancel);
                    task.Value = sim.MonthCount;
                });
            return;
        }
        ctx.Out.WriteLine($"running {sim.Scenario.Name} at {sim.Options.Resolution.ToString().ToLowerInvariant()} resolution: {sim.World.Units.Count} rural units, seed {sim.Options.Seed}");
        var lastYear = 0;
        sim.Run(new SyncProgress(m =>
        {
            var year = sim.First.Year + (m - 1) / 12;
            if (m % 12 == 0 && year != lastYear) { ctx.Out.WriteLine($"  {year} done"); lastYear = year; }
        }), ctx.Cancel);
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
