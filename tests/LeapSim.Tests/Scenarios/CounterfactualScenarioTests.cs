using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using Xunit;

namespace LeapSim.Tests.Scenarios;

/// <summary>
/// The built-in counterfactuals of issue 5: each resolves over the default and moves exactly the levers it says it
/// moves (read from the lever table month by month, 1957-1966, against the default's).
/// </summary>
public sealed class CounterfactualScenarioTests
{
    public static readonly string[] Counterfactuals =
    [
        "no-leap", "honest-reports", "flexible-procurement", "no-backyard-steel", "no-dining-halls", "soviet-stay",
        "normal-weather", "early-imports", "no-lushan-purge", "no-exports", "early-retrenchment",
    ];

    /// <summary>The value of every lever in every month of 1957-1966 (120 × levers).</summary>
    private static Dictionary<string, double[]> Paths(ResolvedScenario s)
    {
        var t = new LeverTable(ModuleCatalog.Policies(), s.Events, Month.Of(1957, 1), 120);
        var paths = t.Names.ToDictionary(n => n, _ => new double[120]);
        for (var m = 0; m < 120; m++)
        {
            t.Apply(m);
            foreach (var n in t.Names) paths[n][m] = t[t.Index(n)];
        }
        return paths;
    }

    private static int M(int year, int month) => (year - 1957) * 12 + month - 1;

    /// <summary>Levers whose path differs from the default's.</summary>
    private static string[] Moved(string scenario)
    {
        var d = Paths(ScenarioLibrary.Resolve("default"));
        var s = Paths(ScenarioLibrary.Resolve(scenario));
        return d.Keys.Where(k => !d[k].SequenceEqual(s[k])).Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void Every_counterfactual_of_the_issue_is_built_in_and_listed_with_a_description()
    {
        foreach (var name in Counterfactuals)
        {
            Assert.Contains(name, ScenarioLibrary.BuiltinNames);
            var s = ScenarioLibrary.Resolve(name);
            Assert.Equal(name, s.Name);
            Assert.Contains("default", s.Chain);
            Assert.False(string.IsNullOrWhiteSpace(s.Description));
        }
    }

    [Fact]
    public void Honest_reports_sets_report_inflation_to_zero_and_moves_no_lever()
    {
        Assert.Empty(Moved("honest-reports"));
        var s = ScenarioLibrary.Resolve("honest-reports");
        Assert.Equal(0, s.Parameters.Single(p => p.Name == "reporting.inflation_per_pressure").Value);
    }

    [Fact]
    public void The_county_disasters_variant_sets_its_switch_and_moves_no_lever()
    {
        var s = ScenarioLibrary.Resolve("county-disasters");
        Assert.Equal(1, s.Parameters.Single(p => p.Name == "weather.county_disasters").Value);
        Assert.Empty(Moved("county-disasters"));
    }

    [Theory]
    [InlineData("flexible-procurement", "procurement.flexible")]
    [InlineData("normal-weather", "weather.historical")]
    [InlineData("soviet-stay", "soviet_aid.present")]
    [InlineData("no-backyard-steel", "backyard_steel.campaign,backyard_steel.productivity,backyard_steel.usable_share")]
    [InlineData("no-dining-halls", "dining_halls.free_supply,dining_halls.share")]
    [InlineData("no-exports", "grain_trade.export_scale")]
    [InlineData("early-imports", "grain_trade.extra_imports_mt")]
    [InlineData("no-lushan-purge", "dining_halls.share,politics.campaign,private_plots.land_share")]
    public void A_counterfactual_moves_only_its_own_levers(string scenario, string levers) =>
        Assert.Equal(levers.Split(','), Moved(scenario));

    [Fact]
    public void The_counterfactual_levers_take_the_values_they_describe()
    {
        var flexible = Paths(ScenarioLibrary.Resolve("flexible-procurement"));
        Assert.All(flexible["procurement.flexible"], v => Assert.Equal(1, v));
        Assert.All(Paths(ScenarioLibrary.Resolve("normal-weather"))["weather.historical"], v => Assert.Equal(0, v));
        Assert.All(Paths(ScenarioLibrary.Resolve("soviet-stay"))["soviet_aid.present"], v => Assert.Equal(1, v));
        Assert.All(Paths(ScenarioLibrary.Resolve("no-backyard-steel"))["backyard_steel.campaign"], v => Assert.Equal(0, v));
        Assert.All(Paths(ScenarioLibrary.Resolve("no-dining-halls"))["dining_halls.share"], v => Assert.Equal(0, v));

        var exports = Paths(ScenarioLibrary.Resolve("no-exports"))["grain_trade.export_scale"];
        Assert.All(exports[..M(1958, 1)], v => Assert.Equal(1, v));
        Assert.All(exports[M(1958, 1)..], v => Assert.Equal(0, v));

        var imports = Paths(ScenarioLibrary.Resolve("early-imports"))["grain_trade.extra_imports_mt"];
        for (var m = 0; m < 120; m++) Assert.Equal(m >= M(1959, 4) && m < M(1961, 1) ? 5 : 0, imports[m]);

        var lushan = Paths(ScenarioLibrary.Resolve("no-lushan-purge"));
        var history = Paths(ScenarioLibrary.Resolve("default"));
        Assert.Equal(1.0, history["politics.campaign"][M(1959, 9)]);
        Assert.Equal(0.6, lushan["politics.campaign"][M(1959, 9)]);
        Assert.Equal(0.5, lushan["dining_halls.share"][M(1959, 10)]);
        Assert.Equal(0.03, lushan["private_plots.land_share"][M(1959, 10)]);
    }

    [Fact]
    public void Early_retrenchment_takes_the_measures_of_1961_in_1959_and_nothing_undoes_them()
    {
        var p = Paths(ScenarioLibrary.Resolve("early-retrenchment"));
        var d = Paths(ScenarioLibrary.Resolve("default"));
        // before 1959 the history is unchanged
        foreach (var (name, path) in p) Assert.Equal(d[name][..M(1959, 1)], path[..M(1959, 1)]);
        for (var m = M(1959, 2); m < 120; m++)
        {
            Assert.Equal(0, p["backyard_steel.campaign"][m]);
            Assert.Equal(0, p["industry_recruitment.persons_per_year"][m]);
            Assert.Equal(0.8, p["procurement.rate_scale"][m]);
            Assert.Equal(1, p["relief.attention"][m]);
            Assert.Equal(0, p["industry_plan.investment_drive"][m]);
        }
        for (var m = M(1959, 1); m < M(1962, 2); m++) Assert.True(p["politics.campaign"][m] <= 0.55, $"month {m}: {p["politics.campaign"][m]}");
        for (var m = M(1959, 6); m < 120; m++) Assert.Equal(0, p["dining_halls.share"][m]);
        for (var m = M(1959, 6); m < 120; m++) Assert.Equal(0.7, p["household_sidelines.private_share"][m]);
        for (var m = M(1959, 1); m < 120; m++) Assert.True(p["communes.accounting_level"][m] <= 1.5);
        for (var m = M(1959, 11); m < 120; m++) Assert.Equal(1, p["sown_area.grain_factor"][m]); // after the October 1959 harvest
        Assert.Equal(1, p["industry_plan.retrenchment"][M(1960, 1)]);
        // measures keep their length: the ration cut 21 months, sending back 37
        Assert.Equal(21, p["urban_ration.level"].Count(v => v < 1));
        Assert.Equal(21, d["urban_ration.level"].Count(v => v < 1));
        Assert.Equal(d["sending_back.persons_per_year"].Count(v => v > 0), p["sending_back.persons_per_year"].Count(v => v > 0));
    }

    [Fact]
    public void The_switches_of_the_attribution_remove_what_they_say()
    {
        var labour = Paths(ScenarioLibrary.Resolve("no-labour-diversion"));
        Assert.All(labour["backyard_steel.campaign"], v => Assert.Equal(0, v));
        Assert.All(labour["industry_recruitment.persons_per_year"], v => Assert.Equal(0, v));
        Assert.All(labour["water_works.campaign"], v => Assert.True(v <= 0.8));
        var communes = Paths(ScenarioLibrary.Resolve("no-communes"));
        Assert.All(communes["communes.campaign"], v => Assert.Equal(0, v));
        Assert.All(communes["private_plots.land_share"], v => Assert.Equal(0.05, v));
        Assert.All(communes["household_sidelines.private_share"], v => Assert.Equal(0.6, v));
        Assert.Equal(["communes.accounting_level", "communes.campaign", "household_sidelines.private_share", "private_plots.land_share"], Moved("no-communes"));
    }
}
