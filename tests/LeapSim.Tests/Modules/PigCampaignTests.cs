using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Time;
using Xunit;

namespace LeapSim.Tests.Modules;

/// <summary>The pig-raising campaign of late 1959-60 (MODEL.md §6.5): collective sties fed from the commune's stock.</summary>
public class PigCampaignTests
{
    /// <summary>Ningxia in January 1960 (no harvest), 1.5 kg a member at full campaign, the campaign and commune share given.</summary>
    private static Simulation World(double campaign, float communeShare, float stockKg)
    {
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("farming.pig_campaign_feed_kg", 1.5)]);
        sim.Context.Month = Month.Of(1960, 1);
        sim.Levers.Values[sim.Levers.Index("pig_campaign.campaign")] = campaign;
        sim.World.Units.CommuneShare[0] = communeShare;
        sim.World.Units.GrainStockKg[0] = stockKg;
        return sim;
    }

    [Fact]
    public void ACommuneFeedsTheCampaignsGrainPerMemberToItsSties()
    {
        // feed = campaign 0.8 × 1.5 kg × persons × commune share 1; the stock loses it and gains only the plots' month.
        var sim = World(0.8, 1, 1e9f);
        var u = sim.World.Units;
        var before = (double)u.GrainStockKg[0];
        sim.Module<Farming>().Step(sim.Context);
        var expected = 0.8 * 1.5 * u.Persons[0];
        Assert.True(expected > 1e4);
        Assert.Equal(expected, u.FeedKg[0], expected * 1e-6);
        Assert.Equal(before + u.PrivateOutputKg[0] - u.FeedKg[0], u.GrainStockKg[0], before * 1e-6);
    }

    [Fact]
    public void NoCommuneNoSties()
    {
        var sim = World(1, 0, 1e9f);
        sim.Module<Farming>().Step(sim.Context);
        Assert.Equal(0, sim.World.Units.FeedKg[0]);
    }

    [Fact]
    public void TheStiesShareTheShortageWhenTheStockDoesNotHoldThePeoplesNeedToTheHarvest()
    {
        // Need = 2,100 kcal / (3,000 kcal/kg / 0.85 / 30.4375 days) = 18.110 kg a person a month; January has 5 months to
        // feed (January-May). A stock of half that need (no private plots adding to it) gets the sties half their feed.
        var needMonth = 2100 / (3000 / 0.85 / (365.25 / 12));
        Assert.Equal(18.110, needMonth, 3);
        var sim = World(1, 1, 0);
        sim.Levers.Values[sim.Levers.Index("private_plots.land_share")] = 0;
        var u = sim.World.Units;
        u.GrainStockKg[0] = (float)(0.5 * u.Persons[0] * needMonth * 5);
        sim.Module<Farming>().Step(sim.Context);
        Assert.Equal(0, u.PrivateOutputKg[0]);
        var expected = 1.5 * u.Persons[0] * 0.5;
        Assert.Equal(expected, u.FeedKg[0], expected * 1e-5);
    }
}
