using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Engine;

/// <summary>
/// Coarser resolutions run the same model on fewer, larger units, so national results should agree in expectation.
/// <para>Tolerance 1 %: the runs share the 1957 inputs exactly (tested in WorldBuilderTests) and differ only in how
/// heterogeneity is drawn and in Poisson noise (relative noise of national deaths in a year about 1/sqrt(12 M), far
/// below 1 %); a mechanism that aggregates wrongly (a threshold applied per unit, a flow lost in the split) moves
/// national figures by more than that.</para>
/// <para>Only the pre-shock years are compared here (1957-1958; 1957 for the 25,000-unit brigade world), where the
/// resolutions agree to 0.2 %. Over 1957-1966 they disagree beyond a 2 % tolerance once the 1959-61 weather hits
/// (no-leap, whole country: mean population −2.4 % and mean deaths +12 % at commune against province resolution, the
/// commune world having a famine of its own in 1961; small world: −2.7 % and +6.5 % at team against commune). That
/// is reported to the lead with failing tests on the branch engine-tests-known-bugs, not tested away here.</para>
/// </summary>
public sealed class ResolutionAgreementTests
{
    private const double Tolerance = 0.01;

    private static (double Population, double Deaths, double Grain) Means(ResolvedScenario scenario, Resolution resolution, IReadOnlyList<string>? provinces, int lastYear)
    {
        var sim = new Simulation(scenario, new RunOptions { Resolution = resolution, Provinces = provinces, Threads = 2, Years = new YearSpan(1957, lastYear) });
        sim.Run();
        var r = sim.Results;
        return (r.Yearly("population", r.National).Average(), r.Yearly("deaths", r.National).Average(), r.Yearly("grain_output", r.National).Average());
    }

    [Fact]
    public void Whole_country_without_the_leap_province_county_and_commune_agree_before_the_shocks()
    {
        var s = ScenarioLibrary.Resolve("no-leap");
        var province = Means(s, Resolution.Province, null, 1958);
        foreach (var resolution in new[] { Resolution.County, Resolution.Commune })
        {
            var m = Means(s, resolution, null, 1958);
            Assert.True(TestWorlds.Relative(m.Population, province.Population) < Tolerance, $"{resolution}: population {m.Population:E4} vs {province.Population:E4}");
            Assert.True(TestWorlds.Relative(m.Deaths, province.Deaths) < Tolerance, $"{resolution}: deaths {m.Deaths:E4} vs {province.Deaths:E4}");
            Assert.True(TestWorlds.Relative(m.Grain, province.Grain) < Tolerance, $"{resolution}: grain {m.Grain:E4} vs {province.Grain:E4}");
        }
    }

    /// <summary>1957 only (its two harvests): a brigade world has 25,000 units, and a Debug build steps them slowly.</summary>
    [Fact]
    public void Small_world_default_commune_and_brigade_agree_on_grain_in_1957()
    {
        var s = TestWorlds.Scenario("default", ("world.communes_national", TestWorlds.SmallWorldCommunes));
        var commune = Means(s, Resolution.Commune, TestWorlds.Small, 1957);
        var brigade = Means(s, Resolution.Brigade, TestWorlds.Small, 1957);
        Assert.True(TestWorlds.Relative(brigade.Grain, commune.Grain) < Tolerance, $"grain {brigade.Grain:E4} vs {commune.Grain:E4}");
        Assert.True(TestWorlds.Relative(brigade.Population, commune.Population) < Tolerance, $"population {brigade.Population:E4} vs {commune.Population:E4}");
    }
}
