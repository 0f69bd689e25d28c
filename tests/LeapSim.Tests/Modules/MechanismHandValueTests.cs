using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.Modules;

// Stepped tests of mechanism parts with hand-computed expectations: each expectation is the formula of MODEL.md written
// out with the parameter defaults (the arithmetic in the comments); the world's own numbers (a unit's people, its zeal,
// Ningxia's share of the nation) enter as inputs read from the world, never through the production code under test.

/// <summary>Famine deaths by age (MODEL.md §6.11): the Clingendael hazard times the age relative risks, and registration.</summary>
public class FamineDeathsByAgeTests
{
    // Men only (no women: no births), one group at each relative risk, each with an empty group below it, so that a
    // group's number after the month is (N − E) × (1 − 1/(12 × width)) and its deaths E can be read back.
    private const int Infants = 0, Boys5 = 5, Men30 = 10, Men50 = 14, Men60 = 16;   // ages 0, 5-9, 30-34, 50-54, 60-64
    private static readonly (int Group, double N, double Width, double Rr)[] Groups =
    [
        (Infants, 1000, 1, 3),   // rr_under5 = 3
        (Boys5, 2000, 5, 1.2),   // rr_5_14 = 1.2
        (Men30, 3000, 5, 1),     // 15-49: 1
        (Men50, 1500, 5, 1.6),   // rr_50_59 = 1.6
        (Men60, 1200, 5, 2.5),   // rr_60plus = 2.5
    ];

    /// <summary>One month of a unit of these groups at a mean BMI; returns the deaths read back by group, and the unit.</summary>
    private static (double[] Deaths, double[] QNormal, RuralUnits Units) RunMonth(double bmi, double sd, double hazardMax = 0.5,
        double backyard = 0, double waterWorks = 0, double excessPressure = 0)
    {
        var sim = ModuleTestWorld.Create(parameters:
        [
            ModuleTestWorld.Param("demography.stochastic", 0), ModuleTestWorld.Param("demography.individual_bmi_sd", sd),
            ModuleTestWorld.Param("demography.famine_hazard_max", hazardMax),
        ]);
        var u = sim.World.Units;
        var c = u.CohortsOf(0);
        c.Clear();
        foreach (var g in Groups) c[AgeGroups.Index(AgeGroups.Male, g.Group)] = (float)g.N;
        u.RefreshHeadcounts(0);
        u.PostponedBirths[0] = 0;
        u.Bmi[0] = (float)bmi;
        u.LabourBackyard[0] = (float)backyard;
        u.LabourWaterWorks[0] = (float)waterWorks;
        sim.World.National.ExcessPressure = excessPressure;
        sim.Context.Month = Month.Of(1960, 1);
        sim.Module<Demography>().Step(sim.Context);

        // The 1957 schedule (an input): monthly q = 1 − exp(−h/12), scaled to the province's 1957 death rate.
        var schedules = WorldBuilder.Schedules(Core.Inputs.BaselineInputs.Embedded);
        var scale = sim.World.Provinces.TrueDeathRate1957[0] / schedules.DeathRate;
        var deaths = new double[Groups.Length];
        var qNormal = new double[Groups.Length];
        for (var i = 0; i < Groups.Length; i++)
        {
            var (g, n, width, _) = Groups[i];
            var k = AgeGroups.Index(AgeGroups.Male, g);
            deaths[i] = n - c[k] / (1 - 1 / (12 * width));
            // What moved up went to the empty group above: (N − E) / (12 × width).
            Assert.Equal((n - deaths[i]) / (12 * width), c[k + 1], 1e-2);
            qNormal[i] = (1 - Math.Exp(-schedules.AnnualHazard[k] / 12)) * scale;
        }
        return (deaths, qNormal, u);
    }

    [Fact]
    public void InADeepFamineEachAgeDiesAtItsRelativeRiskUpToTheCeilingOf095()
    {
        // Mean BMI 9, spread 0.3: every individual lies in [9 − 4 × 0.3, 9 + 4 × 0.3] = [7.8, 10.2], far below 14.0, where
        // 0.00023 × exp((18.5 − B)^1.36) > 0.5 (at B = 10.2: 8.3^1.36 = 17.8, e^17.8 × 0.00023 ≈ 1.2e4), so each has the
        // ceiling famine_hazard_max = 0.5 and the unit hazard is M = 0.5; at the reference BMI 21 everyone is at
        // 21 − 1.2 = 19.8 > 18.5, hazard 0, so nothing is subtracted.
        // q_k = 1 − (1 − q_normal)(1 − min(0.95, 0.5 RR_k)): infants min(0.95, 1.5) = 0.95, 5-14: 0.6, adults 0.5,
        // 50-59: 0.8, 60+: min(0.95, 1.25) = 0.95.
        var (deaths, qNormal, u) = RunMonth(9, 0.3);
        var famine = new[] { 0.95, 0.6, 0.5, 0.8, 0.95 };
        double total = 0;
        for (var i = 0; i < Groups.Length; i++)
        {
            var expected = Groups[i].N * (1 - (1 - qNormal[i]) * (1 - famine[i]));
            Assert.Equal(expected, deaths[i], Groups[i].N * 1e-5);
            total += expected;
        }
        Assert.Equal(total, u.Deaths[0], total * 1e-5);
        // Infants: 1000 × (1 − (1 − q)(0.05)) ≈ 950 and more, whatever q_normal (a few per thousand a month).
        Assert.InRange(deaths[0], 950, 960);
    }

    [Fact]
    public void ALowerCeilingOfTheIndividualHazardLowersEveryAgesFamineDeaths()
    {
        // As above with famine_hazard_max = 0.2: M = 0.2, so min(0.95, 0.2 RR_k) = 0.6, 0.24, 0.2, 0.32, 0.5.
        var (deaths, qNormal, _) = RunMonth(9, 0.3, hazardMax: 0.2);
        var famine = new[] { 0.6, 0.24, 0.2, 0.32, 0.5 };
        for (var i = 0; i < Groups.Length; i++)
            Assert.Equal(Groups[i].N * (1 - (1 - qNormal[i]) * (1 - famine[i])), deaths[i], Groups[i].N * 1e-5);
    }

    [Fact]
    public void MobilisedLabourUnderPressureAddsItsHazardAtTheFamineRelativeRisks()
    {
        // Fed (BMI 21 = the reference, spread 0.3: nobody below 18.5, no famine hazard). The unit's 8,700 people (the
        // groups above) have 870 at the furnaces and 1,305 on the works: a share of 2,175 / 8,700 = 0.25; excess
        // pressure 0.5 and mobilisation_mortality 0.004 give h = 0.004 × 0.5 × 0.25 = 0.0005 a month, and
        // q_k = 1 − (1 − q_normal)(1 − 0.0005 RR_k): infants 0.0015, 5-14 0.0006, adults 0.0005, 50-59 0.0008, 60+ 0.00125.
        var (deaths, qNormal, u) = RunMonth(21, 0.3, backyard: 870, waterWorks: 1305, excessPressure: 0.5);
        var extra = new[] { 0.0015, 0.0006, 0.0005, 0.0008, 0.00125 };
        double normal = 0, mobilised = 0;
        for (var i = 0; i < Groups.Length; i++)
        {
            var expected = Groups[i].N * (1 - (1 - qNormal[i]) * (1 - extra[i]));
            Assert.Equal(expected, deaths[i], Groups[i].N * 1e-5);
            normal += Groups[i].N * qNormal[i];
            mobilised += expected - Groups[i].N * qNormal[i];
        }
        Assert.InRange(mobilised, 6.8, 6.9); // (1.5 + 1.2 + 1.5 + 1.2 + 1.5 = 6.9) × (1 − q_normal), q_normal a few per thousand
        // Registered like famine deaths: the normal part at 10.8/18.1, the rest at famine_death_registration 0.35.
        Assert.Equal(normal * 10.8 / 18.1 + mobilised * 0.35, u.DeathsRegistered[0], (normal + mobilised) * 2e-4);
        // At normal pressure the same labour kills no one beyond the 1957 schedule.
        var (calm, _, _) = RunMonth(21, 0.3, backyard: 870, waterWorks: 1305, excessPressure: 0);
        for (var i = 0; i < Groups.Length; i++) Assert.Equal(Groups[i].N * qNormal[i], calm[i], Groups[i].N * 1e-5);
    }

    [Fact]
    public void AtBmi16TheUnitHazardIsTheClingendaelFormulaAveragedOverTheSpreadTimesEachAgesRisk()
    {
        // Mean BMI 16, spread 0.3 (the lowest the parameter allows): every individual (16 ± 1.2) is below 18.5 and above
        // 14.0, so m(x) = 0.00023 × exp((18.5 − x)^1.36) without the ceiling; the unit hazard is its normal average,
        // M = Σ_z w(z) m(16 + 0.3 z) / Σ_z w(z), w = exp(−z²/2), z = −4, −3.95, …, 4 (MODEL.md §6.11); at the reference
        // BMI 21 (19.8 and above) the hazard is 0. Without the spread M would be 0.00023 × exp(2.5^1.36) = 0.00023 ×
        // e^3.477 = 0.00744; the spread raises it (m is convex).
        double acc = 0, wsum = 0;
        for (var i = 0; i <= 160; i++)
        {
            var z = -4 + 0.05 * i;
            var w = Math.Exp(-0.5 * z * z);
            acc += w * 0.00023 * Math.Exp(Math.Pow(18.5 - (16 + 0.3 * z), 1.36));
            wsum += w;
        }
        var m = acc / wsum;
        Assert.InRange(m, 0.0075, 0.0090);                                   // a little above 0.00744
        var (deaths, qNormal, u) = RunMonth(16, 0.3);
        double normal = 0, excess = 0;
        for (var i = 0; i < Groups.Length; i++)
        {
            var q = 1 - (1 - qNormal[i]) * (1 - Math.Min(0.95, m * Groups[i].Rr));
            var expected = Groups[i].N * q;
            Assert.Equal(expected, deaths[i], expected * 2e-4);
            normal += Groups[i].N * qNormal[i];
            excess += Groups[i].N * (q - qNormal[i]);
        }
        // E.g. infants: 1000 × (1 − (1 − q_n)(1 − 3M)), about 3 × 7.9 = 24 famine deaths per thousand; adults about 8.
        Assert.Equal(normal + excess, u.Deaths[0], (normal + excess) * 2e-4);
        // Registered: the normal part at 10.8/18.1, the famine part at famine_death_registration 0.35.
        Assert.Equal(normal * 10.8 / 18.1 + excess * 0.35, u.DeathsRegistered[0], (normal + excess) * 2e-4);
    }
}

/// <summary>Famine flight and sending back (MODEL.md §6.12).</summary>
public class MigrationHandValueTests
{
    [Fact]
    public void AHungryUnitLosesTheFlightShareOfEveryGroupAndItsCitiesGainAllButThoseWhoGoAbroad()
    {
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1960, 2);
        u.Bmi[0] = 16.5f;
        var before = u.CohortsOf(0).ToArray();
        var persons = before.Sum(x => (double)x);
        var city = sim.World.Urban.Population(0);
        var cityBefore = sim.World.Urban.CohortsOf(0).ToArray();
        var workers = sim.World.National.IndustrialWorkers;
        sim.Module<Migration>().Step(sim.Context);
        // share = min(0.2, flight_rate × (flight_bmi − BMI) / 4) = min(0.2, 0.004 × (18.5 − 16.5) / 4) = 0.002 of every group.
        var after = u.CohortsOf(0).ToArray();
        for (var k = 0; k < AgeGroups.Cohorts; k++) Assert.Equal(before[k] * (1 - 0.002), after[k], before[k] * 1e-6 + 1e-3);
        var fled = 0.002 * persons;
        Assert.Equal(fled, u.MigrationOut[0], fled * 1e-5);
        Assert.Equal(persons - fled, u.Persons[0], persons * 1e-6);
        Assert.Equal(0, u.MigrationIn[0]);
        // 5 % (flight_abroad_share) leave the country; 95 % join the province's city, every city group in proportion.
        Assert.Equal(city + 0.95 * fled, sim.World.Urban.Population(0), fled * 1e-4);
        Assert.Equal(0.95 * fled, sim.World.Urban.MigrationIn[0], fled * 1e-4);
        var f = 0.95 * fled / city;
        var cityAfter = sim.World.Urban.CohortsOf(0);
        for (var k = 0; k < AgeGroups.Cohorts; k++) Assert.Equal(cityBefore[k] * (1 + f), cityAfter[k], cityBefore[k] * 1e-6);   // f from float village flows
        Assert.Equal(workers, sim.World.National.IndustrialWorkers);   // refugees are not industrial workers
    }

    [Fact]
    public void FlightStopsAtAFifthOfTheUnitAMonthAndAtTheThreshold()
    {
        // flight_rate 0.1 at BMI 8: 0.1 × (18.5 − 8) / 4 = 0.2625, capped at 0.2; half of those fleeing go abroad.
        var sim = ModuleTestWorld.Create(parameters:
            [ModuleTestWorld.Param("migration.flight_rate", 0.1), ModuleTestWorld.Param("migration.flight_abroad_share", 0.5)]);
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1960, 2);
        u.Bmi[0] = 8;
        var persons = (double)u.Persons[0];
        var city = sim.World.Urban.Population(0);
        sim.Module<Migration>().Step(sim.Context);
        Assert.Equal(0.2 * persons, u.MigrationOut[0], persons * 1e-6);
        Assert.Equal(0.8 * persons, u.Persons[0], persons * 1e-6);
        Assert.Equal(city + 0.5 * 0.2 * persons, sim.World.Urban.Population(0), persons * 1e-6);

        // Above the threshold BMI (18.5) nobody flees (the formula alone would give 0.1 × (18.5 − 19) / 4 < 0, arrivals).
        var fed = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("migration.flight_rate", 0.1)]);
        fed.Context.Month = Month.Of(1960, 2);
        fed.World.Units.Bmi[0] = 19;
        var fedPersons = fed.World.Units.Persons[0];
        fed.Module<Migration>().Step(fed.Context);
        Assert.Equal(0, fed.World.Units.MigrationOut[0]);
        Assert.Equal(fedPersons, fed.World.Units.Persons[0]);
    }

    private static double YoungAdults(ReadOnlySpan<float> c)
    {
        double s = 0;
        for (var sex = 0; sex < 2; sex++) for (var g = 7; g <= 11; g++) s += c[AgeGroups.Index(sex, g)];
        return s;
    }

    private static double YoungAdults(ReadOnlySpan<double> c)
    {
        double s = 0;
        for (var sex = 0; sex < 2; sex++) for (var g = 7; g <= 11; g++) s += c[AgeGroups.Index(sex, g)];
        return s;
    }

    [Fact]
    public void SentBackPeopleJoinTheVillagesWorkingAgesAndIndustryShedsItsShare()
    {
        // 1.2 M a year nationally: 100,000 a month × Ningxia's share, all from Ningxia's city (one province), far less than
        // half of its people aged 15-39, so the cap does not bind.
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        var urban = sim.World.Urban;
        sim.Context.Month = Month.Of(1961, 6);
        sim.Levers.Values[sim.Levers.Index("sending_back.persons_per_year")] = 1.2e6;
        var sent = 1.2e6 / 12 * sim.World.NationalShare;
        var ruralBefore = u.CohortsOf(0).ToArray();
        var cityBefore = urban.CohortsOf(0).ToArray();
        var ruralYoung = YoungAdults(ruralBefore);
        var cityYoung = YoungAdults(cityBefore);
        Assert.True(sent < 0.5 * cityYoung);
        var workers = sim.World.National.IndustrialWorkers;
        sim.Module<Migration>().Step(sim.Context);
        Assert.Equal(sent, u.MigrationIn[0], sent * 1e-4);
        Assert.Equal(sent, urban.MigrationOut[0], sent * 1e-4);
        // The village's groups 15-39 grow by sent / (its people 15-39); the city's shrink by sent / (its people 15-39).
        var rural = u.CohortsOf(0);
        var city = urban.CohortsOf(0);
        for (var k = 0; k < AgeGroups.Cohorts; k++)
        {
            var young = k % AgeGroups.PerSex is >= 7 and <= 11;
            Assert.Equal(ruralBefore[k] * (young ? 1 + sent / ruralYoung : 1), rural[k], ruralBefore[k] * 1e-6 + 1e-3);
            Assert.Equal(cityBefore[k] * (young ? 1 - sent / cityYoung : 1), city[k], cityBefore[k] * 1e-6);
        }
        // State industry sheds sent_back_worker_share = 0.7 of those sent back.
        Assert.Equal(workers - 0.7 * sent, sim.World.National.IndustrialWorkers, sent * 1e-4);
    }

    [Fact]
    public void ACitySendsBackAtMostHalfItsPeopleAged15To39InAMonth()
    {
        // A city of 10 people in each of its 42 groups: 100 aged 15-39, so at most 50 go back, however many are asked for
        // (1.2 M a year asks 100,000 × Ningxia's share, some hundreds). Industry sheds 0.7 × 50 = 35.
        var sim = ModuleTestWorld.Create();
        var urban = sim.World.Urban;
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1961, 6);
        sim.Levers.Values[sim.Levers.Index("sending_back.persons_per_year")] = 1.2e6;
        Assert.True(1.2e6 / 12 * sim.World.NationalShare > 50);
        urban.CohortsOf(0).Fill(10);
        var persons = (double)u.Persons[0];
        var workers = sim.World.National.IndustrialWorkers;
        sim.Module<Migration>().Step(sim.Context);
        // (The city books what the village's float cohorts received: 50 to within their rounding, a few hundredths.)
        Assert.Equal(50, u.MigrationIn[0], 0.05);
        Assert.Equal(persons + 50, u.Persons[0], persons * 1e-6);
        Assert.Equal(50, urban.MigrationOut[0], 0.05);
        var city = urban.CohortsOf(0);
        for (var k = 0; k < AgeGroups.Cohorts; k++)
            Assert.Equal(k % AgeGroups.PerSex is >= 7 and <= 11 ? 5 : 10, city[k], 1e-3);   // 15-39 halved: 10 × (1 − 50/100)
        Assert.Equal(workers - 35, sim.World.National.IndustrialWorkers, 0.05);
    }
}

/// <summary>Winter water works and the steel gap in labour allocation (MODEL.md §6.3).</summary>
public class LabourAllocationHandValueTests
{
    [Fact]
    public void InDecemberWaterWorksTakeTheCampaignTimesTheShareTimesPressureTimesZealOfTheWorkers()
    {
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1958, 12);
        sim.Levers.Values[sim.Levers.Index("water_works.campaign")] = 1.5;
        sim.World.National.Pressure = 0.8;
        var workers = (double)u.Workers[0];
        var zeal = (double)u.Zeal[0];
        sim.Module<LabourAllocation>().Step(sim.Context);
        // water = min(max_water_works_share, campaign × water_works_share × P × ζ) × W = min(0.6, 1.5 × 0.14 × 0.8 × ζ) × W
        //       = 0.168 ζ W (ζ is about 1, far below 0.6 / 0.168 = 3.6).
        Assert.True(0.168 * zeal < 0.6);
        Assert.Equal(0.168 * zeal * workers, u.LabourWaterWorks[0], workers * 1e-6);
        Assert.Equal(0, u.LabourBackyard[0]);
        Assert.Equal(workers - 0.168 * zeal * workers, u.LabourFarming[0], workers * 1e-6);

        // A zealot (ζ = 4: 0.168 × 4 = 0.672) sends the most water works can take, 0.6 of the workers.
        u.Zeal[0] = 4;
        sim.Module<LabourAllocation>().Step(sim.Context);
        Assert.Equal(0.6 * workers, u.LabourWaterWorks[0], workers * 1e-6);
        Assert.Equal(0.4 * workers, u.LabourFarming[0], workers * 1e-6);
    }

    [Fact]
    public void InSummerNobodyGoesToWaterWorksWhateverTheCampaign()
    {
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1959, 7);
        sim.Levers.Values[sim.Levers.Index("water_works.campaign")] = 1.5;
        sim.World.National.Pressure = 0.8;
        sim.Module<LabourAllocation>().Step(sim.Context);
        Assert.Equal(0, u.LabourWaterWorks[0]);
        Assert.Equal(u.Workers[0], u.LabourFarming[0]);
        // The winter is October-March: in March the same campaign still mobilises 0.168 ζ of the workers.
        sim.Context.Month = Month.Of(1959, 3);
        sim.Module<LabourAllocation>().Step(sim.Context);
        Assert.Equal(0.168 * u.Zeal[0] * u.Workers[0], u.LabourWaterWorks[0], u.Workers[0] * 1e-6);
    }

    [Fact]
    public void WhenFurnacesAndWaterWorksTogetherAskForMoreThanEveryoneWaterWorksGetWhatIsLeft()
    {
        // Furnaces may take 0.9 of the workers and the steel gap is far beyond it; water works would take
        // min(0.6, 1.5 × 0.14 × 1 × ζ) ≥ 0.2 W: together above W, so water works get W − 0.9 W = 0.1 W and nobody farms.
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("labour.max_backyard_share", 0.9)]);
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1958, 11);
        sim.Levers.Values[sim.Levers.Index("water_works.campaign")] = 1.5;
        sim.Levers.Values[sim.Levers.Index("backyard_steel.campaign")] = 1;
        sim.Levers.Values[sim.Levers.Index("steel_plan.target_mt")] = 100;
        sim.World.National.Pressure = 1;
        var workers = (double)u.Workers[0];
        Assert.True(0.21 * u.Zeal[0] > 0.1);
        sim.Module<LabourAllocation>().Step(sim.Context);
        Assert.Equal(0.9 * workers, u.LabourBackyard[0], workers * 1e-6);
        Assert.Equal(0.1 * workers, u.LabourWaterWorks[0], workers * 1e-6);
        Assert.Equal(0, u.LabourFarming[0], workers * 1e-6);
    }

    [Fact]
    public void JanuarysSteelGapIsTheWholeNewYearsPlanNotLastYearsRemainder()
    {
        // Labour resets the year's steel in January before it measures the gap, so last year's 10 Mt do not count:
        // gap = 5.35 Mt × Ningxia's share / 12 months left / 0.028 t per worker-month (well under 0.35 of its workers).
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1959, 1);
        sim.Levers.Values[sim.Levers.Index("backyard_steel.campaign")] = 1;
        sim.Levers.Values[sim.Levers.Index("steel_plan.target_mt")] = 5.35;
        sim.World.National.SteelMadeThisYearT = 10e6;
        sim.Module<LabourAllocation>().Step(sim.Context);
        var expected = 5.35e6 * sim.World.NationalShare / 12 / 0.028;
        Assert.True(expected < 0.35 * u.Workers[0]);
        Assert.Equal(0, sim.World.National.SteelMadeThisYearT);
        Assert.Equal(expected, u.LabourBackyard[0], expected * 1e-6);
        Assert.Equal(expected, sim.World.National.BackyardWorkers, expected * 1e-6);
    }

    [Fact]
    public void ConsolidatedFurnacesCloseTheSameGapWithFewerWorkersAndMakeTheSameSteel()
    {
        // Productivity 1/0.6 (cost 40 % below late 1958): gap = 5.35 Mt × share / 12 months, workers = gap / (0.028 × 1.667),
        // and industry's backyard steel = workers × 0.028 × 1.667 = the gap again.
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1960, 1);
        sim.Levers.Values[sim.Levers.Index("backyard_steel.campaign")] = 1;
        sim.Levers.Values[sim.Levers.Index("backyard_steel.productivity")] = 1.667;
        sim.Levers.Values[sim.Levers.Index("steel_plan.target_mt")] = 5.35;
        sim.Module<LabourAllocation>().Step(sim.Context);
        var gap = 5.35e6 * sim.World.NationalShare / 12;
        var expected = gap / (0.028 * 1.667);
        Assert.Equal(expected, u.LabourBackyard[0], expected * 1e-6);
        Assert.Equal(expected, sim.World.National.BackyardWorkers, expected * 1e-6);
        sim.Module<Industry>().Step(sim.Context);
        Assert.Equal(gap, sim.World.National.SteelBackyardT, gap * 1e-6);
    }
}

/// <summary>Dining halls and heavy labour in consumption (MODEL.md §6.10).</summary>
public class DiningHallHandValueTests
{
    // κ = kcal_per_kg / grain_kcal_share / (365.25/12) = 3000 / 0.85 / 30.4375 = 115.96 kcal a day per kg a month.
    private const double Kappa = 3000 / 0.85 / (365.25 / 12);

    [Fact]
    public void FreeSupplyHallsServeTheOvereatingNeedOfHeavyWorkersAndLoseTheLeakage()
    {
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1958, 11);
        sim.Levers.Values[sim.Levers.Index("dining_halls.share")] = 1;
        sim.Levers.Values[sim.Levers.Index("dining_halls.free_supply")] = 1;
        u.CommuneShare[0] = 1;                                   // everyone eats in a hall
        var n = (double)u.Persons[0];
        u.LabourBackyard[0] = (float)(0.10 * n);
        u.LabourWaterWorks[0] = (float)(0.05 * n);
        var heavy = (u.LabourBackyard[0] + u.LabourWaterWorks[0]) / n;    // 0.15 (to float rounding)
        var stock = 1000 * n;                                     // far more than a month's meals
        u.GrainStockKg[0] = (float)stock;
        u.Bmi[0] = 20;
        sim.Module<Consumption>().Step(sim.Context);
        // Need: 2100 × (1 + heavy_labour_extra 0.25 × 0.15) = 2178.75 kcal a day; Q = N × 2178.75 / κ kg.
        var needKcal = 2100 * (1 + 0.25 * heavy);
        Assert.Equal(2178.75, needKcal, 1e-3);
        var q = n * needKcal / Kappa;
        // Free supply: the hall serves 1.35 Q (free_meal_overeating), 10 % of it leaks (hall_leakage): eaten 1.215 Q.
        Assert.Equal(1.35 * 0.9 * q, u.EatenKg[0], q * 1e-5);
        Assert.Equal(0.004 * stock + 0.135 * q, u.WastedKg[0], q * 1e-5);
        Assert.Equal(stock * 0.996 - 1.35 * q, u.GrainStockKg[0], stock * 1e-6);
        // Intake 1.215 × 2178.75 = 2647.2 kcal (no substitutes: the grain is above need).
        Assert.Equal(1.215 * needKcal, u.IntakeKcal[0], 0.05);
        // BMI 20: requirement 2178.75 × (20/21)² = 1976.2, surplus (2647.2 − 1976.2) / 2178.75 = 0.308, gain 3 × 0.308 = 0.924 (< 1).
        var gain = 3 * (1.215 * needKcal - needKcal * Math.Pow(20.0 / 21, 2)) / needKcal;
        Assert.InRange(gain, 0.9, 0.95);
        Assert.Equal(20 + gain, u.Bmi[0], 1e-4);
    }

    /// <summary>January 1959, half the unit in halls, 20 kg a person in store (months to feed: January-May, 5).</summary>
    private static (RuralUnits Units, double N) HalfInHalls(double free)
    {
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1959, 1);
        sim.Levers.Values[sim.Levers.Index("dining_halls.share")] = 1;
        sim.Levers.Values[sim.Levers.Index("dining_halls.free_supply")] = free;
        u.CommuneShare[0] = 0.5f;
        u.LabourBackyard[0] = 0; u.LabourWaterWorks[0] = 0;
        var n = (double)u.Persons[0];
        u.GrainStockKg[0] = (float)(20 * n);
        sim.Module<Consumption>().Step(sim.Context);
        return (u, n);
    }

    [Fact]
    public void AFreeSupplyHallEatsItsShareOfTheStockAtOnceWhileFamiliesRation()
    {
        var (u, n) = HalfInHalls(1);
        // Q = 2100 / κ = 18.110 kg a person; stock after the loss 0.996 × 20 = 19.92 kg a person, half of it the hall's.
        var q = 2100 / Kappa;
        Assert.Equal(18.110, q, 1e-3);
        // Hall: wants 0.5 × 1.35 Q = 12.22, has 9.96: serves 9.96, of which 0.996 leak.
        // Families: ration(9.96, 0.5 Q, impatience 0.1) = min(9.055, 9.96 × 1.1 / 5) = 2.1912.
        var family = 9.96 * 1.1 / 5;
        var eaten = family + 9.96 * 0.9;
        Assert.Equal(eaten * n, u.EatenKg[0], n * 1e-5);                     // 11.1552 kg a person
        Assert.Equal((0.08 + 0.996) * n, u.WastedKg[0], n * 1e-5);             // storage 0.004 × 20 + leakage
        Assert.Equal((9.96 - family) * n, u.GrainStockKg[0], n * 1e-5);       // only the families' grain is left
        // Intake: 11.1552 × κ = 1293.5 kcal, + January substitutes min(2100 − 1293.5, 150 × 0.3) = 45.
        var intake = eaten * Kappa + 45;
        Assert.Equal(intake, u.IntakeKcal[0], 0.05);
        // BMI 21: deficit (2100 − 1338.5) / 2100 = 0.3626, BMI 21 − 3 × 0.3626 = 19.91.
        Assert.Equal(21 - 3 * (2100 - intake) / 2100, u.Bmi[0], 1e-4);
    }

    [Fact]
    public void ARationedHallSpreadsItsShareToTheHarvestAheadOfAnEvenSpreadByItsImpatience()
    {
        var (u, n) = HalfInHalls(0);
        // Hall: ration(9.96, 0.5 Q = 9.055, hall_impatience 0.3) = min(9.055, 9.96 × 1.3 / 5) = 2.5896, 10 % leaks;
        // families as before: 9.96 × 1.1 / 5 = 2.1912.
        var hall = 9.96 * 1.3 / 5;
        var family = 9.96 * 1.1 / 5;
        Assert.Equal((family + 0.9 * hall) * n, u.EatenKg[0], n * 1e-5);
        Assert.Equal((0.08 + 0.1 * hall) * n, u.WastedKg[0], n * 1e-5);
        Assert.Equal((19.92 - family - hall) * n, u.GrainStockKg[0], n * 1e-5);
    }
}

/// <summary>Relief resales to villages short of food and the state's storage loss (MODEL.md §6.9).</summary>
public class ReliefHandValueTests
{
    /// <summary>
    /// January 1957 in Ningxia's counties, no fixed sales, every unit holding 10 kg a person (short of the 5 months to
    /// the June harvest × 18 kg = 90 kg: a deficit of 80 kg a person), the state holding the stock given as a function
    /// of the month's committed outflows.
    /// </summary>
    private static Simulation RunMonth(Func<double, double> stockFromCityMonth, double excessPressure = 0, double attention = 0)
    {
        var sim = ModuleTestWorld.Create("Ningxia", Resolution.County);
        var u = sim.World.Units;
        sim.Context.Month = Core.Time.Month.Of(1957, 1);
        sim.Levers.Values[sim.Levers.Index("fixed_sales.level")] = 0;
        sim.Levers.Values[sim.Levers.Index("relief.attention")] = attention;
        sim.World.National.ExcessPressure = excessPressure;
        for (var i = 0; i < u.Count; i++) u.GrainStockKg[i] = 10 * u.Persons[i];
        sim.World.National.StateGrainStockKg = stockFromCityMonth(CityMonth(sim));
        sim.Module<StateGrainAccount>().Step(sim.Context);
        return sim;
    }

    /// <summary>The month's committed outflows: army 8 Mt/12, the cities' ration 17.24 kg a head, exports 2.3 Mt/12 (1957), Ningxia's share.</summary>
    private static double CityMonth(Simulation sim) =>
        Army(sim) + Owed(sim) + Exports(sim);

    private static double Army(Simulation sim) => 8e9 / 12 * sim.World.NationalShare;
    private static double Owed(Simulation sim) => sim.World.Urban.Population(0) * 15 / 0.87;
    private static double Exports(Simulation sim) => 2.3e9 / 12 * sim.World.NationalShare;

    private static double Reach(RuralUnits u, int i) => 1 / (1 + u.DistanceKm[i] / 15.0);   // relief_half_reach_km = 15

    [Fact]
    public void WithAmpleFreeStockEachShortUnitGetsItsDeficitTimesItsReach()
    {
        var sim = RunMonth(_ => 1e12);
        var u = sim.World.Units;
        Assert.True(u.Count > 1);
        Assert.Contains(Enumerable.Range(0, u.Count), i => u.DistanceKm[i] > 1);    // the reach matters somewhere
        double total = 0;
        for (var i = 0; i < u.Count; i++)
        {
            // deficit = need 18 kg × 5 months × N − stock = 80 N; relief = min(deficit, deficit × reach × min(1, free / Σ)).
            var relief = 80.0 * u.Persons[i] * Reach(u, i);
            Assert.Equal(relief, u.ResoldKg[i], relief * 1e-5);
            Assert.Equal(10.0 * u.Persons[i] + relief, u.GrainStockKg[i], relief * 1e-5);
            total += relief;
        }
        Assert.Equal(total, sim.World.National.ResoldKg, total * 1e-5);
    }

    /// <summary>
    /// free = max(0, S − 3 months × city month) × release_rate 0.25 × sight, S after the month's outflows and loss. The
    /// reserve (reserve_months) is counted on the whole month's outflows, exports included, as the code does
    /// (StateGrainAccount: cityMonth = owed + fixed + army + exports), as MODEL.md §6.9 writes it.
    /// </summary>
    private static double Free(double s0, double cityMonth, double sight) =>
        Math.Max(0, (s0 - cityMonth) * (1 - 0.002) - 3 * cityMonth) * 0.25 * sight;

    [Theory]
    [InlineData(0, 0, 1)]       // no excess pressure: sight 1
    [InlineData(0.5, 0, 0.6)]   // sight = 1 − relief_blindness 0.8 × 0.5 = 0.6
    [InlineData(0.5, 1, 1)]     // the relief lever restores sight whatever the pressure
    public void AShortFreeStockIsSharedByDeficitTimesReachAfterTheReserveAndTheBlindness(double pressure, double attention, double sight)
    {
        // The state holds this month's outflows, three months of them in reserve (reserve_months) and 2,000 t more.
        var extra = 2e6;
        var sim = RunMonth(cm => 4 * cm + extra, pressure, attention);
        var u = sim.World.Units;
        var nat = sim.World.National;
        var cityMonth = CityMonth(sim);
        var s0 = 4 * cityMonth + extra;
        // After army, rations and exports the stock is 3 cm + extra; the storage loss is 0.2 % of it.
        Assert.Equal(0.002 * (3 * cityMonth + extra), nat.StateLossKg, 1e-6);
        var free = Free(s0, cityMonth, sight);
        Assert.True(free > 0);
        double weights = 0;
        for (var i = 0; i < u.Count; i++) weights += 80.0 * u.Persons[i] * Reach(u, i);
        Assert.True(free < weights);                                           // the free stock binds
        for (var i = 0; i < u.Count; i++)
        {
            var relief = 80.0 * u.Persons[i] * Reach(u, i) * free / weights;
            Assert.Equal(relief, u.ResoldKg[i], relief * 1e-5 + 1e-2);
        }
        Assert.Equal(free, nat.ResoldKg, free * 1e-6);
        Assert.Equal(s0 - cityMonth - 0.002 * (3 * cityMonth + extra) - free, nat.StateGrainStockKg, 1.0);
    }
}

/// <summary>Collection above an eroded floor, the autumn quota's two halves and the quota's 0.9 cap (MODEL.md §6.8).</summary>
public class ProcurementHandValueTests
{
    [Fact]
    public void PressureTimesZealErodesTheFloorAndTheStateTakesDownToIt()
    {
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        var nat = sim.World.National;
        sim.Context.Month = Month.Of(1959, 7);
        nat.ExcessPressure = 0.5;
        var n = (double)u.Persons[0];
        var zeal = (double)u.Zeal[0];
        // July: 3 months to the October harvest + 1: the full floor is 200 kg / 12 × 4 × N = 66.67 kg a person.
        var fullFloor = 200.0 / 12 * 4 * n;
        // Eroded by min(1, floor_erosion 0.45 × ζ × 0.5).
        var erosion = Math.Min(1, 0.45 * zeal * 0.5);
        Assert.InRange(erosion, 0.01, 0.99);
        u.GrainStockKg[0] = (float)(fullFloor + 1e5);
        u.QuotaKg[0] = 1e9f;                                   // far more is due than the stock can give
        var state = nat.StateGrainStockKg;
        sim.Module<Procurement>().Step(sim.Context);
        var take = 1e5 + fullFloor * erosion;                 // down to the eroded floor, fullFloor × (1 − erosion)
        var tol = 2e-7 * fullFloor + 2;                         // float32 stock
        Assert.Equal(take, u.ProcuredKg[0], tol);
        Assert.Equal(fullFloor * (1 - erosion), u.GrainStockKg[0], tol);
        Assert.Equal(1e9 - take, u.QuotaKg[0], 200.0);            // float32 at 1e9: 64 kg a step
        Assert.Equal(take, nat.ProcuredKg, tol);
        Assert.Equal(state + take, nat.StateGrainStockKg, tol);
    }

    [Fact]
    public void AtFullErosionThereIsNoFloorLeft()
    {
        // ζ = 5 at excess pressure 1: 0.45 × 5 × 1 = 2.25, eroding the whole floor: the state may take everything.
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1959, 7);
        sim.World.National.ExcessPressure = 1;
        u.Zeal[0] = 5;
        u.GrainStockKg[0] = 3e6f;
        u.QuotaKg[0] = 1e9f;
        sim.Module<Procurement>().Step(sim.Context);
        Assert.Equal(3e6, u.ProcuredKg[0], 1.0);
        Assert.Equal(0, u.GrainStockKg[0], 1.0);
    }

    [Fact]
    public void NovemberCollectsHalfTheAutumnQuotaAndDecemberTheRest()
    {
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        var nat = sim.World.National;
        nat.ExcessPressure = 0;
        var n = (double)u.Persons[0];
        // November: 7 months to the June harvest + 1 = 8: floor 200 / 12 × 8 = 133.3 kg a person; 10,000 t above it.
        var stock = 200.0 / 12 * 8 * n + 1e7;
        u.GrainStockKg[0] = (float)stock;
        u.QuotaKg[0] = 2e6f;
        sim.Context.Month = Month.Of(1959, 11);
        sim.Module<Procurement>().Step(sim.Context);
        Assert.Equal(1e6, u.ProcuredKg[0], 1e-6 * stock);       // δ = ½ in November
        Assert.Equal(1e6, u.QuotaKg[0], 1.0);
        Assert.Equal(stock - 1e6, u.GrainStockKg[0], 1e-6 * stock);
        sim.Context.Month = Month.Of(1959, 12);
        sim.Module<Procurement>().Step(sim.Context);
        Assert.Equal(1e6, u.ProcuredKg[0], 1e-6 * stock);       // δ = 1 in December: the rest
        Assert.Equal(0, u.QuotaKg[0], 1.0);
        Assert.Equal(2e6, nat.ProcuredKg, 1e-6 * stock);
    }

    /// <summary>The October quota of a unit that reported <paramref name="rel"/> × its normal autumn crop last year.</summary>
    private static (double Quota, double Plan) AutumnQuota(double rel, double rateScale = 1)
    {
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1959, 10);
        sim.World.National.ExcessPressure = 0;
        sim.Levers.Values[sim.Levers.Index("procurement.rate_scale")] = rateScale;
        var plan = u.BaseOutputKg[0] * 0.7 * rel;          // the autumn share of the year is 1 − summer_share 0.3
        u.AutumnReportKg[0] = (float)plan;
        sim.Module<Procurement>().Step(sim.Context);
        return (u.QuotaKg[0], plan);
    }

    [Fact]
    public void TheQuotaRateRisesWithTheSquareRootOfThePlanUpToAShareOf09()
    {
        // One unit: its 1957 output per person is the province's, so rel = plan / 0.7 / N / (Base / N) = the multiple.
        // rel 4: rate = 0.235683 × 4^0.5 = 0.471 of the plan.
        var (q4, plan4) = AutumnQuota(4);
        Assert.Equal(45.97 / 195.05 * 2 * plan4, q4, plan4 * 1e-6);
        // rel 16: 0.235683 × 4 = 0.943, above the cap: 0.9 of the plan.
        var (q16, plan16) = AutumnQuota(16);
        Assert.Equal(0.9 * plan16, q16, plan16 * 1e-6);
        // procurement.rate_scale multiplies the capped quota: 2 × 0.9 = 1.8 of the plan.
        var (q16x2, _) = AutumnQuota(16, 2);
        Assert.Equal(1.8 * plan16, q16x2, plan16 * 1e-6);
    }
}

/// <summary>The modern steel level of a month from its formula (MODEL.md §6.6).</summary>
public class SteelHandValueTests
{
    [Fact]
    public void ModernSteelIsThe1957MonthTimesCapacityWearOverworkSovietSupportAndTheCampaignsPriority()
    {
        var sim = ModuleTestWorld.Create();
        var n = sim.World.National;
        sim.Context.Month = Month.Of(1960, 8);
        sim.Levers.Values[sim.Levers.Index("industry_plan.investment_drive")] = 1;
        sim.Levers.Values[sim.Levers.Index("soviet_aid.present")] = 0;
        sim.Levers.Values[sim.Levers.Index("backyard_steel.campaign")] = 1;
        sim.Levers.Values[sim.Levers.Index("backyard_steel.usable_share")] = 0.3;
        n.ExcessPressure = 0.4;
        n.BackyardWorkers = 1e5;
        n.SteelMadeThisYearT = 1000;
        // Steel plants are capital-bound: half the industrial workers and a poor farm year must not move steel.
        n.IndustrialWorkers *= 0.5;
        Array.Fill(n.AgriculturalPointsLast12, 50.0 / 12);
        var steel1957Month = 5.355e6 * sim.World.NationalShare / 12;     // t a month, Ningxia's share
        var industry = sim.Module<Industry>();
        industry.Step(sim.Context);
        // Month 1 from the 1957 state (K = 1, wear 0, σ = 1):
        //   K = 1 + (0.10 + 0.25 × 1) / 12 = 1.0291667;  o = 0.25 × 0.4 = 0.1;  wear = 0.6 × 0.1 / 12 = 0.005;
        //   σ = 1 + (0 − 1) / 8 = 0.875, sov = 1 − 0.25 × 0.125 = 0.96875;  campaign priority 1 + 0.35 = 1.35.
        var k1 = 1 + 0.35 / 12;
        var steel1 = steel1957Month * k1 * (1 - 0.005) * 1.1 * 0.96875 * 1.35;
        Assert.Equal(steel1, n.SteelModernT, steel1 * 1e-12);
        // Usable: the normal part steel / (1.1 × 1.35) and half of the rest.
        var normal1 = steel1 / (1.1 * 1.35);
        Assert.Equal(normal1 + 0.5 * (steel1 - normal1), n.SteelModernUsableT, steel1 * 1e-12);
        // Backyard: 100,000 workers × 0.028 t = 2,800 t, 30 % usable.
        Assert.Equal(2800, n.SteelBackyardT, 1e-9);
        Assert.Equal(840, n.SteelBackyardUsableT, 1e-9);
        Assert.Equal(1000 + steel1 + 2800, n.SteelMadeThisYearT, 1e-6);

        // Month 2: K = k1², wear = 0.005 + 0.005 − 0.25 × 0.005 / 12 = 0.0098958, σ = 0.875 × 7/8 = 0.765625,
        // sov = 1 − 0.25 × 0.234375 = 0.94140625.
        industry.Step(sim.Context);
        var steel2 = steel1957Month * k1 * k1 * (1 - (0.01 - 0.25 * 0.005 / 12)) * 1.1 * 0.94140625 * 1.35;
        Assert.Equal(steel2, n.SteelModernT, steel2 * 1e-12);
    }
}
