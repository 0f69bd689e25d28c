using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Modules;

/// <summary>
/// Behavioural numbers that were literals in the mechanisms and are now declared parameters: each acts where it should,
/// with hand-computed expectations (their defaults are the old literals, so the default run is unchanged).
/// </summary>
public class DeclaredConstantsTests
{
    [Fact]
    public void WorkCapacityFallsToItsDeclaredFloorAtItsDeclaredIntake()
    {
        // The defaults: 0.3 at 1,200 kcal, 1 at 2,400: at 1,500 kcal 0.3 + 0.7 × 300 / 1,200 = 0.475.
        Assert.Equal(0.475, Farming.WorkCapacity(1500, 2400, 0.3, 1200), 12);
        // Floor 0.5 at 1,000 kcal: 0.5 at 800 (below the floor intake), 0.5 + 0.5 × 700 / 1,400 = 0.75 at 1,700.
        Assert.Equal(0.5, Farming.WorkCapacity(800, 2400, 0.5, 1000), 12);
        Assert.Equal(0.75, Farming.WorkCapacity(1700, 2400, 0.5, 1000), 12);
    }

    [Fact]
    public void TheFamineHazardStopsAtItsDeclaredCeiling()
    {
        // At BMI 10: 0.00023 × exp(8.5^1.36) ≈ 2e4, far above any ceiling.
        Assert.Equal(0.5, Demography.FamineMortality(10, 0.00023, 1.36, 18.5, 0.5), 12);
        Assert.Equal(0.2, Demography.FamineMortality(10, 0.00023, 1.36, 18.5, 0.2), 12);
        // At 17.5 the formula gives 0.00023 × e, under both ceilings.
        Assert.Equal(0.00023 * Math.Exp(1), Demography.FamineMortality(17.5, 0.00023, 1.36, 18.5, 0.2), 12);
    }

    /// <summary>
    /// Births and postponed births of one January month of a unit whose lagged BMI is 20.5, with <paramref name="postponed"/>
    /// births waiting, expected values, fertility elasticity 4, reference BMI <paramref name="reference"/> and one more
    /// demography parameter set.
    /// </summary>
    private static (double Births, double Postponed) JanuaryBirths(string parameter, double value, float postponed, double reference = 21)
    {
        var sim = ModuleTestWorld.Create(parameters:
        [
            ModuleTestWorld.Param("demography.stochastic", 0), ModuleTestWorld.Param("demography.fertility_bmi_elasticity", 4),
            ModuleTestWorld.Param(parameter, value), ModuleTestWorld.Param("consumption.reference_bmi", reference),
        ]);
        var u = sim.World.Units;
        u.Bmi[0] = u.FertilityNutrition[0] = u.FertilityNutritionLag[0] = 20.5f;
        u.PostponedBirths[0] = postponed;
        sim.Context.Month = Month.Of(1957, 1);
        sim.Module<Demography>().Step(sim.Context);
        return (u.Births[0], u.PostponedBirths[0]);
    }

    /// <summary>Births of one January month with 1,000 births postponed and the lagged BMI at 20.5 (fertility (20.5/21)^4 = 0.9081).</summary>
    private static (double Births, double Postponed) CatchUpMonth(double catchUpFertility) =>
        JanuaryBirths("demography.catch_up_fertility", catchUpFertility, 1000);

    [Fact]
    public void PostponedBirthsAreMadeUpOnlyAboveTheDeclaredFertility()
    {
        var waiting = CatchUpMonth(0.95); // 0.9081 < 0.95: nothing made up
        var catching = CatchUpMonth(0.9);  // 0.9081 ≥ 0.9: catch_up_rate (0.04) × 1,000 = 40 more births
        Assert.Equal(waiting.Births + 40, catching.Births, 1e-2);
        // And 40 fewer postponed, less the month's decay (3 %): 40 × 0.97 = 38.8.
        Assert.Equal(waiting.Postponed - 38.8, catching.Postponed, 1e-2);
    }

    /// <summary>Births and postponed births of one January month with the lagged BMI at 20.5, a reference BMI and a fertility gap below it.</summary>
    private static (double Births, double Postponed) BirthsAtThreshold(double gap, double reference = 21) =>
        JanuaryBirths("demography.fertility_bmi_gap", gap, 0, reference);

    [Fact]
    public void FertilityFallsOnlyBelowTheDeclaredGapUnderTheReference()
    {
        Assert.Equal(1, Demography.FertilityFactor(20.5, 20, 4));
        Assert.Equal(Math.Pow(19.0 / 20, 4), Demography.FertilityFactor(19, 20, 4), 12);
        // Gap 0 at reference 21: a lagged BMI of 20.5 gives (20.5/21)^4 = 0.9081 of normal births, the other 0.0919
        // postponed; a gap of 1 (threshold 20) makes the same month a fed month: normal births, none postponed.
        var noGap = BirthsAtThreshold(0);
        var gapOfOne = BirthsAtThreshold(1);
        Assert.Equal(0, gapOfOne.Postponed, 9);
        var fed = gapOfOne.Births;
        Assert.True(fed > 0);
        Assert.Equal(Math.Pow(20.5 / 21, 4), noGap.Births / fed, 5);
        Assert.Equal(fed * (1 - Math.Pow(20.5 / 21, 4)), noGap.Postponed, 3);
        // The gap is measured from the reference, whatever it is: at reference 23 with no gap, 20.5 gives (20.5/23)^4
        // of the births of a fed month at the same reference (gap 3, threshold 20).
        var highReference = BirthsAtThreshold(0, reference: 23);
        var fedAtHighReference = BirthsAtThreshold(3, reference: 23);
        Assert.Equal(Math.Pow(20.5 / 23, 4), highReference.Births / fedAtHighReference.Births, 5);
    }

    [Fact]
    public void AnimalsFallNoLowerThanTheDeclaredFloor()
    {
        foreach (var floor in new[] { 0.05, 0.2 })
        {
            var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("farming.animal_floor", floor)]);
            var u = sim.World.Units;
            sim.Context.Month = Month.Of(1957, 2);
            u.Animals[0] = 0.1f;
            u.IntakeKcal[0] = 0; // full hunger: 0.1 × (1 − 0.3 × 0.92) = 0.0724 before the floor
            sim.Module<Farming>().Step(sim.Context);
            Assert.Equal(Math.Max(floor, 0.1 * (1 - 0.3 * 0.92)), u.Animals[0], 1e-6);
        }
    }

    /// <summary>Grain eaten green in April 1957 by a unit with an empty granary (the cap binds: its need is far above it).</summary>
    private static (double Green, double Standing) GreenInApril(double firstMonthShare)
    {
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("consumption.green_crop_first_month_share", firstMonthShare)]);
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1957, 4);
        u.GrainStockKg[0] = 0;
        sim.Module<Consumption>().Step(sim.Context);
        // The standing summer crop: the 1957 crop × the summer share (0.3) × the unit's weather (an input here).
        return (u.GreenEatenKg[0], u.BaseOutputKg[0] * 0.3 * sim.World.ProvinceState.For(u, 0));
    }

    [Fact]
    public void InTheFirstGreenMonthOnlyTheDeclaredShareOfTheCapCanBeEaten()
    {
        var (half, standing) = GreenInApril(0.5);
        var (whole, _) = GreenInApril(1);
        // Cap: green_crop_max_share (0.15) × standing × green_crop_efficiency (0.6) × the first-month share.
        Assert.Equal(0.15 * standing * 0.6 * 0.5, half, standing * 1e-6);
        Assert.Equal(0.15 * standing * 0.6, whole, standing * 1e-6);
    }

    /// <summary>Grain the state resold to villages in 1957-1961 in the historical run (Ningxia, county resolution, expected values).</summary>
    private static double Resold(params (string Name, double Value)[] parameters)
    {
        var history = ScenarioLibrary.Resolve("default");
        var scenario = history with
        {
            Parameters = [.. history.Parameters, ModuleTestWorld.Param("demography.stochastic", 0), .. parameters.Select(p => ModuleTestWorld.Param(p.Name, p.Value))],
        };
        var sim = new Simulation(scenario, new RunOptions { Resolution = Resolution.County, Provinces = ["Ningxia"], Threads = 1 });
        double resold = 0;
        while (sim.Context.Month.Year < 1962)
        {
            sim.Step();
            resold += sim.World.Units.ResoldKg.Sum(x => (double)x);
        }
        return resold;
    }

    [Fact]
    public void ReliefReachesFartherWithALongerHalfReachAndTheMeanDistanceNowActs()
    {
        var standard = Resold();
        Assert.True(standard > 0, "the test world must resell grain for the reach to matter");
        // Units farther from the county seat than the half-reach get less: a longer half-reach, more resold; the same
        // when every unit is nearer (a shorter mean distance), which had no effect when the reach was scaled by it.
        Assert.True(Resold(("state_grain.relief_half_reach_km", 60)) > standard);
        Assert.True(Resold(("world.distance_mean_km", 4)) > standard);
    }

    [Fact]
    public void TheSpreadOfTeamSizesAndDistancesIsDeclaredPerLevel()
    {
        // With no spread at team level, the teams of a brigade share its people equally and sit at its distance.
        var even = TestWorlds.Build(Resolution.Team, 1, ["Ningxia"], ("world.size_cv_team", 0), ("world.distance_cv_team", 0));
        var spread = TestWorlds.Build(Resolution.Team, 1, ["Ningxia"]);
        foreach (var (world, equal) in new[] { (even, true), (spread, false) })
        {
            var u = world.Units;
            var brigade = world.Hierarchy.TeamBrigade;
            var teams = Enumerable.Range(0, u.Count).Where(t => brigade[t] == brigade[0]).ToArray();
            Assert.True(teams.Length >= 2, "the first brigade must have at least two teams");
            var persons = teams.Select(t => (double)u.Persons[t]).ToArray();
            var mean = persons.Average();
            Assert.Equal(equal, persons.All(x => Math.Abs(x - mean) <= mean * 1e-5));
            Assert.Equal(equal, teams.All(t => u.DistanceKm[t] == u.DistanceKm[teams[0]]));
        }
    }

    /// <summary>The summer crop's labour account after one February month of a unit whose people ate nothing last month.</summary>
    private static double StarvedFebruaryLabour(double floor)
    {
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("farming.work_capacity_floor", floor)]);
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1957, 2);
        u.SummerLabour[0] = 0;
        u.LabourFarming[0] = u.BaseWorkers[0];
        u.Effort[0] = 1;
        u.IntakeKcal[0] = 0;
        sim.Module<Farming>().Step(sim.Context);
        return u.SummerLabour[0];
    }

    [Fact]
    public void TheWorkCapacityFloorReachesTheFields()
    {
        // February's need 0.45 × all hands × effort 1 × capacity at 0 kcal relative to the 2,100 kcal of 1957:
        // floor 0.3: 0.3 / (0.3 + 0.7 × 900 / 1,200) = 0.3 / 0.825; floor 0.5: 0.5 / (0.5 + 0.5 × 0.75) = 0.5 / 0.875.
        Assert.Equal(0.45 * 0.3 / 0.825, StarvedFebruaryLabour(0.3), 1e-6);
        Assert.Equal(0.45 * 0.5 / 0.875, StarvedFebruaryLabour(0.5), 1e-6);
    }

    [Fact]
    public void FlightStopsAtTheDeclaredMonthlyShare()
    {
        // flight_rate 0.1 at BMI 8: 0.1 × (18.5 − 8) / 4 = 0.2625, above a declared ceiling of 0.1.
        var sim = ModuleTestWorld.Create(parameters:
            [ModuleTestWorld.Param("migration.flight_rate", 0.1), ModuleTestWorld.Param("migration.flight_max_share", 0.1)]);
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1960, 2);
        u.Bmi[0] = 8;
        var persons = (double)u.Persons[0];
        sim.Module<Migration>().Step(sim.Context);
        Assert.Equal(0.1 * persons, u.MigrationOut[0], persons * 1e-6);
    }

    [Fact]
    public void ACitySendsBackAtMostTheDeclaredShareOfItsYoungAdults()
    {
        // 10 people in each of the city's 42 groups: 100 aged 15-39; a ceiling of 0.25 lets 25 go, though the lever
        // asks for more (1.2 M a year is 100,000 a month × Ningxia's share).
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("migration.send_back_max_share", 0.25)]);
        sim.Context.Month = Month.Of(1961, 6);
        sim.Levers.Values[sim.Levers.Index("sending_back.persons_per_year")] = 1.2e6;
        Assert.True(1.2e6 / 12 * sim.World.NationalShare > 25);
        sim.World.Urban.CohortsOf(0).Fill(10);
        sim.Module<Migration>().Step(sim.Context);
        Assert.Equal(25, sim.World.Urban.MigrationOut[0], 1e-3);
    }

    [Fact]
    public void NovemberCollectsTheDeclaredShareOfTheAutumnQuota()
    {
        // A quota of 2,000 t and a stock far above the floor: November collects 0.3 of it with november_share 0.3.
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("procurement.november_share", 0.3)]);
        var u = sim.World.Units;
        sim.World.National.ExcessPressure = 0;
        u.GrainStockKg[0] = (float)(200.0 / 12 * 8 * u.Persons[0] + 1e7);
        u.QuotaKg[0] = 2e6f;
        sim.Context.Month = Month.Of(1959, 11);
        sim.Module<Procurement>().Step(sim.Context);
        Assert.Equal(0.6e6, u.ProcuredKg[0], 1.0);
    }

    [Fact]
    public void NoQuotaExceedsTheDeclaredShareOfItsPlan()
    {
        // Last year's autumn report 16 × the normal crop: the rate 0.235683 × 16^0.5 = 0.943 passes a ceiling of 0.8.
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("procurement.max_quota_share", 0.8)]);
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1959, 10);
        sim.World.National.ExcessPressure = 0;
        var plan = u.BaseOutputKg[0] * 0.7 * 16;
        u.AutumnReportKg[0] = (float)plan;
        sim.Module<Procurement>().Step(sim.Context);
        Assert.Equal(0.8 * plan, u.QuotaKg[0], plan * 1e-6);
    }

    [Fact]
    public void The1950sExportsAndTheStartingStockAreDeclared()
    {
        var sim = ModuleTestWorld.Create(parameters:
            [ModuleTestWorld.Param("state_grain.net_exports_1950s_mt", 1.5), ModuleTestWorld.Param("consumption.initial_reserve_months", 4)]);
        // trade.csv starts in 1958: 1957 exports are the 1950s figure.
        Assert.Equal((1.5, 0), sim.Module<StateGrainAccount>().RecordedTrade(1957));
        // January 1957: 5 months to the summer harvest + 4 = 9 months of need, need_kcal 2,100 as grain:
        // 2,100 kcal / (3,000 kcal/kg / 0.85 / (365.25 / 12)) kg a month a person.
        var u = sim.World.Units;
        var needKgMonth = 2100 / (3000 / 0.85 / (365.25 / 12));
        Assert.Equal(u.Persons[0] * needKgMonth * 9, u.GrainStockKg[0], u.GrainStockKg[0] * 1e-6);
    }
}
