using System.Diagnostics;
using LeapSim.Cli.Output;
using LeapSim.Core.Engine;
using LeapSim.Core.Experiments;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using Table = LeapSim.Core.Results.Table;

namespace LeapSim.Cli.Commands;

/// <summary>
/// `leapsim run --runs N`: N seeds of one scenario in parallel. The folder gets national.csv and provinces.csv (the
/// mean of the runs, same columns as a single run's, so `leapsim plot` reads it), national_quantiles.csv and
/// provinces_quantiles.csv (q05, q50, q95 of every number), each run's own tables under runs/seed-N/, and run.json.
/// </summary>
public static class EnsembleRun
{
    public static int Execute(CliContext ctx, ResolvedScenario scenario, RunOptions options, int runs, string outDir, bool quiet, RunInputs inputs)
    {
        if (options.Seed > ulong.MaxValue - (ulong)runs)
            throw new InputException(new SourceLocation("<command line>", 0, "--seed"), $"seed {options.Seed} + {runs} runs overflows");
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var parent = Path.GetDirectoryName(Path.GetFullPath(outDir));
        if (!string.IsNullOrEmpty(parent) && Directory.Exists(parent)) AtomicDirectory.CleanStale(parent);
        using var dir = AtomicDirectory.Begin(outDir);
        var jobs = Enumerable.Range(0, runs).Select(i => new RunJob(scenario, options with { Seed = options.Seed + (ulong)i })).ToList();
        var gate = new object();
        Ensemble? ensemble = null;
        IReadOnlyDictionary<string, double>? changed = null;
        if (!quiet) ctx.Out.WriteLine($"running {scenario.Name} at {options.Resolution.Name()} resolution: {runs} runs, seeds {options.Seed} to {options.Seed + (ulong)runs - 1}");
        try
        {
            RunBatch.Run(jobs, (i, sim) =>
            {
                IReadOnlyList<Table> tables = [OutputTables.National(sim.Results, options.Years.FirstYear), OutputTables.Provinces(sim.Results, options.Years.FirstYear)];
                foreach (var t in tables) TableFiles.Write(dir, t, parquet: false, Path.Combine("runs", $"seed-{sim.Options.Seed}"));
                lock (gate)
                {
                    ensemble ??= new Ensemble(tables, runs, dir.PathFor(".ensemble-values.bin"));
                    changed ??= sim.Parameters.Changed().ToDictionary(c => c.Info.Name, c => c.Value);
                }
                ensemble.Add(i, tables);
            }, options.Threads, inputs.Baseline, new BatchProgress(ctx, scenario.Name, runs, quiet), ctx.Cancel);
            var (means, quantiles) = ensemble!.Finish();
            ensemble.Dispose();
            foreach (var t in means.Concat(quantiles)) TableFiles.Write(dir, t);
        }
        finally
        {
            ensemble?.Dispose();
        }
        var info = new RunInfo
        {
            ScenarioName = scenario.Name,
            ScenarioChain = scenario.Chain,
            Seed = options.Seed,
            Runs = runs,
            Resolution = options.Resolution.Name(),
            Years = options.Years.YearCount,
            Threads = options.Threads,
            WallTimeSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
            PeakMemoryMb = Math.Round(RunInfo.CurrentPeakMemoryMb(), 1),
            StartedUtc = started,
            CommandLine = ctx.Args,
            ChangedParameters = changed ?? new Dictionary<string, double>(),
        };
        using (var s = File.Create(dir.PathFor("run.json"))) RunInfo.Write(info, s);
        dir.Commit();
        if (!quiet) ctx.Out.WriteLine($"wrote {Path.GetFullPath(outDir)}: mean and quantiles of {runs} runs in {info.WallTimeSeconds:F1} s (peak memory {info.PeakMemoryMb:F0} MB)");
        return Cli.Ok;
    }
}
