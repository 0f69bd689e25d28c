using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Core.Calibration;

/// <summary>One row of the scorecard: a target, its simulated mean over the runs, the band, and whether it is in it.</summary>
public sealed record ScoreRow(string Id, string Quantity, string Unit, double Simulated, double StdDev, double Low, double High, double Value)
{
    public bool Pass => Simulated >= Low && Simulated <= High;

    /// <summary>Distance from the target value in half-widths of the band (0 = on target, 1 = at the edge).</summary>
    public double Miss => (Simulated - Value) / Math.Max(1e-12, (High - Low) / 2);
}

/// <summary>
/// Runs the historical scenario and its no-Leap counterfactual on the same seeds (common random numbers) and scores
/// the mean of each target over the runs. Runs go in parallel, one thread each.
/// </summary>
public static class Validation
{
    public sealed record Options(Resolution Resolution, int Runs, ulong FirstSeed = 1, int Threads = 0);

    public static IReadOnlyList<ScoreRow> Score(ResolvedScenario historical, ResolvedScenario counterfactual, Options o,
        IReadOnlyList<Target>? targets = null, CancellationToken cancel = default)
    {
        targets ??= Targets.Load();
        var values = new Dictionary<string, double>[o.Runs];
        var threads = o.Threads > 0 ? o.Threads : Environment.ProcessorCount;
        var jobs = Enumerable.Range(0, o.Runs).SelectMany(i => new[] { (i, true), (i, false) }).ToArray();
        var results = new Results.MonthlySeries?[o.Runs, 2];
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel }, job =>
        {
            var (i, isHistorical) = job;
            var sim = new Simulation(isHistorical ? historical : counterfactual,
                new RunOptions { Resolution = o.Resolution, Seed = o.FirstSeed + (ulong)i, Threads = 1 });
            sim.Run(null, cancel);
            results[i, isHistorical ? 0 : 1] = sim.Results;
        });
        for (var i = 0; i < o.Runs; i++)
        {
            values[i] = new Dictionary<string, double>(Targets.Measure(results[i, 0]!, results[i, 1]!, targets));
            results[i, 0] = results[i, 1] = null;
        }
        return targets.Select(t =>
        {
            var xs = values.Select(v => v[t.Id]).ToArray();
            var mean = xs.Average();
            var sd = xs.Length > 1 ? Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1)) : 0;
            return new ScoreRow(t.Id, t.Quantity, t.Unit, mean, sd, t.Low, t.High, t.Value);
        }).ToList();
    }
}
