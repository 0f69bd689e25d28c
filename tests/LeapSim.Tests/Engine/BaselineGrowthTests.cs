using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.Engine;

/// <summary>
/// Without the Great Leap the 1957 population keeps growing about 2 % a year (DIGEST: "population about 650 million,
/// growing about 2 % a year"): the whole country at province resolution, the no-leap scenario, 1957-1966.
/// </summary>
public sealed class BaselineGrowthTests
{
    private static (double Low, double High) Target(string id)
    {
        using var r = new StreamReader(BaselineInputs.OpenEmbedded("targets.csv"));
        var csv = CsvText.Parse(r, "targets.csv");
        var row = csv.Rows.Single(x => csv.Text(x, "id") == id);
        return (csv.Number(row, "low"), csv.Number(row, "high"));
    }

    [Fact]
    public void Without_the_leap_the_population_grows_about_two_percent_a_year()
    {
        var sim = new Simulation(ScenarioLibrary.Resolve("no-leap"), new RunOptions { Resolution = Resolution.Province, Threads = 1 });
        var start = sim.World.RuralPopulation() + sim.World.UrbanPopulation();
        sim.Run();
        var t = OutputTables.National(sim.Results, 1957);
        var pop = t["population_yearend_m"].Numbers!;
        var cbrReg = t["crude_birth_rate_registered_permille"].Numbers!;
        var cdrReg = t["crude_death_rate_registered_permille"].Numbers!;

        // targets.csv natural_increase_1957: registered (births − deaths) / mid-year population, 1.8-2.8 %.
        var (low, high) = Target("natural_increase_1957");
        Assert.Equal((1.8, 2.8), (low, high));
        var registeredIncrease1957 = (cbrReg[0] - cdrReg[0]) / 10;
        Assert.InRange(registeredIncrease1957, low, high);   // 2.3 %

        // True growth, year-end over year-end (1957 over the January 1957 baseline): 1.5-3 % every year.
        // (The 1957 true rates, 43.3 and 18.1 per mille, give 2.5 %; the 1963 birth-control campaign lowers it.)
        var previous = start / 1e6;
        for (var y = 0; y < pop.Length; y++)
        {
            var growth = 100 * (pop[y] / previous - 1);
            Assert.True(growth is >= 1.5 and <= 3.0, $"{1957 + y}: growth {growth:F2} %");
            previous = pop[y];
        }
        // The true rates stay those of 1957 (no famine): the death rate within 10 % of 18.1 per mille every year.
        Assert.All(t["crude_death_rate_permille"].Numbers!, cdr => Assert.InRange(cdr, 18.1 * 0.9, 18.1 * 1.1));
        // Nothing of the Leap happens: no communes, no backyard furnaces.
        Assert.All(t["commune_share_pct"].Numbers!, s => Assert.Equal(0, s));
        Assert.All(t["labour_backyard_m"].Numbers!, s => Assert.Equal(0, s));
    }

    [Fact]
    public void A_small_world_without_the_leap_grows_like_the_country()
    {
        // National flows (exports, the army's grain, the state's stock) are scaled to the small world's share of the
        // country; unscaled, Ningxia and Qinghai exported more grain than they grew and lost 13 % of their people in 1958.
        var sim = new Simulation(ScenarioLibrary.Resolve("no-leap"), new RunOptions { Provinces = ["Ningxia", "Qinghai"], Resolution = Resolution.Province, Threads = 1 });
        var previous = (sim.World.RuralPopulation() + sim.World.UrbanPopulation()) / 1e6;
        sim.Run();
        var t = OutputTables.National(sim.Results, 1957);
        var pop = t["population_yearend_m"].Numbers!;
        var exports = t["grain_exports_mt"].Numbers!;
        var output = t["grain_output_mt"].Numbers!;
        for (var y = 0; y < pop.Length; y++)
        {
            var growth = 100 * (pop[y] / previous - 1);
            Assert.True(growth is >= 1.5 and <= 3.0, $"{1957 + y}: growth {growth:F2} % (population {pop[y]:F3} M, grain {output[y]:F2} Mt, exports {exports[y]:F3} Mt)");
            Assert.True(exports[y] < 0.05 * output[y], $"{1957 + y}: exports {exports[y]:F3} Mt of {output[y]:F2} Mt");
            previous = pop[y];
        }
        Assert.True(t["urban_population_m"].Numbers!.All(u => u > 0.6), "the cities keep their people");
    }
}
