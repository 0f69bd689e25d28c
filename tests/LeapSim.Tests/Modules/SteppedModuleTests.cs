using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Time;
using LeapSim.Core.World;
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
    public void HouseholdFarmingGrowsWithHungerWhenToleratedAndIsPushedBackWhenNot()
    {
        // Defaults: rate 0.08, cap 0.25, full hunger 3 BMI points below the reference 21, suppression 0.2.
        // BMI 19.5: hunger 1.5 / 3 = 0.5. A commune unit farming 5 % on its own, excess pressure 0.1:
        var c = ModuleTestWorld.Create().Module<Collectivisation>();
        // tolerated: + 0.08 × 0.5 × (0.25 − 0.05) = 0.008, − 0.2 × (0.1 + 0) × 0.05 = 0.001.
        Assert.Equal(0.057, c.NextIndividualFarming(0.05, 1, 19.5, 0.1, 1), 12);
        // not tolerated: no growth, − 0.2 × (0.1 + 1) × 0.05 = 0.011.
        Assert.Equal(0.039, c.NextIndividualFarming(0.05, 1, 19.5, 0.1, 0), 12);
        // half tolerated, no excess pressure: + 0.004 − 0.2 × 0.5 × 0.05 = 0.005.
        Assert.Equal(0.049, c.NextIndividualFarming(0.05, 1, 19.5, 0, 0.5), 12);
        // fed (BMI at the reference), tolerated, no pressure: no push either way.
        Assert.Equal(0.05, c.NextIndividualFarming(0.05, 1, 21, 0, 1), 12);
        // outside the communes the co-operative farms: nothing to take back.
        Assert.Equal(0, c.NextIndividualFarming(0, 0, 19.5, 0, 1), 12);
    }

    [Fact]
    public void TheToleranceLeverReachesTheUnitsThroughTheMonthlyStep()
    {
        var sim = ModuleTestWorld.Create();
        var c = sim.Module<Collectivisation>();
        var u = sim.World.Units;
        u.CommuneShare[0] = 1;
        u.Bmi[0] = 19.5f;
        u.IndividualFarming[0] = 0.05f;
        sim.World.National.ExcessPressure = 0;
        sim.Levers.Values[sim.Levers.Index("household_farming.tolerated")] = 1;
        c.Step(sim.Context);
        // + 0.08 × 0.5 × (0.25 − 0.05) = 0.008; no pressure, tolerated: nothing pushed back.
        Assert.Equal(0.058, u.IndividualFarming[0], 6);
        sim.Levers.Values[sim.Levers.Index("household_farming.tolerated")] = 0;
        c.Step(sim.Context);
        // − 0.2 × 1 × 0.058.
        Assert.Equal(0.058 * 0.8, u.IndividualFarming[0], 6);
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
        // One unit carries all the weight of the province's share of the plan, Ningxia's 1.8 M of the provinces'
        // 631.22 M people (provinces_1957.csv): 10,000 t × 1.8 / 631.22 / 4 months / 0.028 t per worker-month
        // = 254.61 workers, far below the cap of 35 % of its workers.
        Assert.Equal(254.61, u.LabourBackyard[0], 0.01);
        Assert.Equal(u.Workers[0] - u.LabourBackyard[0], u.LabourFarming[0], 0);
        Assert.True(u.LabourBackyard[0] < 0.35 * u.Workers[0]);
    }

    [Fact]
    public void AGapBeyondTheCapSendsEveryUnitsCappedShareToTheFurnaces()
    {
        // Ningxia's counties, 100 Mt to make in the last 4 months of 1958: 100e6 t × 1.8 / 631.22 / 4 / 0.028 =
        // 2,546,090 workers, more than Ningxia's 1.8 M people, so every county sends its cap, 35 % of its workers
        // (labour.max_backyard_share), and farms with the rest.
        var sim = ModuleTestWorld.Create(resolution: LeapSim.Core.World.Resolution.County);
        sim.Context.Month = Month.Of(1958, 9);
        sim.Levers.Values[sim.Levers.Index("backyard_steel.campaign")] = 1;
        sim.Levers.Values[sim.Levers.Index("steel_plan.target_mt")] = 100;
        sim.Module<LabourAllocation>().Step(sim.Context);
        var u = sim.World.Units;
        Assert.True(u.Count > 1, "one county: the cap would be one unit's");
        double workers = 0, backyard = 0;
        for (var i = 0; i < u.Count; i++)
        {
            Assert.True(u.Workers[i] > 0);
            Assert.Equal(0.35 * u.Workers[i], u.LabourBackyard[i], 1e-6 * u.Workers[i]);
            Assert.Equal(0.65 * u.Workers[i], u.LabourFarming[i], 1e-6 * u.Workers[i]);
            workers += u.Workers[i];
            backyard += u.LabourBackyard[i];
        }
        Assert.True(workers < 1.8e6);
        Assert.Equal(backyard, sim.World.National.BackyardWorkers, 1e-9 * backyard);
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
        Assert.Equal((2.3, 0), s.RecordedTrade(1957));                         // net_exports_1950s_mt, the 1950s mean
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
        // The normal crop of January 1957 is the 1957 crop half a year of trend (2.5 %) earlier.
        var fixedOwed = StateGrainAccount.FixedSale(u.Persons[0], 18, u.BaseOutputKg[0] * Math.Pow(1.025, 0.5 / 12 - 0.5), 0.09 + 0.1);
        nat.StateGrainStockKg = 1000; // almost nothing
        Array.Clear(u.GrainStockKg);  // and nothing in the villages to levy
        sim.Module<StateGrainAccount>().Step(sim.Context);
        Assert.Equal(0, nat.ExportsKg, 1e-9);                               // exports go undelivered first (a rounding residue at most)
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
    public void TheCentreBelievesTheLastReportsLessTheVerifiedInflation()
    {
        // Summer reported 3,000 (truth 2,000) and autumn 9,000 (truth 6,000); verification strips half the inflation:
        // 3,000 − 500 + 9,000 − 1,500 = 10,000.
        Assert.Equal(10000, StateGrainAccount.BelievedCrop(3000, 2000, 9000, 6000, 12000, 0.3, 0.5, 0.5, 1.5), 9);
        // Without verification the reports stand: 12,000.
        Assert.Equal(12000, StateGrainAccount.BelievedCrop(3000, 2000, 9000, 6000, 12000, 0.3, 0, 0, 1.5), 9);
        // Verification of the autumn report alone (the summer one made this year): 3,000 + 7,500.
        Assert.Equal(10500, StateGrainAccount.BelievedCrop(3000, 2000, 9000, 6000, 12000, 0.3, 0, 0.5, 1.5), 9);
        // No summer report yet: the normal summer crop (30 % of 12,000) as reports would inflate it (× 1.5) = 5,400,
        // plus the verified autumn report 7,500.
        Assert.Equal(12900, StateGrainAccount.BelievedCrop(0, 0, 9000, 6000, 12000, 0.3, 0.5, 0.5, 1.5), 9);
        // No autumn report yet: the verified summer report 2,500 plus 70 % of 12,000 × 1.5 = 12,600.
        Assert.Equal(15100, StateGrainAccount.BelievedCrop(3000, 2000, 0, 0, 12000, 0.3, 0.5, 0.5, 1.5), 9);
    }

    [Fact]
    public void AVillageWhoseReportedCropFailedIsSoldMoreGrain()
    {
        // July 1962, no pressure, the villages fed to the next harvest (no relief beyond the fixed sales) and the
        // granary full. Each unit is sold 18 kg a person a month less its reported crop × (1 − 0.19 seed and feed) / 12:
        // 18 − 200 × 0.81 / 12 = 4.5 kg a person after a normal year reported at 200 kg a person, and
        // 18 − 120 × 0.81 / 12 = 9.9 kg after a failed one reported at 120 kg, whatever its normal crop (200 kg).
        Assert.Equal(4.5, SoldPerPerson(Month.Of(1962, 7), false, 60, 60, 140, 140), 4);
        Assert.Equal(9.9, SoldPerPerson(Month.Of(1962, 7), false, 36, 36, 84, 84), 4);
    }

    [Fact]
    public void VerificationStripsTheInflationOfLastYearsReportsFromTheFixedSales()
    {
        // A crop of 120 kg a person: summer 36 reported honestly, autumn 84 reported at 168. Verification on (the
        // share 0.5 of the defaults) in September: the autumn report is last year's, believed at 168 − 0.5 × 84 = 126,
        // so the crop is 162 and the sale 18 − 162 × 0.81 / 12 = 7.065 kg a person.
        Assert.Equal(7.065, SoldPerPerson(Month.Of(1959, 9), true, 36, 36, 168, 84), 4);
        // Without verification the report stands: 204 kg, 18 − 13.77 = 4.23.
        Assert.Equal(4.23, SoldPerPerson(Month.Of(1959, 9), false, 36, 36, 168, 84), 4);
        // In November the autumn report is this year's: verification does not touch it (as for the quotas).
        Assert.Equal(4.23, SoldPerPerson(Month.Of(1959, 11), true, 36, 36, 168, 84), 4);
    }

    /// <summary>Fixed sales a person a month (kg) in a month, with every unit's reports and truths per person as given.</summary>
    private static double SoldPerPerson(Month month, bool verified, double summerReport, double summerTruth, double autumnReport, double autumnTruth)
    {
        var sim = ModuleTestWorld.Create(resolution: Resolution.County, parameters: [ModuleTestWorld.Param("state_grain.army_and_state_use_mt", 0)]);
        sim.Context.Month = month;
        sim.Levers.Values[sim.Levers.Index("procurement.verified")] = verified ? 1 : 0;
        var nat = sim.World.National;
        var u = sim.World.Units;
        nat.ExcessPressure = 0;
        nat.StateGrainStockKg = 1e15;
        for (var i = 0; i < u.Count; i++)
        {
            u.BaseOutputKg[i] = (float)(u.Persons[i] * 200.0);
            u.GrainStockKg[i] = (float)(u.Persons[i] * 1000.0);
            u.SummerReportKg[i] = (float)(u.Persons[i] * summerReport);
            u.SummerTruthKg[i] = (float)(u.Persons[i] * summerTruth);
            u.AutumnReportKg[i] = (float)(u.Persons[i] * autumnReport);
            u.AutumnTruthKg[i] = (float)(u.Persons[i] * autumnTruth);
        }
        sim.Module<StateGrainAccount>().Step(sim.Context);
        double sold = 0, persons = 0;
        for (var i = 0; i < u.Count; i++) { sold += u.ResoldKg[i]; persons += u.Persons[i]; }
        return sold / persons;
    }

    [Fact]
    public void BeforeAnyReportTheFixedSalesCountTheNormalCropAtTheUnitsYieldLevel()
    {
        // July 1966 is 9 years and half a month after the middle of 1957: the trend factor is 1.025^(9 + 1/24).
        Assert.Equal(Math.Pow(1.025, 9 + 1.0 / 24), Farming.YieldTrend(Month.Of(1966, 7).Index, 0.025), 12);
        Assert.Equal(1, Farming.YieldTrend(Month.Of(1966, 7).Index, 0), 12);
        // A deficit village in July 1966 at that yield level that has never reported (a fresh world), with no pressure: 18 kg × persons less its 1957 crop ×
        // the level × 0.81 / 12.
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("state_grain.army_and_state_use_mt", 0)]);
        sim.Context.Month = Month.Of(1966, 7);
        var nat = sim.World.National;
        var u = sim.World.Units;
        nat.ExcessPressure = 0;
        nat.StateGrainStockKg = 1e15; // the granary pays everything
        for (var i = 0; i < u.Count; i++)
        {
            u.BaseOutputKg[i] = (float)(u.Persons[i] * 200.0); // 200 kg a person a year
            u.GrainStockKg[i] = (float)(u.Persons[i] * 1000.0); // fed to the next harvest: no relief beyond the fixed sale
            u.YieldLevel[i] = (float)Math.Pow(1.025, 9 + 1.0 / 24);
        }
        var expected = 0.0;
        for (var i = 0; i < u.Count; i++)
            expected += u.Persons[i] * 18 - u.Persons[i] * 200.0 * u.YieldLevel[i] * (1 - 0.19) / 12;
        Assert.True(expected > 0);
        sim.Module<StateGrainAccount>().Step(sim.Context);
        var fixedSales = 0.0;
        for (var i = 0; i < u.Count; i++) fixedSales += u.ResoldKg[i];
        Assert.Equal(expected, fixedSales, expected * 1e-5);
    }

    [Fact]
    public void TheYieldLevelGrowsAtTheTrendWhenFedAndSlowerWhenHungry()
    {
        // A month at full work capacity: × 1.025^(1/12); at the capacity floor 0.3 of 0.825 (1,200 kcal against the
        // normal 2,100 kcal): × 1.025^(0.3636.../12); nothing at no capacity.
        var log = Math.Log(1.025) / 12;
        Assert.Equal(Math.Pow(1.025, 1.0 / 12), Farming.YieldLevelGrowth(log, 1), 10);   // a cubic series: within 1e-10
        Assert.Equal(Math.Pow(1.025, 0.3 / 0.825 / 12), Farming.YieldLevelGrowth(log, 0.3 / 0.825), 10);
        Assert.Equal(1, Farming.YieldLevelGrowth(log, 0), 12);
        // Stepped: the first unit fed, the second at the floor intake; both start from January 1957's level.
        var sim = ModuleTestWorld.Create("Ningxia", Resolution.County);
        var u = sim.World.Units;
        Assert.True(u.Count >= 2);
        sim.Context.Month = Month.Of(1957, 1);
        var start = Farming.YieldTrend(0, 0.025);
        Assert.Equal(start, u.YieldLevel[0], 1e-6);
        u.IntakeKcal[0] = 2100;
        u.IntakeKcal[1] = 1200;
        sim.Module<Farming>().Step(sim.Context);
        Assert.Equal(start * Math.Pow(1.025, 1.0 / 12), u.YieldLevel[0], 1e-6);
        Assert.Equal(start * Math.Pow(1.025, 0.3 / 0.825 / 12), u.YieldLevel[1], 1e-6);
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
        // Ningxia's share of the nation: 1.8 M of the provinces' 631.22 M people (provinces_1957.csv; the world
        // scales them all to the national 646.53 M, which leaves the shares alone), so its 1957 modern steel is
        // 5.355 Mt × 1.8 / 631.22 = 15,270.43 t, 1,272.5357 t a month. The first month:
        //   capacity 1 × (1 + 0.10/12) = 1.0083333; wear 0 + 0.6 × 0.25 / 12 = 0.0125 (overwork 0.25 × pressure 1);
        //   normal output 1,272.5357 × 1.0083333 × (1 − 0.0125) = 1,267.1009 t;
        //   made 1,267.1009 × (1 + 0.25) × (1 + 0.35) = 2,138.2328 t;
        //   usable: the normal 1,267.1009 and half of the 871.1319 beyond it = 1,702.6669 t.
        Assert.Equal(2138.2328, n.SteelModernT, 1e-3);
        Assert.Equal(1702.6669, n.SteelModernUsableT, 1e-3);
        // In normal times every tonne of modern steel is usable. The second month, no overwork and no campaign:
        //   capacity 1.0083333² = 1.0167361; wear 0.0125 × (1 − 0.25/12) = 0.0122396;
        //   made = usable = 1,272.5357 × 1.0167361 × (1 − 0.0122396) = 1,277.9970 t.
        n.ExcessPressure = 0;
        sim.Levers.Values[sim.Levers.Index("backyard_steel.campaign")] = 0;
        sim.Module<Industry>().Step(sim.Context);
        Assert.Equal(1277.9970, n.SteelModernT, 1e-3);
        Assert.Equal(1277.9970, n.SteelModernUsableT, 1e-3);
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
