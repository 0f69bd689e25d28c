using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Modules;

/// <summary>
/// Labour allocation and collectivisation step four units at a time where the machine has AVX; every unit's numbers
/// must be the same bits as one unit at a time, on a world made hard for the vector path.
/// </summary>
public class LabourAndCollectivisationFourAtATimeTests
{
    private static Simulation HardWorld(Resolution resolution)
    {
        // Both campaigns' caps high enough that together they can take every worker (the field-labour floor binds).
        var sim = new Simulation(new Core.Scenarios.ResolvedScenario("test", "", ["test"],
                [ModuleTestWorld.Param("labour.max_backyard_share", 0.6), ModuleTestWorld.Param("labour.max_water_works_share", 0.6)], []),
            new RunOptions { Resolution = resolution, Provinces = resolution == Resolution.Province ? null : ["Anhui", "Gansu", "Ningxia"], Threads = 1 });
        var u = sim.World.Units;
        var gen = new System.Random(4);
        float Random(double low, double high) => (float)(low + (high - low) * gen.NextDouble());
        for (var i = 0; i < u.Count; i++)
        {
            u.Workers[i] = i % 17 == 0 ? 0 : Random(100, 5000);
            u.Zeal[i] = Random(0.2, 2);
            // Whole communes and units still outside them, so that some blocks of four can join and some cannot.
            u.CommuneShare[i] = i % 8 < 5 ? 1 : Random(0, 0.9);
            u.IndividualFarming[i] = Random(0, 0.3);
            u.Bmi[i] = Random(14, 21);
        }
        return sim;
    }

    /// <summary>Steps <paramref name="module"/> on the same unit table fast and one unit at a time; every column must agree bit for bit.</summary>
    private static void AssertSameBits(Simulation sim, IModule module, Action<bool> oneUnitAtATime)
    {
        var nat = sim.World.National;
        var columns = new UnitColumns(sim.World.Units);
        module.Step(sim.Context);
        var fourAtATime = columns.Copy();
        var backyardFour = nat.BackyardWorkers;
        columns.Restore();
        oneUnitAtATime(true);
        module.Step(sim.Context);
        Assert.Equal(backyardFour, nat.BackyardWorkers); // the national sum, added in unit order both ways
        columns.AssertSameBits(fourAtATime);
    }

    [Theory]
    [InlineData(11, 1.0, 1.0, Resolution.Commune)]  // furnaces and winter water works: some units hit the ceiling on both
    [InlineData(7, 1.0, 0.0, Resolution.Commune)]   // furnaces only
    [InlineData(12, 0.0, 1.0, Resolution.Commune)]  // water works only (no weights summed)
    [InlineData(11, 1.0, 1.0, Resolution.County)]   // a unit count that is not a multiple of four
    public void LabourFourUnitsAtATimeAllocateAsOneByOne(int monthOfYear, double backyard, double water, Resolution resolution)
    {
        var sim = HardWorld(resolution);
        if (resolution == Resolution.County) Assert.NotEqual(0, sim.World.Units.Count % 4); // a partial last block
        sim.Context.Month = Month.Of(1958, monthOfYear);
        sim.Levers.Values[sim.Levers.Index("backyard_steel.campaign")] = backyard;
        sim.Levers.Values[sim.Levers.Index("steel_plan.target_mt")] = 3;
        sim.Levers.Values[sim.Levers.Index("water_works.campaign")] = water;
        sim.World.National.Pressure = 3;
        var labour = sim.Module<LabourAllocation>();
        AssertSameBits(sim, labour, on => labour.OneUnitAtATime = on);
        var u = sim.World.Units;
        Assert.Equal(backyard > 0, u.LabourBackyard.Any(x => x > 0));
        Assert.Equal(water > 0, u.LabourWaterWorks.Any(x => x > 0));
        // The ceiling was reached: some units with workers have none left in the fields.
        if (backyard > 0 && water > 0) Assert.Contains(Enumerable.Range(0, u.Count), i => u.Workers[i] > 0 && u.LabourFarming[i] == 0);
    }

    [Theory]
    [InlineData(Resolution.Commune, 0.0)]   // no campaign: every block four at a time
    [InlineData(Resolution.Commune, 1.0)]   // a campaign with draws: blocks with a unit outside the communes one by one
    [InlineData(Resolution.Province, 1.0)]  // a campaign without draws
    public void CollectivisationFourUnitsAtATimeStepAsOneByOne(Resolution resolution, double campaign)
    {
        var sim = HardWorld(resolution);
        sim.Context.Month = Month.Of(1960, 3);
        sim.Levers.Values[sim.Levers.Index("communes.campaign")] = campaign;
        sim.Levers.Values[sim.Levers.Index("household_farming.tolerated")] = 0.6;
        sim.World.National.ExcessPressure = 0.4;
        var collectivisation = sim.Module<Collectivisation>();
        AssertSameBits(sim, collectivisation, on => collectivisation.OneUnitAtATime = on);
    }
}
