using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Modules;

public class FarmingFourAtATimeTests
{
    /// <summary>
    /// Farming steps four units at a time where the machine has AVX; every unit's numbers and the national output must
    /// be the same bits as the scalar loop's. The world is made hard for the vector path: units without workers or
    /// without a 1957 workforce (the divisions the scalar loop skips), hungry and fed units (both branches of the
    /// herd), private land and labour of every kind at random, no labour or no need recorded for a crop, and the pig
    /// campaign on (its sties eat from the stock) in months where one crop, the other or both are growing, and in
    /// both harvest months (the powers, the crop eaten green, seed and feed; four units that all had the hands the
    /// harvest needs, and four that did not all); every county has its own weather (read
    /// lane by lane); at county resolution the unit count is not a multiple of four (the last units go one by one).
    /// Blocks of four in the regimes where the vector loop skips divisions: all fed (one at exactly the normal
    /// intake), all without labour at the furnaces, all without labour at the works, all without private land (with
    /// the private-plot lever at 0), each beside blocks where only some of the four are.
    /// </summary>
    [Theory]
    [InlineData(4, 0.0, Resolution.Commune, 0.05)]
    [InlineData(5, 1.0, Resolution.Commune, 0.0)]
    [InlineData(8, 1.0, Resolution.Commune, 0.05)]
    [InlineData(12, 0.5, Resolution.Commune, 0.0)]
    [InlineData(6, 1.0, Resolution.Commune, 0.0)]
    [InlineData(10, 0.0, Resolution.Commune, 0.05)]
    [InlineData(10, 1.0, Resolution.County, 0.0)]
    [InlineData(5, 1.0, Resolution.County, 0.05)]
    public void FourUnitsAtATimeStepAsTheScalarLoop(int monthOfYear, double pigCampaign, Resolution resolution, double privatePlots)
    {
        var sim = ModuleTestWorld.Create(["Anhui", "Gansu", "Ningxia"], resolution, [ModuleTestWorld.Param("farming.pig_campaign_feed_kg", 2)]);
        if (resolution == Resolution.County) Assert.NotEqual(0, sim.World.Units.Count % 4); // a partial last block
        var u = sim.World.Units;
        var normalIntake = sim.Parameters["farming.normal_intake_kcal"];
        var gen = new System.Random(2);
        float Random(double low, double high) => (float)(low + (high - low) * gen.NextDouble());
        for (var i = 0; i < u.Count; i++)
        {
            u.Workers[i] = i % 17 == 0 ? 0 : Random(100, 5000);
            if (i % 23 == 0) u.BaseWorkers[i] = 0;
            // Every third block of four units has all its hands in the fields (the whole vector completes its harvest).
            u.LabourFarming[i] = u.Workers[i] * (i / 4 % 3 == 0 ? 1 : Random(0.3, 1));
            // Blocks of four (i / 4 % 7): 1 all fed, 2 none at the furnaces, 3 none at the works, 4 no private
            // land; 5 the same four regimes in three lanes of four (the fourth lane not).
            var block = i / 4 % 7;
            var allFour = block is >= 1 and <= 4;
            var regime = allFour ? block : block == 5 && i % 4 != 3 ? 1 + i / 28 % 4 : 0;
            u.LabourBackyard[i] = regime == 2 ? 0 : u.Workers[i] * Random(0, 0.3);
            u.LabourWaterWorks[i] = regime == 3 ? 0 : u.Workers[i] * Random(0, 0.2);
            u.IntakeKcal[i] = regime == 1 ? (i % 4 == 0 ? (float)normalIntake : Random(normalIntake, 2600)) : Random(900, 2600);
            u.Effort[i] = Random(0.5, 1.2);
            u.Animals[i] = Random(0.05, 1.2);
            u.Tools[i] = Random(0.05, 1);
            u.SoilDamage[i] = Random(0, 0.3);
            u.WaterWorks[i] = Random(-0.2, 0.3);
            u.YieldLevel[i] = Random(0.9, 1.1);
            u.IndividualFarming[i] = regime == 4 ? 0 : Random(0, 0.3);
            u.CommuneShare[i] = Random(0, 1);
            u.GrainStockKg[i] = i % 11 == 0 ? 0 : u.Persons[i] * Random(0, 200);
            u.SummerLabour[i] = i % 7 == 0 ? 0 : Random(0, 3);
            u.AutumnLabour[i] = i % 7 == 0 ? 0 : Random(0, 3);
            u.SummerNeed[i] = i % 19 == 0 ? 0 : Random(1, 3);
            u.AutumnNeed[i] = i % 19 == 0 ? 0 : Random(1, 3);
            u.GreenEatenKg[i] = i % 3 == 0 ? 0 : u.BaseOutputKg[i] * Random(0, 0.05);
        }
        var weather = sim.World.ProvinceState.CountyWeatherFactor;
        for (var c = 0; c < weather.Length; c++) weather[c] = 0.6 + 0.8 * gen.NextDouble();
        sim.Context.Month = Month.Of(1959, monthOfYear);
        sim.Levers.Values[sim.Levers.Index("pig_campaign.campaign")] = pigCampaign;
        sim.Levers.Values[sim.Levers.Index("techniques.deep_ploughing")] = 0.4;
        sim.Levers.Values[sim.Levers.Index("private_plots.land_share")] = privatePlots;
        var farming = sim.Module<Farming>();
        var columns = new UnitColumns(u);
        farming.Step(sim.Context);
        var fourAtATime = columns.Copy();
        var nat = sim.World.National;
        var (output, privateOutput) = (nat.AgriculturalOutputPoints, nat.PrivateAgriculturalPoints);
        columns.Restore();
        farming.OneUnitAtATime = true;
        farming.Step(sim.Context);

        columns.AssertSameBits(fourAtATime);
        Assert.Equal(output, nat.AgriculturalOutputPoints);
        Assert.Equal(privateOutput, nat.PrivateAgriculturalPoints);
        // The paths the test means to reach were reached: sties fed, herds both thinned and regrown, a crop brought in.
        if (!FarmCalendar.IsHarvestMonth(monthOfYear)) Assert.Equal(pigCampaign > 0, u.FeedKg.Any(f => f > 0));
        Assert.Equal(FarmCalendar.IsHarvestMonth(monthOfYear), u.HarvestKg.Any(h => h > 0));
        Assert.Contains(u.Animals.Select((a, i) => a < columns.Saved("animals")[i]), x => x);
    }
}
