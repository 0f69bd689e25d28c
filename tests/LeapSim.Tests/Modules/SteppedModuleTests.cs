using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Time;
using Xunit;

namespace LeapSim.Tests.Modules;

public class PoliticsTests
{
    [Fact]
    public void PressureMovesHalfWayToTheCampaignEachMonth()
    {
        var sim = ModuleTestWorld.Create();
        var politics = sim.Module<Politics>();
        var lever = sim.Levers.Index("politics.campaign");
        var start = sim.World.National.Pressure; // the lever's default, 0.3
        sim.Levers.Values[lever] = 1.0;
        politics.Step(sim.Context);
        Assert.Equal(start + 0.5 * (1.0 - start), sim.World.National.Pressure, 12);
        Assert.Equal(Math.Max(0, sim.World.National.Pressure - 0.35), sim.World.National.ExcessPressure, 12);
    }
}

public class CollectivisationTests
{
    [Fact]
    public void ShirkInterpolatesBetweenAccountingLevels()
    {
        var sim = ModuleTestWorld.Create();
        var c = sim.Module<Collectivisation>();
        Assert.Equal(0.30, c.CommuneShirk(3, 0), 12);
        Assert.Equal(0.24, c.CommuneShirk(2, 0), 12);
        Assert.Equal(0.16, c.CommuneShirk(1, 0), 12);
        Assert.Equal(0.20, c.CommuneShirk(1.5, 0), 12);
        Assert.Equal(0.35, c.CommuneShirk(3, 1), 12);
    }

    [Fact]
    public void ProvinceUnitsMoveTheExpectedShareAndLoseEffortAndAnimals()
    {
        var sim = ModuleTestWorld.Create();
        var c = sim.Module<Collectivisation>();
        sim.Levers.Values[sim.Levers.Index("communes.campaign")] = 1;
        var zeal = sim.World.Units.Zeal[0];
        c.Step(sim.Context);
        var p = 1 - Math.Exp(-1.8 * zeal);
        Assert.Equal(p, sim.World.Units.CommuneShare[0], 5);
        // Effort: 1 − share + share × (1 − 0.30)/(1 − 0.10).
        Assert.Equal(1 - p + p * 0.7 / 0.9, sim.World.Units.Effort[0], 5);
        Assert.Equal(1 - 0.15 * p, sim.World.Units.Animals[0], 5);
    }
}

public class LabourAllocationTests
{
    [Fact]
    public void WithoutCampaignsEveryoneFarmsInSummer()
    {
        var sim = ModuleTestWorld.Create();
        sim.Context.Month = Month.Of(1957, 7);
        sim.Module<LabourAllocation>().Step(sim.Context);
        var u = sim.World.Units;
        Assert.Equal(u.Workers[0], u.LabourFarming[0], 3);
        Assert.Equal(0, u.LabourBackyard[0]);
        Assert.Equal(0, u.LabourWaterWorks[0]);
    }

    [Fact]
    public void TheSteelGapSetsBackyardLabourUpToTheCap()
    {
        var sim = ModuleTestWorld.Create();
        sim.Context.Month = Month.Of(1958, 9); // 4 months left in the year
        sim.Levers.Values[sim.Levers.Index("backyard_steel.campaign")] = 1;
        sim.Levers.Values[sim.Levers.Index("steel_plan.target_mt")] = 0.01; // 10,000 t, none made yet
        sim.Module<LabourAllocation>().Step(sim.Context);
        var u = sim.World.Units;
        // One unit carries all the weight of the province's share of the plan:
        // 10,000 t × share / 4 months / furnace output per worker-month, unless that is above 35 % of its workers.
        var furnace = sim.Parameters["labour.furnace_output_t_per_worker_month"];
        var expected = Math.Min(0.35 * u.Workers[0], 1e4 * sim.World.NationalShare / 4 / furnace);
        Assert.Equal(expected, u.LabourBackyard[0], 0);
        Assert.Equal(u.Workers[0] - u.LabourBackyard[0], u.LabourFarming[0], 0);
    }
}

public class StateGrainAccountTests
{
    [Fact]
    public void TradeFollowsTheRecordAndFillsGaps()
    {
        var sim = ModuleTestWorld.Create();
        var s = sim.Module<StateGrainAccount>();
        Assert.Equal((2.885, 0.225), s.RecordedTrade(1958));                   // trade.csv
        Assert.Equal((StateGrainAccount.NetExport1950s, 0), s.RecordedTrade(1957)); // 1950s mean
        Assert.Equal((1.03, 5.0), s.RecordedTrade(1963));                      // 1962 exports go on; 1963 imports
        Assert.Equal((1.03, 5.0), s.RecordedTrade(1966));
    }

    [Fact]
    public void AnEmptyGranaryPaysCitiesAndFixedSalesInProportionAndExportsNothing()
    {
        // No army, so that the cities and the fixed sales share what is left.
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("state_grain.army_and_state_use_mt", 0)]);
        sim.Context.Month = Month.Of(1957, 1);
        var nat = sim.World.National;
        var u = sim.World.Units;
        nat.ExcessPressure = 0;
        u.BaseOutputKg[0] = (float)(u.Persons[0] * 100.0);   // a grain-deficit village: 100 kg a person a year
        var fixedOwed = StateGrainAccount.FixedSale(u.Persons[0], 18, u.BaseOutputKg[0], 0.09 + 0.1);
        nat.StateGrainStockKg = 1000; // almost nothing
        Array.Clear(u.GrainStockKg);  // and nothing in the villages to levy
        sim.Module<StateGrainAccount>().Step(sim.Context);
        Assert.Equal(0, nat.ExportsKg);                                     // exports go undelivered first
        Assert.Equal(1000, nat.UrbanEatenKg + nat.ResoldKg, 1e-6);          // the rest is shared...
        Assert.Equal(nat.UrbanEatenKg / nat.UrbanRationKg, nat.ResoldKg / fixedOwed, 1e-9); // ...in proportion
        Assert.Equal(nat.ResoldKg, u.ResoldKg[0], 1e-3);                    // no relief beyond the fixed sale
        Assert.Equal(0, nat.StateGrainStockKg, 1e-9);
    }

    [Fact]
    public void AnEmptyGranaryLeviesTheVillagesAtOnceUpToTheCeilingWhateverTheirFloor()
    {
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("state_grain.army_and_state_use_mt", 0)]);
        sim.Context.Month = Month.Of(1960, 8);
        var nat = sim.World.National;
        var u = sim.World.Units;
        nat.ExcessPressure = 0;
        nat.StateGrainStockKg = 1000;
        // Each village holds 2 kg a person, far below any retention floor and far below the cities' month.
        double villages = 0;
        for (var i = 0; i < u.Count; i++) { u.GrainStockKg[i] = 2 * u.Persons[i]; villages += u.GrainStockKg[i]; }
        var before = (float[])u.GrainStockKg.Clone();
        sim.Module<StateGrainAccount>().Step(sim.Context);
        // The cities' month is far beyond 1000 kg + 20 % of the villages: the levy takes the ceiling, 20 % of each stock.
        Assert.Equal(0.2 * villages, nat.EmergencyLevyKg, villages * 1e-6);
        for (var i = 0; i < u.Count; i++)
        {
            Assert.Equal(0.8 * before[i], u.GrainStockKg[i] - u.ResoldKg[i], before[i] * 1e-5 + 1e-3);
            Assert.Equal(0.2 * before[i], u.ProcuredKg[i], before[i] * 1e-5 + 1e-3);
        }
        Assert.Equal(nat.EmergencyLevyKg, nat.ProcuredKg, 1e-3);
        // All of it, with the 1000 kg and the month's imports, goes to the cities and the fixed sales; nothing is exported.
        Assert.True(nat.ImportsKg + nat.EmergencyLevyKg < nat.UrbanRationKg);
        Assert.Equal(1000 + nat.ImportsKg + nat.EmergencyLevyKg, nat.UrbanEatenKg + nat.ResoldKg, 1e-3);
        Assert.Equal(0, nat.ExportsKg);
    }

    [Fact]
    public void AFullGranaryLeviesNothing()
    {
        var sim = ModuleTestWorld.Create();
        sim.Context.Month = Month.Of(1960, 8);
        var nat = sim.World.National;
        nat.StateGrainStockKg = 1e12;
        var before = (float[])sim.World.Units.GrainStockKg.Clone();
        sim.Module<StateGrainAccount>().Step(sim.Context);
        Assert.Equal(0, nat.EmergencyLevyKg);
        Assert.Equal(0, nat.ProcuredKg);
        Assert.Equal(before, sim.World.Units.GrainStockKg.Zip(sim.World.Units.ResoldKg, (s, r) => s - r).ToArray());
    }

    [Fact]
    public void FixedSalesAreTheNeedBeyondTheNormalCropAsReported()
    {
        // 100 people × 18 kg = 1,800 kg a month; a 12,000 kg crop less 20 % seed and feed gives 800 a month.
        Assert.Equal(1000, StateGrainAccount.FixedSale(100, 18, 12000, 0.2), 9);
        // Reported at twice the truth, the village has 1,600 a month on paper and needs 200.
        Assert.Equal(200, StateGrainAccount.FixedSale(100, 18, 12000, 0.2, 2), 9);
        // At three times the truth it has no deficit at all.
        Assert.Equal(0, StateGrainAccount.FixedSale(100, 18, 12000, 0.2, 3));
    }

    [Fact]
    public void TheEmergencyLevyTakesWhatTheCitiesMissUpToACeiling()
    {
        Assert.Equal(0.1, StateGrainAccount.EmergencyLevy(10, 100, 0.2), 12);  // 10 missing of 100 in the villages
        Assert.Equal(0.2, StateGrainAccount.EmergencyLevy(50, 100, 0.2), 12);  // capped
        Assert.Equal(0, StateGrainAccount.EmergencyLevy(-5, 100, 0.2));        // nothing missing
        Assert.Equal(0, StateGrainAccount.EmergencyLevy(10, 0, 0.2));          // nothing to levy
    }
}

public class IndustryTests
{
    [Fact]
    public void SteelMadeBeyondNormalOutputIsHalfUsable()
    {
        var sim = ModuleTestWorld.Create();
        sim.Context.Month = Month.Of(1958, 10);
        var n = sim.World.National;
        n.ExcessPressure = 1;                                            // overwork 0.25
        sim.Levers.Values[sim.Levers.Index("backyard_steel.campaign")] = 1; // campaign boost 0.35
        sim.Module<Industry>().Step(sim.Context);
        var normal = n.SteelModernT / (1.25 * 1.35);
        Assert.Equal(normal + 0.5 * (n.SteelModernT - normal), n.SteelModernUsableT, n.SteelModernT * 1e-12);
        // In normal times every tonne of modern steel is usable.
        n.ExcessPressure = 0;
        sim.Levers.Values[sim.Levers.Index("backyard_steel.campaign")] = 0;
        sim.Module<Industry>().Step(sim.Context);
        Assert.Equal(n.SteelModernT, n.SteelModernUsableT, n.SteelModernT * 1e-12);
    }

    [Fact]
    public void InTheBaselineOutputIsTheCapacityPath()
    {
        var sim = ModuleTestWorld.Create();
        sim.Context.Month = Month.Of(1957, 1);
        sim.Module<Industry>().Step(sim.Context);
        var n = sim.World.National;
        // Capacity grows 10 %/12 in the month; nothing else departs from 1957 (workers, raw materials, food at need).
        Assert.Equal(1 + 0.10 / 12, n.IndustrialCapacity, 12);
        Assert.Equal(100.0 / 12 * n.IndustrialCapacity, n.IndustrialOutputPoints, 6);
    }

    [Fact]
    public void TheSovietWithdrawalRunsDownOverMonths()
    {
        var sim = ModuleTestWorld.Create();
        sim.Context.Month = Month.Of(1960, 8);
        sim.Levers.Values[sim.Levers.Index("soviet_aid.present")] = 0;
        var industry = sim.Module<Industry>();
        industry.Step(sim.Context);
        Assert.Equal(1 - 1.0 / 8, sim.World.National.SovietSupport, 12);
        industry.Step(sim.Context);
        Assert.Equal((1 - 1.0 / 8) * (1 - 1.0 / 8), sim.World.National.SovietSupport, 12);
    }
}
