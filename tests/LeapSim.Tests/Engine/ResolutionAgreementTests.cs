using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Engine;

/// <summary>
/// Coarser resolutions run the same model on fewer, larger units, so national results should agree in expectation.
/// Means over 1957-1966 of the year-end population, the year's deaths and the year's grain output.
/// <para>Tolerance 2 %. The runs share the 1957 inputs exactly (tested in WorldBuilderTests) and differ in how
/// heterogeneity is drawn and in Poisson noise (a small world has about 80,000 deaths a year: 0.1 % noise on the
/// ten-year mean). What remains is real but small: finer units are more unequal, so in the bad years of 1959-61 more
/// of them fall short. Measured on the current model: team against commune (small world, no-leap) −0.3 % population,
/// −0.5 % deaths, −0.3 % grain; commune against province (whole country, no-leap) −0.9 %, −0.9 %, −1.2 %. A
/// mechanism that aggregates wrongly moves these by more: before the small-world and workforce fixes of 20504cc the
/// same comparisons gave −2.7 % and +6.5 % (team) and −2.4 % and +12 % (commune).</para>
/// </summary>
public sealed class ResolutionAgreementTests
{
    private const double Tolerance = 0.02;

    private static (double Population, double Deaths, double Grain) Means(ResolvedScenario scenario, Resolution resolution, IReadOnlyList<string>? provinces)
    {
        var sim = new Simulation(scenario, new RunOptions { Resolution = resolution, Provinces = provinces, Threads = 2 });
        sim.Run();
        var r = sim.Results;
        return (r.Yearly("population", r.National).Average(), r.Yearly("deaths", r.National).Average(), r.Yearly("grain_output", r.National).Average());
    }

    private static void Agree(string what, double actual, double expected) =>
        Assert.True(TestWorlds.Relative(actual, expected) < Tolerance, $"{what}: {actual:E4} against {expected:E4} ({100 * (actual / expected - 1):F2} %)");

    [Fact]
    public void Small_world_without_the_leap_commune_and_team_agree()
    {
        var s = ScenarioLibrary.Resolve("no-leap");
        var commune = Means(s, Resolution.Commune, TestWorlds.Small);
        var team = Means(s, Resolution.Team, TestWorlds.Small);
        Agree("population", team.Population, commune.Population);
        Agree("deaths", team.Deaths, commune.Deaths);
        Agree("grain", team.Grain, commune.Grain);
    }

    [Fact]
    public void Small_world_default_commune_and_brigade_agree_on_grain()
    {
        var s = ScenarioLibrary.Resolve("default");
        var commune = Means(s, Resolution.Commune, TestWorlds.Small);
        var brigade = Means(s, Resolution.Brigade, TestWorlds.Small);
        Agree("grain", brigade.Grain, commune.Grain);
        Agree("population", brigade.Population, commune.Population);
    }

    [Fact]
    public void Whole_country_without_the_leap_province_county_and_commune_agree()
    {
        var s = ScenarioLibrary.Resolve("no-leap");
        var province = Means(s, Resolution.Province, null);
        foreach (var resolution in new[] { Resolution.County, Resolution.Commune })
        {
            var m = Means(s, resolution, null);
            Agree($"{resolution} population", m.Population, province.Population);
            Agree($"{resolution} deaths", m.Deaths, province.Deaths);
            Agree($"{resolution} grain", m.Grain, province.Grain);
        }
    }
}
