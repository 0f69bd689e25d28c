using LeapSim.Core.Modules;
using LeapSim.Core.Time;
using Xunit;

namespace LeapSim.Tests.Modules;

/// <summary>The pig-raising campaign of late 1959-60 (MODEL.md §6.5): collective sties fed from the commune's stock.</summary>
public class PigCampaignTests
{
    [Fact]
    public void ACommuneFeedsTheCampaignsGrainPerMemberToItsSties()
    {
        // January (no harvest): feed = campaign 0.8 × 1.5 kg × persons × commune share 1; the stock loses it and
        // gains only the private plots' month.
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("farming.pig_campaign_feed_kg", 1.5)]);
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1960, 1);
        sim.Levers.Values[sim.Levers.Index("pig_campaign.campaign")] = 0.8;
        u.CommuneShare[0] = 1;
        u.GrainStockKg[0] = 1e9f;
        var before = (double)u.GrainStockKg[0];
        sim.Module<Farming>().Step(sim.Context);
        var expected = 0.8 * 1.5 * u.Persons[0];
        Assert.True(expected > 1e4);
        Assert.Equal(expected, u.FeedKg[0], expected * 1e-6);
        Assert.Equal(before + u.PrivateOutputKg[0] - u.FeedKg[0], u.GrainStockKg[0], before * 1e-6);
    }

    [Fact]
    public void NoCommuneNoStiesAndTheStiesCannotTakeMoreThanTheStock()
    {
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("farming.pig_campaign_feed_kg", 1.5)]);
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1960, 1);
        sim.Levers.Values[sim.Levers.Index("pig_campaign.campaign")] = 1;
        u.CommuneShare[0] = 0;
        u.GrainStockKg[0] = 1e9f;
        sim.Module<Farming>().Step(sim.Context);
        Assert.Equal(0, u.FeedKg[0]);

        // In a commune with almost nothing in store (and no private plots adding to it), the sties get what there is.
        sim.World.Units.ClearFlows();
        sim.Levers.Values[sim.Levers.Index("private_plots.land_share")] = 0;
        u.CommuneShare[0] = 1;
        u.GrainStockKg[0] = 10;
        sim.Module<Farming>().Step(sim.Context);
        Assert.Equal(0, u.PrivateOutputKg[0]);
        Assert.Equal(10, u.FeedKg[0], 1e-3);
        Assert.Equal(0, u.GrainStockKg[0], 1e-3);
    }
}
