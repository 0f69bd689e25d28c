using LeapSim.Core.Engine;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Results;

/// <summary>
/// The procurement columns of the output tables: gross procurement, resales to the villages (fixed sales and relief)
/// and net procurement, the series historians compare (procurement less resales). Checked against the state
/// account's own monthly flows, summed by hand while the run steps.
/// </summary>
public sealed class ProcurementColumnsTests
{
    [Fact]
    public void Resales_are_the_state_accounts_flows_and_net_procurement_is_gross_less_resales()
    {
        var sim = new Simulation(ScenarioLibrary.Resolve("default"),
            new RunOptions { Resolution = Resolution.County, Provinces = TestWorlds.Small, Threads = 1 });
        var resoldByYear = new double[10];
        var procuredByYear = new double[10];
        while (!sim.Finished)
        {
            sim.Step();
            var y = sim.Context.Month.Year - 1957;
            resoldByYear[y] += sim.World.National.ResoldKg;
            procuredByYear[y] += sim.World.National.ProcuredKg;
        }

        var national = OutputTables.National(sim.Results, 1957);
        var gross = national["procurement_mt"].Numbers!;
        var resales = national["resales_mt"].Numbers!;
        var net = national["net_procurement_mt"].Numbers!;
        for (var y = 0; y < 10; y++)
        {
            // The state account sums in double what the collector sums from the units' float flows: the two agree
            // to float rounding (measured: 6e-9 of the value), not to the last kilogram.
            Assert.Equal(procuredByYear[y] * 1e-9, gross[y], 1e-6 * gross[y] + 1e-12);
            Assert.Equal(resoldByYear[y] * 1e-9, resales[y], 1e-6 * resales[y] + 1e-12);
            Assert.Equal(gross[y] - resales[y], net[y], 12);
        }
        // Grain-deficit villages get fixed sales in normal years (the column is not all zeros); in the famine years
        // their inflated reports can wipe the deficits out on paper, so not every year has resales.
        Assert.True(resales[0] > 0);
        Assert.All(resales, r => Assert.True(r >= 0));

        // Province rows add up to the nation, year by year.
        var provinces = OutputTables.Provinces(sim.Results, 1957);
        var years = provinces["year"].Integers!;
        var provinceResales = provinces["resales_mt"].Numbers!;
        var provinceNet = provinces["net_procurement_mt"].Numbers!;
        var provinceGross = provinces["procurement_mt"].Numbers!;
        for (var y = 0; y < 10; y++)
        {
            double r = 0, n = 0;
            for (var i = 0; i < years.Length; i++)
                if (years[i] == 1957 + y) { r += provinceResales[i]; n += provinceNet[i]; }
            Assert.Equal(resales[y], r, 1e-9 * Math.Abs(resales[y]) + 1e-12);
            Assert.Equal(net[y], n, 1e-9 * Math.Abs(net[y]) + 1e-12);
        }
        for (var i = 0; i < years.Length; i++) Assert.Equal(provinceGross[i] - provinceResales[i], provinceNet[i], 12);
    }
}
