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

    /// <summary>
    /// values[outcome][run][year] of one scenario, from its runs' national tables; <paramref name="ProvinceDeaths"/>:
    /// deaths (million) [run][province][year], the provinces in <paramref name="Provinces"/>' order.
    /// </summary>
    public sealed record Sample(string Scenario, int[] Years, double[][][] Values, IReadOnlyList<string> Provinces, double[][][] ProvinceDeaths);

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
        var provinceDeaths = new[] { new double[o.Runs][][], new double[o.Runs][][] };
        IReadOnlyList<string> provinces = [];
        RunBatch.Run(jobs, (j, sim) =>
        {
            var table = OutputTables.National(sim.Results, first);
            for (var k = 0; k < Outcomes.Count; k++) samples[j % 2][k][j / 2] = table[Outcomes[k].Column].Numbers!;
            // provinces.csv's deaths_m, whose rows run province by province within each year.
            var deaths = OutputTables.Provinces(sim.Results, first)["deaths_m"].Numbers!;
            var np = sim.Results.Provinces.Count;
            provinceDeaths[j % 2][j / 2] = Enumerable.Range(0, np)
                .Select(p => Enumerable.Range(0, years.Length).Select(y => deaths[y * np + p]).ToArray()).ToArray();
            provinces = sim.Results.Provinces; // the same world in every run
        }, o.Parallelism, inputs, progress, cancel);
        return (new Sample(a.Name, years, samples[0], provinces, provinceDeaths[0]), new Sample(b.Name, years, samples[1], provinces, provinceDeaths[1]));
    }

    /// <summary>
    /// Deaths by province over the window <paramref name="windowFirst"/>-<paramref name="windowLast"/>: the mean of A, of
    /// B and of the paired difference A − B over the runs (million), its 90 % interval (Student's t over the paired
    /// differences), and the difference per 1,000 of the province's 1957 population (<paramref name="provinces"/>,
    /// provinces_1957.csv), beside that population and the province's 1957 grain output per head, so that the pattern
    /// of a counterfactual's deaths across provinces can be set against the provinces' 1957 food (Meng, Qian &amp; Yared
    /// 2015) in one table. One row per province, in the world's order.
    /// </summary>
    public static Table SummariseProvinces(Sample a, Sample b, int windowFirst, int windowLast, IReadOnlyList<Inputs.ProvinceInput> provinces)
    {
        var from = windowFirst - a.Years[0];
        var count = windowLast - windowFirst + 1;
        if (from < 0 || windowLast > a.Years[^1] || count < 1)
            throw new ArgumentOutOfRangeException(nameof(windowFirst), $"the window {windowFirst}-{windowLast} is not within {a.Years[0]}-{a.Years[^1]}");
        var byName = provinces.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var n = a.Provinces.Count;
        var aMean = new double[n];
        var bMean = new double[n];
        var diff = new double[n];
        var low = new double[n];
        var high = new double[n];
        var perThousand = new double[n];
        var population = new double[n];
        var grain = new double[n];
        for (var p = 0; p < n; p++)
        {
            double[] Window(double[][][] deaths) => deaths.Select(run => run[p].Skip(from).Take(count).Sum()).ToArray();
            var av = Window(a.ProvinceDeaths);
            var bv = Window(b.ProvinceDeaths);
            var paired = av.Zip(bv, (x, y) => x - y).ToArray();
            aMean[p] = Statistics.Mean(av);
            bMean[p] = Statistics.Mean(bv);
            diff[p] = Statistics.Mean(paired);
            (low[p], high[p]) = Statistics.MeanInterval(paired);
            var input = byName.GetValueOrDefault(a.Provinces[p]);
            population[p] = input?.Population1957M ?? double.NaN;
            grain[p] = input?.GrainPerCapita1957Kg ?? double.NaN;
            perThousand[p] = population[p] > 0 ? 1000 * diff[p] / population[p] : double.NaN;
        }
        var period = $"{windowFirst}-{windowLast}";
        return new Table("comparison_provinces",
        [
            Column.Of("province", a.Provinces.ToArray()),
            Column.Of("period", Enumerable.Repeat(period, n).ToArray()),
            Column.Of("a_deaths_m", aMean),
            Column.Of("b_deaths_m", bMean),
            Column.Of("difference_m", diff),
            Column.Of("difference_ci90_low_m", low),
            Column.Of("difference_ci90_high_m", high),
            Column.Of("difference_per_1000_of_1957_population", perThousand),
            Column.Of("population_1957_m", population),
            Column.Of("grain_per_capita_1957_kg", grain),
        ]);
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
