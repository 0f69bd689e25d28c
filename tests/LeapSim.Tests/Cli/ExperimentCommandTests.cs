using System.Globalization;
using LeapSim.Cli.Output;
using LeapSim.Core.Results;
using LeapSim.Tests.Output;
using Xunit;

namespace LeapSim.Tests.Cli;

/// <summary>The experiment commands end to end on a small world (two provinces, province resolution).</summary>
public sealed class ExperimentRuns : IDisposable
{
    public static readonly string[] World = ["--provinces", "Ningxia,Qinghai", "--resolution", "province"];

    public ExperimentRuns()
    {
        Ensemble = CliHarness.Run(["run", .. World, "--runs", "3", "--years", "1957-1960", "--out", Folder["ensemble"], "--quiet"]);
        Compare = CliHarness.Run(["compare", "default", "no-leap", .. World, "--runs", "4", "--years", "1957-1962", "--out", Folder["compare"]]);
        Attribute = CliHarness.Run(["attribute", .. World, "--runs", "2", "--switches", "halls=no-dining-halls,weather=normal-weather", "--rest", "none", "--out", Folder["attribution"]]);
    }

    internal TempFolder Folder { get; } = new();
    internal CliHarness.Result Ensemble { get; }
    internal CliHarness.Result Compare { get; }
    internal CliHarness.Result Attribute { get; }

    public void Dispose() => Folder.Dispose();
}

public sealed class ExperimentCommandTests(ExperimentRuns runs) : IClassFixture<ExperimentRuns>
{
    private static Table Read(string path) => CsvTableReader.Read(path);

    [Fact]
    public void An_ensemble_writes_the_mean_the_quantiles_and_every_run()
    {
        Assert.True(runs.Ensemble.ExitCode == 0, runs.Ensemble.ToString());
        var dir = runs.Folder["ensemble"];
        foreach (var f in new[] { "national.csv", "provinces.csv", "national_quantiles.csv", "provinces_quantiles.csv", "run.json" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        Assert.Equal(["seed-1", "seed-2", "seed-3"], Directory.GetDirectories(Path.Combine(dir, "runs")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Directory.GetFiles(dir), f => Path.GetFileName(f).StartsWith('.'));
        Assert.Contains("\"runs\": 3", File.ReadAllText(Path.Combine(dir, "run.json")), StringComparison.Ordinal);

        // the mean is the mean of the runs' own tables
        var mean = Read(Path.Combine(dir, "national.csv"));
        var each = Enumerable.Range(1, 3).Select(s => Read(Path.Combine(dir, "runs", $"seed-{s}", "national.csv"))).ToList();
        Assert.Equal([1957, 1958, 1959, 1960], mean["year"].Integers!);
        for (var r = 0; r < 4; r++)
            Assert.Equal(each.Average(t => t["deaths_m"].Numbers![r]), mean["deaths_m"].Numbers![r], 12);

        var q = Read(Path.Combine(dir, "national_quantiles.csv"));
        Assert.Equal(["year", "series", "q05", "q50", "q95"], q.Columns.Select(c => c.Name));
        var row = Enumerable.Range(0, q.RowCount).Single(i => q["year"].Integers![i] == 1960 && q["series"].Texts![i] == "deaths_m");
        var sorted = each.Select(t => t["deaths_m"].Numbers![3]).Order().ToArray();
        Assert.Equal(sorted[0] + 0.1 * (sorted[1] - sorted[0]), q["q05"].Numbers![row], 12); // type 7 with n = 3: h = 0.1
        Assert.Equal(sorted[1], q["q50"].Numbers![row], 12);
        var pq = Read(Path.Combine(dir, "provinces_quantiles.csv"));
        Assert.Equal(["year", "province", "series", "q05", "q50", "q95"], pq.Columns.Select(c => c.Name));
        Assert.Equal(["Ningxia", "Qinghai"], pq["province"].Texts!.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_comparison_gives_differences_by_year_window_and_total_and_common_seeds_narrow_them()
    {
        Assert.True(runs.Compare.ExitCode == 0, runs.Compare.ToString());
        var dir = runs.Folder["compare"];
        Assert.True(File.Exists(Path.Combine(dir, "comparison.png")));
        var t = Read(Path.Combine(dir, "comparison.csv"));

        // by province over the window: each province's difference is its A less its B, per 1,000 of its 1957 people
        var pt = Read(Path.Combine(dir, "comparison_provinces.csv"));
        Assert.Equal(["Ningxia", "Qinghai"], pt["province"].Texts!.Order(StringComparer.Ordinal));
        Assert.All(pt["period"].Texts!, p => Assert.Equal("1958-1961", p));
        for (var r = 0; r < pt.RowCount; r++)
        {
            double N(string c) => pt[c].Numbers![r];
            Assert.Equal(N("a_deaths_m") - N("b_deaths_m"), N("difference_m"), 1e-9);
            Assert.Equal(1000 * N("difference_m") / N("population_1957_m"), N("difference_per_1000_of_1957_population"), 1e-9);
            Assert.True(N("difference_ci90_low_m") <= N("difference_m") && N("difference_m") <= N("difference_ci90_high_m"));
        }
        var qinghai = Array.IndexOf(pt["province"].Texts!, "Qinghai");
        Assert.Equal(2.05, pt["population_1957_m"].Numbers![qinghai]);   // provinces_1957.csv
        Assert.Equal(286, pt["grain_per_capita_1957_kg"].Numbers![qinghai]);
        Assert.Contains("per 1,000 of the 1957 population: highest", runs.Compare.Out, StringComparison.Ordinal);
        var periods = new[] { "1957", "1958", "1959", "1960", "1961", "1962", "1958-1961", "total" };
        Assert.Equal(5 * periods.Length, t.RowCount);
        Assert.Equal(["deaths", "births", "grain_output", "procurement", "national_output"], t["outcome"].Texts!.Distinct());
        Assert.Equal(periods, t["period"].Texts!.Take(periods.Length));
        for (var r = 0; r < t.RowCount; r++)
        {
            double N(string c) => t[c].Numbers![r];
            Assert.Equal(N("a_mean") - N("b_mean"), N("difference_mean"), 1e-9);
            Assert.True(N("difference_q05") <= N("difference_q50") && N("difference_q50") <= N("difference_q95"));
            Assert.True(N("difference_mean_ci90_low") <= N("difference_mean") && N("difference_mean") <= N("difference_mean_ci90_high"));
        }
        // window = sum of its years
        double Diff(string outcome, string period) => t["difference_mean"].Numbers![Enumerable.Range(0, t.RowCount).Single(i => t["outcome"].Texts![i] == outcome && t["period"].Texts![i] == period)];
        Assert.Equal(new[] { "1958", "1959", "1960", "1961" }.Sum(y => Diff("deaths", y)), Diff("deaths", "1958-1961"), 1e-9);
        // 1957 is the same in both scenarios: on the same seeds the difference is exactly 0, on different seeds it is not
        var y1957 = Enumerable.Range(0, t.RowCount).Single(i => t["outcome"].Texts![i] == "deaths" && t["period"].Texts![i] == "1957");
        Assert.Equal(0, t["difference_q05"].Numbers![y1957]);
        Assert.Equal(0, t["difference_q95"].Numbers![y1957]);
        Assert.True(t["difference_q95_unpaired"].Numbers![y1957] > t["difference_q05_unpaired"].Numbers![y1957]);
        Assert.Equal(0, t["difference_mean_ci90_high"].Numbers![y1957] - t["difference_mean_ci90_low"].Numbers![y1957]);
        Assert.True(t["difference_mean_ci90_high_unpaired"].Numbers![y1957] > t["difference_mean_ci90_low_unpaired"].Numbers![y1957]);
        Assert.Contains("1958-1961", runs.Compare.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void An_attribution_shares_sum_to_the_total_and_reports_interactions()
    {
        Assert.True(runs.Attribute.ExitCode == 0, runs.Attribute.ToString());
        var dir = runs.Folder["attribution"];
        Assert.True(File.Exists(Path.Combine(dir, "attribution.png")));
        var t = Read(Path.Combine(dir, "attribution.csv"));
        foreach (var outcome in new[] { "excess_deaths", "lost_births", "grain_shortfall" })
        {
            var rows = Enumerable.Range(0, t.RowCount).Where(i => t["outcome"].Texts![i] == outcome).ToList();
            Assert.Equal(["halls", "weather", "total", "reference"], rows.Select(i => t["switch"].Texts![i]));
            var sum = rows.Take(2).Sum(i => t["shapley"].Numbers![i]);
            Assert.Equal(t["shapley"].Numbers![rows[2]], sum, 9);
            Assert.Equal(100, rows.Take(2).Sum(i => t["share_pct"].Numbers![i]), 6);
            // two players: φ = alone + half the interaction
            var inter = Read(Path.Combine(dir, "interactions.csv"));
            var ij = inter["interaction"].Numbers![Enumerable.Range(0, inter.RowCount).Single(i => inter["outcome"].Texts![i] == outcome)];
            Assert.Equal(t["alone"].Numbers![rows[0]] + ij / 2, t["shapley"].Numbers![rows[0]], 9);
            Assert.Equal(t["alone"].Numbers![rows[0]] + ij, t["last"].Numbers![rows[0]], 9);
        }
        // The coalitions' values (against all off) are what the shares are made of: all on is the total, each switch
        // alone is its "alone", and with two players φ(halls) = (v(halls) + v(all on) − v(weather)) / 2.
        var coalitions = Read(Path.Combine(dir, "coalitions.csv"));
        Assert.Equal(["all off", "halls", "weather", "all on"], coalitions["switches_on"].Texts!);
        foreach (var outcome in new[] { "excess_deaths", "lost_births", "grain_shortfall" })
        {
            var rows = Enumerable.Range(0, t.RowCount).Where(i => t["outcome"].Texts![i] == outcome).ToList();
            var v = coalitions[outcome].Numbers!;
            Assert.Equal(t["shapley"].Numbers![rows[2]], v[3], 9);                // all on = the total
            Assert.Equal(t["alone"].Numbers![rows[0]], v[1], 9);                  // halls alone
            Assert.Equal(t["alone"].Numbers![rows[1]], v[2], 9);                  // weather alone
            Assert.Equal((v[1] + v[3] - v[2]) / 2, t["shapley"].Numbers![rows[0]], 9);
            Assert.Equal((v[2] + v[3] - v[1]) / 2, t["shapley"].Numbers![rows[1]], 9);
        }
        // Dining halls and the recorded weather together kill people the all-off world does not lose.
        Assert.True(coalitions["excess_deaths"].Numbers![3] > 0, $"all on: {coalitions["excess_deaths"].Numbers![3]} million excess deaths");
        Assert.Contains("the shares sum to", runs.Attribute.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_do_not_depend_on_the_number_of_threads()
    {
        using var folder = new TempFolder();
        foreach (var threads in new[] { "1", "3" })
        {
            var r = CliHarness.Run(["attribute", .. ExperimentRuns.World, "--runs", "2", "--switches", "halls=no-dining-halls,weather=normal-weather", "--rest", "none",
                "--threads", threads, "--out", folder["a" + threads], "--quiet"]);
            Assert.True(r.ExitCode == 0, r.ToString());
            r = CliHarness.Run(["run", .. ExperimentRuns.World, "--runs", "3", "--years", "1957-1960", "--threads", threads, "--out", folder["e" + threads], "--quiet"]);
            Assert.True(r.ExitCode == 0, r.ToString());
        }
        Assert.Equal(File.ReadAllText(Path.Combine(runs.Folder["attribution"], "attribution.csv")), File.ReadAllText(Path.Combine(folder["a1"], "attribution.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(folder["a1"], "coalitions.csv")), File.ReadAllText(Path.Combine(folder["a3"], "coalitions.csv")));
        foreach (var f in new[] { "national.csv", "provinces_quantiles.csv" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(runs.Folder["ensemble"], f)), File.ReadAllText(Path.Combine(folder["e1"], f)));
            Assert.Equal(File.ReadAllText(Path.Combine(folder["e1"], f)), File.ReadAllText(Path.Combine(folder["e3"], f)));
        }
    }

    [Theory]
    [InlineData("run", "--runs", "0")]
    [InlineData("compare", "default", "no-such-scenario")]
    [InlineData("attribute", "--method", "guess")]
    [InlineData("attribute", "--years", "1957-1960")]
    [InlineData("attribute", "--switches", "a=no-leap,b=early-retrenchment")]
    [InlineData("sensitivity", "--levels", "3")]
    public void Bad_options_exit_2_and_write_nothing(params string[] args)
    {
        using var folder = new TempFolder();
        var r = CliHarness.Run([.. args, "--out", folder["x"]]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Empty(folder.Entries());
    }

    [Fact]
    public void Sensitivity_ranks_the_parameters_of_every_outcome()
    {
        using var folder = new TempFolder();
        var r = CliHarness.Run(["sensitivity", .. ExperimentRuns.World, "--parameters", "demography.famine_death_registration,procurement.retention_floor_kg",
            "--trajectories", "2", "--out", folder["s"], "--quiet"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var t = Read(Path.Combine(folder["s"], "sensitivity.csv"));
        var rows = Enumerable.Range(0, t.RowCount).Where(i => t["outcome"].Texts![i] == "excess_deaths_registered").ToList();
        Assert.Equal([1, 2], rows.Select(i => t["rank"].Integers![i]));
        Assert.True(t["mu_star"].Numbers![rows[0]] >= t["mu_star"].Numbers![rows[1]]);
        var points = Read(Path.Combine(folder["s"], "points.csv"));
        Assert.Equal(2 * 3, points.RowCount);
        // Morris moves each parameter within ±25 % of its value in the default scenario (the calibrated one).
        var central = LeapSim.Core.Scenarios.ScenarioLibrary.Resolve("default").Parameters.Single(p => p.Name == "demography.famine_death_registration").Value;
        Assert.All(points["demography.famine_death_registration"].Numbers!, v => Assert.InRange(v, 0.75 * central * (1 - 1e-9), 1.25 * central * (1 + 1e-9)));
    }
}
