using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;

namespace LeapSim.Core.Experiments;

/// <summary>A yearly outcome that comparisons report: a column of national.csv and how years add up.</summary>
public sealed record ComparedOutcome(string Name, string Column, string Unit, bool Additive);

/// <summary>
/// Scenario A against scenario B on the same seeds (common random numbers: run i of A and run i of B share the seed,
/// so every random draw not touched by the difference between them is the same). For every outcome and year, and
/// for a window of years and the whole span: the mean of A, of B and of the difference A − B over the runs; the 90 %
/// interval of the mean difference (Student's t over the paired differences); the 5th, 50th and 95th percentiles of
/// the paired differences A_i − B_i; and, to show what the common random numbers buy, the same two intervals as if
/// the scenarios had been run on different seeds: Welch's interval of the difference of the two means, and the 5th
/// and 95th percentiles of unpaired differences A_i − B_j (i ≠ j).
/// </summary>
public static class Comparison
{
    public static readonly IReadOnlyList<ComparedOutcome> Outcomes =
    [
        new("deaths", "deaths_m", "million", true),
        new("births", "births_m", "million", true),
        new("grain_output", "grain_output_mt", "Mt", true),
        new("procurement", "procurement_mt", "Mt", true),
        new("national_output", "national_output_index", "index points (1957 = 100)", true),
    ];

    /// <summary>Unpaired differences used at most (pairs i, i + k for k = 1, 2, … cycling over the runs).</summary>
    public const int MaxUnpairedPairs = 200_000;

    public sealed record Options(RunOptions Run, int Runs, int WindowFirst = 1958, int WindowLast = 1961, int Parallelism = 0);

    /// <summary>values[outcome][run][year] of one scenario, from its runs' national tables.</summary>
    public sealed record Sample(string Scenario, int[] Years, double[][][] Values);

    public static (Sample A, Sample B) Run(ResolvedScenario a, ResolvedScenario b, Options o, BaselineInputs? inputs = null,
        IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        var first = o.Run.Years.FirstYear;
        var years = Enumerable.Range(first, o.Run.Years.LastYear - first + 1).ToArray();
        var jobs = new List<RunJob>();
        for (var i = 0; i < o.Runs; i++)
        {
            var options = o.Run with { Seed = o.Run.Seed + (ulong)i };
            jobs.Add(new RunJob(a, options));
            jobs.Add(new RunJob(b, options));
        }
        var samples = new[] { NewValues(o.Runs), NewValues(o.Runs) };
        RunBatch.Run(jobs, (j, sim) =>
        {
            var table = OutputTables.National(sim.Results, first);
            for (var k = 0; k < Outcomes.Count; k++) samples[j % 2][k][j / 2] = table[Outcomes[k].Column].Numbers!;
        }, o.Parallelism, inputs, progress, cancel);
        return (new Sample(a.Name, years, samples[0]), new Sample(b.Name, years, samples[1]));
    }

    private static double[][][] NewValues(int runs) => Outcomes.Select(_ => new double[runs][]).ToArray();

    /// <summary>
    /// The comparison table: one row per outcome and period (each year, then "FIRST-LAST" of the window, then
    /// "total" over all the years reported). A period's value is the sum over its years.
    /// </summary>
    public static Table Summarise(Sample a, Sample b, int windowFirst, int windowLast)
    {
        var years = a.Years;
        var periods = years.Select(y => (Label: y.ToString(System.Globalization.CultureInfo.InvariantCulture), From: y, To: y)).ToList();
        if (windowFirst >= years[0] && windowLast <= years[^1] && (windowFirst != years[0] || windowLast != years[^1]))
            periods.Add(($"{windowFirst}-{windowLast}", windowFirst, windowLast));
        periods.Add(("total", years[0], years[^1]));

        var rows = new List<(string Outcome, string Unit, string Period, double[] Values)>();
        for (var k = 0; k < Outcomes.Count; k++)
            foreach (var (label, from, to) in periods)
            {
                double[] Sum(double[][] runs) => runs.Select(r => Enumerable.Range(from - years[0], to - from + 1).Sum(y => r[y])).ToArray();
                var av = Sum(a.Values[k]);
                var bv = Sum(b.Values[k]);
                var paired = av.Zip(bv, (x, y) => x - y).ToArray();
                var unpaired = Unpaired(av, bv);
                var (lo, hi) = Statistics.MeanInterval(paired);
                var (ulo, uhi) = Statistics.UnpairedMeanDifferenceInterval(av, bv);
                var ps = Statistics.Summarise(paired);
                rows.Add((Outcomes[k].Name, Outcomes[k].Unit, label,
                [
                    Statistics.Mean(av), Statistics.Mean(bv), ps.Mean, lo, hi, ulo, uhi, ps.Q05, ps.Q50, ps.Q95,
                    unpaired.Length > 0 ? Statistics.Quantile(unpaired, 0.05) : double.NaN,
                    unpaired.Length > 0 ? Statistics.Quantile(unpaired, 0.95) : double.NaN,
                ]));
            }
        string[] names = ["a_mean", "b_mean", "difference_mean", "difference_mean_ci90_low", "difference_mean_ci90_high",
            "difference_mean_ci90_low_unpaired", "difference_mean_ci90_high_unpaired", "difference_q05", "difference_q50", "difference_q95", "difference_q05_unpaired", "difference_q95_unpaired"];
        var columns = new List<Column>
        {
            Column.Of("outcome", rows.Select(r => r.Outcome).ToArray()),
            Column.Of("unit", rows.Select(r => r.Unit).ToArray()),
            Column.Of("period", rows.Select(r => r.Period).ToArray()),
        };
        for (var c = 0; c < names.Length; c++) columns.Add(Column.Of(names[c], rows.Select(r => r.Values[c]).ToArray()));
        return new Table("comparison", columns);
    }

    /// <summary>Differences a_i − b_j for i ≠ j: all of them for small samples, the pairs (i, i + k mod n) for k = 1, 2, … up to <see cref="MaxUnpairedPairs"/>.</summary>
    public static double[] Unpaired(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var n = a.Count;
        if (n < 2) return [];
        var shifts = Math.Min(n - 1, Math.Max(1, MaxUnpairedPairs / n));
        var result = new double[shifts * n];
        for (var k = 1; k <= shifts; k++)
            for (var i = 0; i < n; i++)
                result[(k - 1) * n + i] = a[i] - b[(i + k) % n];
        return result;
    }
}
