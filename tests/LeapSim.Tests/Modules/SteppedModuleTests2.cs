using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Random;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.Modules;

public class WeatherStepTests
{
    [Fact]
    public void ProvincialLossesAverageToTheNationalLoss()
    {
        // All provinces, province resolution: in 1959 the output-weighted loss must equal the recorded national loss.
        var sim = new Simulation(new Core.Scenarios.ResolvedScenario("t", "", ["t"], [], []), new RunOptions { Threads = 1 });
        var weather = sim.Module<Weather>();
        sim.Context.Month = Month.Of(1959, 1);
        weather.Step(sim.Context);
        // By hand from disasters.csv (national rows of all disasters; areas over 150 Mha of sown area):
        //   1959, the mean of the two quotations: affected (44.63 + 43.714) / 2 / 150 = 0.29448,
        //   stricken (13.73 + 13.476) / 2 / 150 = 0.0906867; loss 0.1 × (0.29448 − 0.0906867) + 0.4 × 0.0906867 = 0.056654.
        //   1957 (no figure): the 1950-59 mean, affected 22.255 / 150 = 0.1483667, stricken that × the mean stricken
        //   ratio of 1959-61, (13.603 / 44.172 + 16.59 / 43.47 + 20.13 / 43.12) / 3 = 0.3854782, = 0.0571921;
        //   loss 0.1 × (0.1483667 − 0.0571921) + 0.4 × 0.0571921 = 0.0319943.
        var (a57, s57) = weather.NationalShares[1957];
        var (a59, s59) = weather.NationalShares[1959];
        Assert.Equal(0.29448, a59, 1e-7);
        Assert.Equal(0.0906867, s59, 1e-7);
        Assert.Equal(0.1483667, a57, 1e-7);
        Assert.Equal(0.0571921, s57, 1e-7);
        const double base57 = 0.0319943, expected = 0.056654;
        var pr = sim.World.Provinces;
        double lossSum = 0, grain = 0;
        for (var p = 0; p < pr.Count; p++)
        {
            var loss = 1 - sim.World.ProvinceState.WeatherYieldFactor[p] * (1 - base57);
            lossSum += loss * pr.GrainOutput1957Kg[p];
            grain += pr.GrainOutput1957Kg[p];
        }
        // 1959 (29 % affected of ~150 Mha) was worse than the 1950s mean: 5.67 % of the crop lost against 3.20 %.
        Assert.Equal(expected, lossSum / grain, 1e-7);
    }

    [Fact]
    public void EachCountyIsStrickenAffectedOrSparedWithTheProvincesShares()
    {
        // Henan at county resolution, January 1960. The province's shares are the national ones times k = the
        // province's loss / the national loss; county c draws x from its own stream (weather.county, c, this month)
        // and loses 0.4 if x < k S, else 0.1 if x < k A, else nothing (A, S: the national affected and stricken shares).
        var sim = ModuleTestWorld.Create("Henan", Resolution.County, [ModuleTestWorld.Param("weather.county_disasters", 1)]);
        var weather = sim.Module<Weather>();
        var month = Month.Of(1960, 1);
        sim.Context.Month = month;
        weather.Step(sim.Context);
        // By hand from disasters.csv: 1960 affected 43.47 % and stricken 16.59 % of the sown area, a loss of
        // 0.1 × (0.4347 − 0.1659) + 0.4 × 0.1659 = 0.09324; 1957's loss 0.0319943 (see the test above). A county
        // stricken keeps (1 − 0.4) / (1 − 0.0319943) = 0.6198311 of its 1957 crop, one affected 0.9 / 0.9680057 =
        // 0.9297466, one spared 1 / 0.9680057 = 1.0330518; with shares 0.1659, 0.4347 − 0.1659 = 0.2688 and 0.5653.
        var (a60, s60) = weather.NationalShares[1960];
        Assert.Equal(0.4347, a60, 1e-12);
        Assert.Equal(0.1659, s60, 1e-12);
        const double base57 = 0.0319943, loss60 = 0.09324;
        var k = (1 - sim.World.ProvinceState.WeatherYieldFactor[0] * (1 - base57)) / loss60;
        Assert.Equal(1, k, 1e-6);                                 // a one-province world carries the national loss
        double[] classFactor = [0.6198311, 0.9297466, 1.0330518]; // stricken, affected, spared
        double[] classShare = [0.1659, 0.2688, 0.5653];
        var units = sim.World.Units;
        var counts = new int[3];
        for (var u = 0; u < units.Count; u++)
        {
            Assert.Equal(u, units.CountyOf[u]);                 // at county resolution each unit is a county
            var factor = sim.World.ProvinceState.For(units, u);
            var c = Array.FindIndex(classFactor, f => Math.Abs(f - factor) < 1e-6);
            Assert.True(c >= 0, $"county {u}: factor {factor} is none of stricken 0.6198311, affected 0.9297466, spared 1.0330518");
            counts[c]++;
            // And the class is the one its own draw (weather.county, county, month) gives.
            var x = new CounterRng(sim.World.Seed, CounterRng.StreamId("weather.county"), (ulong)u, month.Index).NextDouble();
            Assert.Equal(x < 0.1659 ? 0 : x < 0.4347 ? 1 : 2, c);
        }
        var n = units.Count;
        Assert.True(n >= 50, $"{n} counties");
        for (var c = 0; c < 3; c++)
        {
            var mean = n * classShare[c];
            var sd = Math.Sqrt(n * classShare[c] * (1 - classShare[c]));
            Assert.True(Math.Abs(counts[c] - mean) <= 4 * sd,
                $"{counts[c]} of {n} counties {(c == 0 ? "stricken" : c == 1 ? "affected" : "spared")}, expected {mean:F1} ± 4 × {sd:F1}");
        }

        // Switched off (the default), every county loses the province's mean.
        var even = ModuleTestWorld.Create("Henan", Resolution.County);
        even.Context.Month = month;
        even.Module<Weather>().Step(even.Context);
        for (var u = 0; u < even.World.Units.Count; u++)
            Assert.Equal(even.World.ProvinceState.WeatherYieldFactor[0], even.World.ProvinceState.For(even.World.Units, u), 12);
    }

    [Fact]
    public void AtProvinceResolutionEveryUnitHasTheProvincesWeather()
    {
        var sim = ModuleTestWorld.Create("Henan", Resolution.Province);
        sim.Context.Month = Month.Of(1960, 1);
        sim.Module<Weather>().Step(sim.Context);
        Assert.Empty(sim.World.ProvinceState.CountyWeatherFactor);
        Assert.Equal(sim.World.ProvinceState.WeatherYieldFactor[0], sim.World.ProvinceState.For(sim.World.Units, 0));
        Assert.True(sim.World.ProvinceState.WeatherYieldFactor[0] < 1);
    }
}

public class FarmingStepTests
{
    [Fact]
    public void ABaselineSummerHarvestIsTheUnitsShareOfBaseOutput()
    {
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1957, 6);
        u.SummerLabour[0] = 1; u.SummerNeed[0] = 1;          // a full season of labour at the 1957 level
        u.LabourFarming[0] = u.Workers[0];                  // everyone in the fields for the harvest
        var trend = Math.Pow(1.025, (5 + 0.5) / 12.0 - 0.5);  // the yield level of June 1957 for farmers always fed
        u.YieldLevel[0] = (float)trend;
        var stock = u.GrainStockKg[0];
        sim.Module<Farming>().Step(sim.Context);
        // base × summer share 0.3 × collective land (0.95 / (0.95 + 0.05 × 1), plots as productive as collective land) × yield level × weather.
        var expected = u.BaseOutputKg[0] * 0.3 * (0.95 / 1.0) * trend * sim.World.ProvinceState.WeatherYieldFactor[0];
        Assert.Equal(expected, u.HarvestKg[0], expected * 1e-5);
        Assert.Equal(0, u.HarvestLostKg[0], 1e-3);
        Assert.Equal(0.09 * u.HarvestKg[0], u.SeedKg[0], expected * 1e-5);
        Assert.Equal(0.1 * u.HarvestKg[0], u.FeedKg[0], expected * 1e-5);
        // Stock: + harvest − seed − feed + this month's private plots.
        Assert.Equal(stock + u.HarvestKg[0] - u.SeedKg[0] - u.FeedKg[0] + u.PrivateOutputKg[0], u.GrainStockKg[0], stock * 1e-5);
    }

    [Fact]
    public void ASownAreaCutOfTenPerCentCostsTheHarvestAreaToTheLandElasticity()
    {
        // The same baseline summer harvest twice: all land sown, then 90 % of it (the 1959 cut): the harvest falls by
        // 1 - 0.9^0.45 = 4.63 %, not 10 %, because the labour and manure stay on the land still sown (Li & Yang 2005).
        double Harvest(double areaFactor)
        {
            var sim = ModuleTestWorld.Create();
            var u = sim.World.Units;
            sim.Context.Month = Month.Of(1959, 6);
            sim.Levers.Values[sim.Levers.Index("sown_area.grain_factor")] = areaFactor;
            u.SummerLabour[0] = 1; u.SummerNeed[0] = 1;
            u.LabourFarming[0] = u.Workers[0];
            sim.Module<Farming>().Step(sim.Context);
            return u.HarvestKg[0];
        }
        var full = Harvest(1);
        Assert.True(full > 0);
        Assert.Equal(full * Math.Pow(0.9, 0.45), Harvest(0.9), full * 1e-5);
    }
}

public class ReportingStepTests
{
    [Fact]
    public void AtHarvestTheReportIsInflatedByZealAndExcessPressure()
    {
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1959, 10);
        u.HarvestKg[0] = 1000; u.PrivateOutputKg[0] = 50; u.Zeal[0] = 0.75f;
        sim.World.National.ExcessPressure = 0.5;
        sim.Module<Reporting>().Step(sim.Context);
        // The season's truth is the collective harvest and six months of private plots, 1000 + 6 × 50 = 1300 kg,
        // reported at 1 + 0.6 × zeal 0.75 × excess pressure 0.5 = 1.225 times: 1592.5 kg.
        Assert.Equal(1592.5, u.ReportedKg[0], 1e-2);
    }
}

public class ProcurementStepTests
{
    [Fact]
    public void JulyTakesTheSummerQuotaDownToTheFloor()
    {
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1957, 7);
        sim.World.National.ExcessPressure = 0;
        var persons = u.Persons[0];
        var floor = 200.0 / 12 * (FarmCalendar.MonthsToNextHarvest(7) + 1) * persons; // 4 months of 200 kg a year
        u.GrainStockKg[0] = (float)(floor + 1e6);
        u.QuotaKg[0] = 5e5f;
        sim.Module<Procurement>().Step(sim.Context);
        Assert.Equal(5e5, u.ProcuredKg[0], 1);
        u.GrainStockKg[0] = (float)(floor + 1e5);
        u.QuotaKg[0] = 5e5f;
        sim.Module<Procurement>().Step(sim.Context);
        Assert.Equal(1e5, u.ProcuredKg[0], 2e-6 * u.GrainStockKg[0] + 2e-6 * 1.1e6);   // only what is above the floor (float32 stock)
        Assert.Equal(4e5, u.QuotaKg[0], 2.5);            // the rest stays owed
    }
}

public class FlexibleProcurementTests
{
    [Fact]
    public void FlexibleScaleBringsTruthQuotasToTheReportedTotal()
    {
        Assert.Equal(1.5, Procurement.FlexibleScale(300, 200), 12);
        Assert.Equal(1, Procurement.FlexibleScale(0, 0));
    }

    /// <summary>Quotas after the October harvest of a county world whose units over-report by different amounts.</summary>
    private static (double[] Quota, double[] Truth, Simulation Sim) AutumnQuotas(double flexible)
    {
        var sim = ModuleTestWorld.Create("Anhui", Resolution.County);
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1958, 10);
        sim.World.National.ExcessPressure = 0.5;
        sim.Levers.Values[sim.Levers.Index("procurement.flexible")] = flexible;
        var truth = new double[u.Count];
        for (var i = 0; i < u.Count; i++)
        {
            u.HarvestKg[i] = (float)(u.BaseOutputKg[i] * 0.7);
            u.PrivateOutputKg[i] = 0;
            u.AutumnReportKg[i] = (float)(u.HarvestKg[i] * (1 + 0.5 * (i % 4))); // last autumn: honest, +50 %, +100 %, +150 %
            u.ReportedKg[i] = u.HarvestKg[i];                                      // this autumn: honest
            truth[i] = u.HarvestKg[i];
        }
        sim.Module<Procurement>().Step(sim.Context);
        return (u.QuotaKg.Take(u.Count).Select(q => (double)q).ToArray(), truth, sim);
    }

    [Fact]
    public void FlexibleQuotasAskTheSameTotalButShareItByRealHarvests()
    {
        var (onReports, truth, sim) = AutumnQuotas(0);
        var (flexible, _, _) = AutumnQuotas(1);
        var u = sim.World.Units;
        Assert.True(u.Count > 20);
        Assert.Equal(onReports.Sum(), flexible.Sum(), onReports.Sum() * 1e-5);
        // Each flexible quota is the same multiple of the quota the rule gives on the truth.
        var ratios = Enumerable.Range(0, u.Count).Where(i => u.Persons[i] > 0).Select(i =>
            flexible[i] / Procurement.Quota(truth[i], 0.7, u.Persons[i], PerCapita(u), 45.97 / 195.05, 0.5, u.Zeal[i], 0.5, 0.25, 0.9)).ToArray();
        Assert.All(ratios, r => Assert.Equal(ratios[0], r, 1e-4));
        // Units that over-report carry less under the flexible rule; honest units carry more.
        Assert.True(flexible[0] > onReports[0] || truth[0] <= 0);
        Assert.True(flexible[3] < onReports[3]);
    }

    [Fact]
    public void QuotasFollowLastYearsReportsWhenTheHarvestFailsAndAGoodReportSetsNextYearsPlan()
    {
        Assert.Equal(150, Procurement.PlannedHarvest(150, 100), 12);
        Assert.Equal(100, Procurement.PlannedHarvest(0, 100), 12);   // no report yet: the normal crop

        var sim = ModuleTestWorld.Create("Ningxia", Resolution.County);
        Assert.True(sim.World.Units.Count >= 2);
        var u = sim.World.Units;
        var nat = sim.World.National;
        sim.Context.Month = Month.Of(1959, 10);
        nat.ExcessPressure = 0;
        for (var i = 0; i < 2; i++)
        {
            u.HarvestKg[i] = (float)(u.BaseOutputKg[i] * 0.7 * 0.8);  // this autumn the crop failed: 80 % of normal
            u.PrivateOutputKg[i] = 0;
        }
        u.AutumnReportKg[0] = (float)(u.BaseOutputKg[0] * 0.7 * 1.6); // last autumn unit 0 reported 60 % above its normal crop
        u.ReportedKg[0] = u.HarvestKg[0];                              // and this autumn it reports honestly
        u.AutumnReportKg[1] = 0;                                       // unit 1 has never reported
        u.ReportedKg[1] = u.HarvestKg[1] * 2;                          // and now reports double the truth
        var summerBefore = u.SummerReportKg[0];
        sim.Module<Procurement>().Step(sim.Context);

        // Unit 0's quota is set on its plan (1.6 × its normal autumn crop), not on the poor harvest.
        var plan = u.BaseOutputKg[0] * 0.7 * 1.6;
        var expected = Procurement.Quota(plan, 0.7, u.Persons[0], PerCapita(u), 45.97 / 195.05, 0.5, u.Zeal[0], 0, 0.25, 0.9);
        Assert.Equal(expected, u.QuotaKg[0], expected * 1e-5);
        // Unit 1's quota is set on its normal crop: this year's inflated report only raises next year's plan.
        var normal = u.BaseOutputKg[1] * 0.7;
        var expected1 = Procurement.Quota(normal, 0.7, u.Persons[1], PerCapita(u), 45.97 / 195.05, 0.5, u.Zeal[1], 0, 0.25, 0.9);
        Assert.Equal(expected1, u.QuotaKg[1], expected1 * 1e-5);
        // Next year's autumn plans are this year's reports; the summer plan is untouched.
        Assert.Equal(u.BaseOutputKg[0] * 0.7 * 0.8, u.AutumnReportKg[0], u.BaseOutputKg[0] * 1e-6);
        Assert.Equal(u.BaseOutputKg[1] * 0.7 * 0.8 * 2, u.AutumnReportKg[1], u.BaseOutputKg[1] * 1e-6);
        Assert.Equal(summerBefore, u.SummerReportKg[0]);
    }

    [Fact]
    public void ThePlanGrowsLastYearsReportByTheTargetAndTheQuotaIsSetOnIt()
    {
        Assert.Equal(180, Procurement.PlannedHarvest(150, 100, 0.2), 12);  // the 1958 plan: last year's report + 20 %
        Assert.Equal(110, Procurement.PlannedHarvest(0, 100, 0.1), 12);    // no report yet: the normal crop + 10 %
        Assert.Equal(150, Procurement.PlannedHarvest(150, 100, 0), 12);

        var sim = ModuleTestWorld.Create("Ningxia", Resolution.County);
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1958, 10);
        sim.World.National.ExcessPressure = 0;
        sim.Levers.Values[sim.Levers.Index("grain_plan.growth")] = 0.2;
        u.HarvestKg[0] = (float)(u.BaseOutputKg[0] * 0.7);
        u.PrivateOutputKg[0] = 0;
        u.ReportedKg[0] = u.HarvestKg[0];
        u.AutumnReportKg[0] = (float)(u.BaseOutputKg[0] * 0.7);       // last autumn: the normal crop, honestly reported
        sim.Module<Procurement>().Step(sim.Context);

        // The quota is the rule applied to 1.2 × last autumn's report: 1.2 × the plan, and a higher rate on it
        // (progressivity 0.5: 1.2^1.5 ≈ 1.31 × the quota without the plan's growth).
        var plan = u.BaseOutputKg[0] * 0.7 * 1.2;
        var expected = Procurement.Quota(plan, 0.7, u.Persons[0], PerCapita(u), 45.97 / 195.05, 0.5, u.Zeal[0], 0, 0.25, 0.9);
        Assert.Equal(expected, u.QuotaKg[0], expected * 1e-5);
        var withoutGrowth = Procurement.Quota(u.BaseOutputKg[0] * 0.7, 0.7, u.Persons[0], PerCapita(u), 45.97 / 195.05, 0.5, u.Zeal[0], 0, 0.25, 0.9);
        Assert.Equal(Math.Pow(1.2, 1.5), expected / withoutGrowth, 1e-9);
        // The growth is the plan's, not the unit's: next year's plan starts from this year's report as it came in.
        Assert.Equal(u.BaseOutputKg[0] * 0.7, u.AutumnReportKg[0], u.BaseOutputKg[0] * 1e-6);
    }

    [Fact]
    public void VerificationStripsItsShareOfTheInflationFromThePlan()
    {
        Assert.Equal(160 - 0.5 * 60, Procurement.VerifiedReport(160, 100, 0.5), 12);
        Assert.Equal(100, Procurement.VerifiedReport(160, 100, 1), 12);  // all the inflation found: the truth
        Assert.Equal(160, Procurement.VerifiedReport(160, 100, 0), 12);  // no checks: the report
        Assert.Equal(90, Procurement.VerifiedReport(90, 100, 0.5), 12);  // an honest or modest report is not raised

        var sim = ModuleTestWorld.Create("Ningxia", Resolution.County);
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1959, 10);
        sim.World.National.ExcessPressure = 0;
        sim.Levers.Values[sim.Levers.Index("procurement.verified")] = 1;
        u.HarvestKg[0] = (float)(u.BaseOutputKg[0] * 0.7 * 0.8);
        u.PrivateOutputKg[0] = 0;
        u.ReportedKg[0] = u.HarvestKg[0];
        u.AutumnReportKg[0] = (float)(u.BaseOutputKg[0] * 0.7 * 1.6); // last autumn: reported 1.6 × the normal crop
        u.AutumnTruthKg[0] = (float)(u.BaseOutputKg[0] * 0.7 * 1.0);  // and the truth was the normal crop
        sim.Module<Procurement>().Step(sim.Context);

        // The plan keeps half the inflation (procurement.verification_share = 0.5): 1.6 − 0.5 × 0.6 = 1.3 × the normal crop.
        Assert.Equal(0.5, sim.Parameters["procurement.verification_share"]);
        var plan = u.BaseOutputKg[0] * 0.7 * 1.3;
        var expected = Procurement.Quota(plan, 0.7, u.Persons[0], PerCapita(u), 45.97 / 195.05, 0.5, u.Zeal[0], 0, 0.25, 0.9);
        Assert.Equal(expected, u.QuotaKg[0], expected * 1e-5);
        // This autumn's truth is kept for next year's checks.
        Assert.Equal(u.HarvestKg[0], u.AutumnTruthKg[0], u.HarvestKg[0] * 1e-6);
    }

    private static double PerCapita(RuralUnits u)
    {
        double output = 0, persons = 0;
        for (var i = 0; i < u.Count; i++) { output += u.BaseOutputKg[i]; persons += u.Persons[i]; }
        return output / persons;
    }
}

public class ConsumptionStepTests
{
    [Fact]
    public void AFamilyWithAThinStockSpreadsItToTheHarvestAndLosesWeight()
    {
        var sim = ModuleTestWorld.Create();
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1957, 1); // January-May to feed until the June harvest
        var persons = (double)u.Persons[0];
        u.GrainStockKg[0] = (float)(persons * 60);
        u.LabourBackyard[0] = 0; u.LabourWaterWorks[0] = 0;
        sim.Module<Consumption>().Step(sim.Context);
        var afterLoss = persons * 60 * (1 - 0.004);
        // Spread over January-May, eaten 10 % ahead of an even spread (family impatience 0.1).
        Assert.Equal(afterLoss * 1.1 / 5, u.EatenKg[0], afterLoss * 1e-5);
        var grainKcal = afterLoss * 1.1 / 5 / persons * 3000 / 0.85 / (365.25 / 12);
        // January: substitutes up to 150 kcal × the winter share 0.3 = 45 kcal fill part of the gap to 2,100.
        Assert.Equal(grainKcal + 45, u.IntakeKcal[0], 0.5);
        Assert.True(u.Bmi[0] < 21);
    }

    [Fact]
    public void HungryHouseholdsEatTheStandingCropGreenAndTheHarvestIsShortOfIt()
    {
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("consumption.family_impatience", 0), ModuleTestWorld.Param("consumption.substitute_kcal_max", 0)]);
        var u = sim.World.Units;
        var persons = (double)u.Persons[0];
        u.LabourBackyard[0] = 0; u.LabourWaterWorks[0] = 0;
        u.GrainStockKg[0] = 0;                                  // nothing left in September
        sim.Context.Month = Month.Of(1957, 9);
        sim.Module<Consumption>().Step(sim.Context);
        // The need: 2,100 kcal a day for a month = 2100 × 30.4375 × 0.85 / 3000 kg a person.
        var need = 2100 * (365.25 / 12) * 0.85 / 3000 * persons;
        // The cap: 15 % of the standing autumn crop (base × 0.7 × weather) × efficiency 0.6.
        var cap = 0.15 * u.BaseOutputKg[0] * 0.7 * sim.World.ProvinceState.WeatherYieldFactor[0] * 0.6;
        var green = Math.Min(need, cap);
        Assert.Equal(green, u.GreenEatenKg[0], green * 1e-5);
        Assert.Equal(green, u.EatenKg[0], green * 1e-5);
        Assert.Equal(green, u.HarvestKg[0], green * 1e-5);      // eaten green counts as harvested this month
        Assert.Equal(0, u.GrainStockKg[0], 1e-3);

        // October: the harvest is short of what was eaten green ÷ 0.6, and the account starts again.
        sim.Context.Month = Month.Of(1957, 10);
        sim.World.Units.ClearFlows();
        u.AutumnLabour[0] = 1; u.AutumnNeed[0] = 1; u.LabourFarming[0] = u.Workers[0];
        var level = u.YieldLevel[0];
        sim.Module<Farming>().Step(sim.Context);
        var withGreen = u.HarvestKg[0];
        // The month's agricultural output (index points, one unit: 1957's base output is 100 a year) counts the crop
        // brought in, the private plots and the crop eaten green before the harvest: 80 × grain / base + 20 × animals / 12.
        var points = 80 * (u.PrivateOutputKg[0] + withGreen + green) / u.BaseOutputKg[0] + 20.0 * u.Animals[0] / 12;
        Assert.Equal(points, sim.World.National.AgriculturalOutputPoints, points * 1e-6);
        sim.World.Units.ClearFlows();
        u.AutumnLabour[0] = 1; u.AutumnNeed[0] = 1; u.LabourFarming[0] = u.Workers[0];
        u.YieldLevel[0] = level;                                // the step grew it a month: put it back
        sim.Module<Farming>().Step(sim.Context);                // the same harvest again, nothing eaten green
        Assert.Equal(u.HarvestKg[0] - green / 0.6, withGreen, u.HarvestKg[0] * 1e-4);
        Assert.Equal(0, u.GreenEatenKg[0]);
    }
}

public class DemographyStepTests
{
    [Fact]
    public void WellFedPopulationsDieAndAreBornAtThe1957Schedule()
    {
        var sim = ModuleTestWorld.Create(parameters: [ModuleTestWorld.Param("demography.stochastic", 0)]);
        var u = sim.World.Units;
        sim.Context.Month = Month.Of(1957, 1);
        var before = u.CohortsOf(0).ToArray();
        var total = before.Sum(x => (double)x);
        sim.Module<Demography>().Step(sim.Context);
        var schedules = WorldBuilder.Schedules(Core.Inputs.BaselineInputs.Embedded);
        var scale = sim.World.Provinces.TrueDeathRate1957[0] / schedules.DeathRate;
        double deaths = 0;
        for (var k = 0; k < AgeGroups.Cohorts; k++) deaths += before[k] * (1 - Math.Exp(-schedules.AnnualHazard[k] / 12)) * scale;
        Assert.Equal(deaths, u.Deaths[0], deaths * 1e-4);
        // Births from women after the month's deaths: about CBR/12 of the population.
        Assert.Equal(total * 0.0433 / 12, u.Births[0], total * 0.0433 / 12 * 0.01);
        Assert.Equal(u.Births[0] * 34.0 / 43.3, u.BirthsRegistered[0], 1e-3);
        Assert.Equal(u.Deaths[0] * 10.8 / 18.1, u.DeathsRegistered[0], 1e-3);
        Assert.Equal(total + u.Births[0] - u.Deaths[0], u.CohortsOf(0).ToArray().Sum(x => (double)x), total * 1e-6);
    }

    /// <summary>
    /// Demography steps rural units eight at a time where the machine has AVX (one vector lane a unit); each unit's
    /// month must be the one StepPopulation gives it alone. The world is made hard for the eight-unit kernel: every
    /// unit in a random province (blocks straddle provinces), a third of them hungry (the famine hazard in some lanes),
    /// half of them with people at the furnaces and on the works under pressure (the mobilisation hazard),
    /// fertility different in every unit (some fed enough to make up postponed births), and some units empty (their
    /// blocks go one by one). Without chance the two
    /// agree to float rounding; with chance a draw's mean moves in its last bits and may change a count by one now and
    /// then, so there at most one unit in a thousand may differ.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void EightUnitsAtATimeStepAsEachAlone(double stochastic)
    {
        var scenario = new Core.Scenarios.ResolvedScenario("test", "", ["test"], [ModuleTestWorld.Param("demography.stochastic", stochastic)], []);
        var sim = new Simulation(scenario, new RunOptions { Resolution = Resolution.Commune, Provinces = ["Anhui", "Gansu", "Ningxia"], Threads = 1 });
        var u = sim.World.Units;
        var n = u.Count;
        var provinces = sim.World.Provinces.Count;
        var gen = new System.Random(1);
        for (var i = 0; i < n; i++)
        {
            u.ProvinceOf[i] = gen.Next(provinces);
            if (i % 3 == 0) u.Bmi[i] = 16.5f + 3 * (float)gen.NextDouble();
            u.FertilityNutrition[i] = u.FertilityNutritionLag[i] = 17 + 5 * (float)gen.NextDouble();
            // Births postponed earlier, for the fed units to make up (catch-up) and the hungry to carry on.
            u.PostponedBirths[i] = (float)gen.NextDouble() * u.Persons[i] / 200;
            // Half the units with people at the furnaces and on the works (the mobilisation hazard in some lanes).
            if (i % 2 == 0)
            {
                u.LabourBackyard[i] = u.Workers[i] * 0.2f * (float)gen.NextDouble();
                u.LabourWaterWorks[i] = u.Workers[i] * 0.3f * (float)gen.NextDouble();
            }
        }
        // Empty units, their headcounts zeroed too (the mobilisation hazard divides by Persons).
        for (var i = 5; i < n; i += 61) { u.CohortsOf(i).Clear(); u.RefreshHeadcounts(i); }
        sim.World.National.ExcessPressure = 0.6;
        sim.Context.Month = Month.Of(1959, 7);
        var demography = sim.Module<Demography>();
        float[][] Columns() => [u.Cohorts, u.Bmi, u.PostponedBirths, u.FertilityNutrition, u.FertilityNutritionLag, u.Deaths, u.DeathsRegistered, u.Births, u.BirthsRegistered, u.Persons, u.Workers];
        var start = Columns().Select(c => (float[])c.Clone()).ToArray();
        demography.Step(sim.Context);
        var eights = Columns().Select(c => (float[])c.Clone()).ToArray();
        var now = Columns();
        for (var k = 0; k < now.Length; k++) start[k].CopyTo(now[k], 0);
        demography.OneUnitAtATime = true;
        demography.Step(sim.Context);
        var alone = Columns();

        string[] names = ["cohorts", "bmi", "postponed", "fertility nutrition", "its lag", "deaths", "registered deaths", "births", "registered births", "persons", "workers"];
        var differing = new HashSet<int>();
        for (var k = 0; k < names.Length; k++)
        {
            var perUnit = eights[k].Length / n;
            for (var i = 0; i < eights[k].Length; i++)
            {
                var (x, y) = (eights[k][i], alone[k][i]);
                if (Math.Abs(x - y) <= 1e-4 * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)))) continue;
                if (stochastic == 0) Assert.Fail($"{names[k]} of unit {i / perUnit}: {x} eight at a time, {y} alone");
                differing.Add(i / perUnit);
            }
        }
        Assert.True(differing.Count <= Math.Max(1, n / 1000), $"{differing.Count} of {n} units differ");
        Assert.True(eights[7].Sum(b => (double)b) > 0);
    }
}

public class MigrationStepTests
{
    [Fact]
    public void RecruitsLeaveTheVillagesForTheCitiesOfTheirProvince()
    {
        var sim = ModuleTestWorld.Create();
        sim.Context.Month = Month.Of(1958, 3);
        sim.Levers.Values[sim.Levers.Index("industry_recruitment.persons_per_year")] = 120_000;
        var rural = (double)sim.World.Units.Persons[0];
        var urban = sim.World.Urban.Population(0);
        var workers0 = sim.World.National.IndustrialWorkers;
        sim.Module<Migration>().Step(sim.Context);
        // A one-province world carries its share of the national recruitment: 10,000 a month × Ningxia's share.
        var moved = 10_000 * sim.World.NationalShare;
        Assert.True(sim.World.NationalShare is > 0 and < 0.01);
        Assert.Equal(moved, sim.World.Units.MigrationOut[0], 0.05);
        Assert.Equal(rural - moved, sim.World.Units.Persons[0], 0.25); // float32 resolution at 1.6 M people is 0.125
        Assert.Equal(urban + moved, sim.World.Urban.Population(0), 0.05); // float32 cohorts on the rural side
        Assert.Equal(workers0 + moved, sim.World.National.IndustrialWorkers, 0.05); // the recruits actually moved
    }
}
