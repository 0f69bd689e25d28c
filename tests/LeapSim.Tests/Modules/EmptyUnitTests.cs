using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests;

/// <summary>
/// A regression test for a bug the engine tests found: a unit whose people were all gone still farmed.
/// </summary>
public sealed class EmptyUnitTests
{
    /// <summary>
    /// A unit whose people are all gone grows nothing it sowed after it emptied: private plots follow the unit's own
    /// workers, and no labour gives no crop (before the fix, plots gave their full output and labour was floored at
    /// 1e-6 before the power α, giving about 1 %). The summer crop sown in late 1956, before the unit emptied, may
    /// legitimately give a little.
    /// </summary>
    [Fact]
    public void A_unit_without_people_grows_nothing_it_sowed_after_it_emptied()
    {
        var sim = new Simulation(ScenarioLibrary.Resolve("no-leap"), new RunOptions { Provinces = ["Ningxia"], Resolution = Resolution.County, Threads = 1 });
        sim.World.Units.CohortsOf(0).Clear();
        sim.World.Units.RefreshHeadcounts(0);
        double summer0 = 0, autumn0 = 0, private0 = 0, autumn1 = 0, private1 = 0;
        for (var m = 0; m < 12; m++)
        {
            sim.Step();
            if (m == 5) summer0 = sim.World.Units.HarvestKg[0];
            if (m == 9) { autumn0 = sim.World.Units.HarvestKg[0]; autumn1 = sim.World.Units.HarvestKg[1]; }
            private0 += sim.World.Units.PrivateOutputKg[0];
            private1 += sim.World.Units.PrivateOutputKg[1];
        }
        Assert.Equal(0, sim.World.Units.Population(0));
        Assert.True(autumn1 > 0 && private1 > 0);
        Assert.True(autumn0 < 1e-6 * autumn1 && private0 == 0,
            $"the empty unit: summer harvest {summer0 / 1e6:F2} kt (sown before it emptied), autumn {autumn0 / 1e6:F3} kt, private plots {private0 / 1e6:F2} kt; its neighbour: autumn {autumn1 / 1e6:F1} kt, private plots {private1 / 1e6:F2} kt");
    }
}
