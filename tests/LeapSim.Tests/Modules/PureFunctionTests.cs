using LeapSim.Core.Modules;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.Modules;

public class WeatherTests
{
    [Fact]
    public void LossWeighsAffectedAndStrickenLand()
    {
        // 30 % affected of which 10 % stricken: 0.1 × (0.30 − 0.10) + 0.4 × 0.10 = 0.02 + 0.04 = 0.06.
        Assert.Equal(0.06, Weather.Loss(0.30, 0.10, 0.1, 0.4), 12);
        Assert.Equal(0, Weather.Loss(0, 0, 0.1, 0.4));
    }

    [Theory]
    [InlineData("Shandong+Henan+Hebei", "Hebei,Henan,Shandong")]
    [InlineData("Yunnan; southern Sichuan; western Guizhou", "Guizhou,Sichuan,Yunnan")]
    [InlineData("central Heilongjiang; most of Jilin", "Heilongjiang,Jilin")]
    [InlineData("most of South China", "Fujian,Guangdong,Guangxi")]
    [InlineData("western and central Guangdong; Hainan", "Guangdong")]
    [InlineData("Wei River; middle and lower Yellow River; Hai River basin", "Beijing,Gansu,Hebei,Henan,Shaanxi,Shandong,Shanxi,Tianjin")]
    [InlineData("south of the Wei River and lower Yellow River to the Nanling", "Anhui,Henan,Hubei,Hunan,Jiangsu,Jiangxi,Shaanxi,Shandong,Shanghai,Zhejiang")]
    [InlineData("Henan, Shandong, Sichuan, Anhui, Hubei, Hunan, Heilongjiang, Shaanxi, Shanxi ...", "Anhui,Heilongjiang,Henan,Hubei,Hunan,Shaanxi,Shandong,Shanxi,Sichuan")]
    [InlineData("most of Yellow River basin", "Gansu,Henan,Inner Mongolia,Ningxia,Qinghai,Shaanxi,Shandong,Shanxi")]
    [InlineData("most of upper Yellow River basin; northern Hebei", "Gansu,Hebei,Inner Mongolia,Ningxia,Qinghai")]
    [InlineData("western Yunnan; SW and northern Sichuan; southern Gansu; Huang-Huai area", "Anhui,Gansu,Henan,Jiangsu,Shandong,Sichuan,Yunnan")]
    public void DroughtFragmentsNameTheirProvinces(string text, string provinces) =>
        Assert.Equal(provinces, string.Join(",", Weather.ProvincesNamed(text).Order(StringComparer.Ordinal)));
}

public class FarmingTests
{
    [Fact]
    public void WorkCapacityIsLinearFrom1200To2400Kcal()
    {
        Assert.Equal(0.3, Farming.WorkCapacity(1000, 2400, 0.3, 1200), 12);
        Assert.Equal(0.3, Farming.WorkCapacity(1200, 2400, 0.3, 1200), 12);
        Assert.Equal(0.65, Farming.WorkCapacity(1800, 2400, 0.3, 1200), 12); // 0.3 + 0.7 × 600/1200
        Assert.Equal(1.0, Farming.WorkCapacity(3000, 2400, 0.3, 1200), 12);
    }

    [Fact]
    public void HarvestIsCompleteWithEnoughHandsAndShrinksWithout()
    {
        Assert.Equal(1, Farming.HarvestCompletion(0.9, 0.85, 0.6));
        // (0.425 / 0.85)^0.6 = 0.5^0.6 = 0.659754...
        Assert.Equal(Math.Pow(0.5, 0.6), Farming.HarvestCompletion(0.425, 0.85, 0.6), 12);
        Assert.Equal(0, Farming.HarvestCompletion(0, 0.85, 0.6));
    }
}

public class ReportingTests
{
    [Fact]
    public void ReportsAreInflatedByZealTimesExcessPressure()
    {
        // 100 × (1 + 0.6 × 1.5 × 0.5) = 145.
        Assert.Equal(145, Reporting.Reported(100, 1.5, 0.5, 0.6), 9);
        Assert.Equal(100, Reporting.Reported(100, 3, 0, 0.6), 12);
    }
}

public class ProcurementTests
{
    [Fact]
    public void QuotaAtTheBaselineIsTheBaseRate()
    {
        // A summer harvest (share 0.3 of the year) of 90 kg for 1 person with a yearly base of 300 kg: rel = 1, rate = τ.
        Assert.Equal(0.2357 * 90, Procurement.Quota(90, 0.3, 1, 300, 0.2357, 0.5, 1, 0, 0.25, 0.9), 9);
    }

    [Fact]
    public void QuotaIsProgressiveAndPushedByZeal()
    {
        // An autumn harvest (share 0.7) of 420 kg against 0.7 × 300 = 210: rel = 2 → rate = 0.2 × 2^0.5;
        // zeal 2 at excess pressure 0.5 adds 0.25 × 1 × 0.5 = 12.5 %.
        var q = Procurement.Quota(420, 0.7, 1, 300, 0.2, 0.5, 2, 0.5, 0.25, 0.9);
        Assert.Equal(0.2 * Math.Sqrt(2) * 1.125 * 420, q, 9);
    }

    [Fact]
    public void CollectionStopsAtTheFloor()
    {
        Assert.Equal(50, Procurement.Collect(50, 200, 100));   // quota below what is above the floor
        Assert.Equal(100, Procurement.Collect(500, 200, 100)); // down to the floor, no further
        Assert.Equal(0, Procurement.Collect(500, 80, 100));    // already below the floor
    }

    [Fact]
    public void MoreQuotaNeverLeavesMoreGrain()
    {
        for (var due = 0.0; due < 400; due += 10)
            Assert.True(200 - Procurement.Collect(due + 10, 200, 60) <= 200 - Procurement.Collect(due, 200, 60));
    }
}

public class ConsumptionTests
{
    [Fact]
    public void FamiliesSpreadTheirStockToTheHarvest()
    {
        Assert.Equal(18, Consumption.FamilyRation(1000, 18, 5));     // plenty: eat the need
        Assert.Equal(12, Consumption.FamilyRation(60, 18, 5));       // 60 kg over 5 months
        Assert.Equal(0, Consumption.FamilyRation(0, 18, 5));
        Assert.Equal(15, Consumption.FamilyRation(60, 18, 5, 0.25), 9);  // impatient: 60 × 1.25 / 5
        Assert.Equal(18, Consumption.FamilyRation(60, 18, 5, 1), 9);     // 60 × 2 / 5 = 24, capped at the need
        Assert.Equal(10, Consumption.FamilyRation(10, 18, 1, 1), 9);     // never more than the stock
        Assert.Equal(10, Consumption.FamilyRation(10, 18, 0), 9);        // a horizon of 0 counts as this month
    }

    [Fact]
    public void SubstitutesFillTheGapUpToTheirCeiling()
    {
        Assert.Equal(100, Consumption.SubstituteKcal(2000, 2100, 300));
        Assert.Equal(300, Consumption.SubstituteKcal(1200, 2100, 300));
        Assert.Equal(0, Consumption.SubstituteKcal(2300, 2100, 300));    // fed: nobody gathers
    }

    [Fact]
    public void GreenEatingFillsTheShortfallUpToTheSeasonsCap()
    {
        // Cap: 0.15 × 1000 kg standing × 0.6 = 90 kg of green food in the season.
        Assert.Equal(40, Consumption.GreenEaten(40, 1000, 0, 0.15, 0.6), 9);
        Assert.Equal(30, Consumption.GreenEaten(40, 1000, 60, 0.15, 0.6), 9);
        Assert.Equal(0, Consumption.GreenEaten(40, 1000, 90, 0.15, 0.6), 9);
        Assert.True(Consumption.IsGreenCropMonth(9) && Consumption.IsGreenCropMonth(5) && !Consumption.IsGreenCropMonth(1));
    }

    [Fact]
    public void BmiFallsWithDeficitAndSettlesWhereNeedMeetsIntake()
    {
        // At BMI 21 (reference) with need 2100 and intake 1575: deficit 0.25 → −3 × 0.25 = −0.75.
        Assert.Equal(20.25, Consumption.NextBmi(21, 1575, 2100, 21, 3, 1, 1), 9);
        // With need ∝ BMI (exponent 1) the equilibrium is 21 × 1575/2100 = 15.75: no change there.
        Assert.Equal(15.75, Consumption.NextBmi(15.75, 1575, 2100, 21, 3, 1, 1), 9);
        // With exponent 2 the equilibrium is 21 × sqrt(0.75).
        var eq = 21 * Math.Sqrt(0.75);
        Assert.Equal(eq, Consumption.NextBmi(eq, 1575, 2100, 21, 3, 1, 2), 9);
        // Energy balance: with nothing to eat a body at the reference loses 3 points, one at BMI 14 (exponent 2, req =
        // 2100 × (14/21)² = 933.3 kcal) loses 3 × 933.3 / 2100 = 1.333: a wasted body burns less.
        Assert.Equal(18, Consumption.NextBmi(21, 0, 2100, 21, 3, 1, 2), 9);
        Assert.Equal(14 - 3 * (2100 * (14.0 / 21) * (14.0 / 21)) / 2100, Consumption.NextBmi(14, 0, 2100, 21, 3, 1, 2), 9);
        // Recovery is capped at +1 a month and never above the reference.
        Assert.Equal(18, Consumption.NextBmi(17, 4000, 2100, 21, 3, 1, 1), 9);
        Assert.Equal(21, Consumption.NextBmi(20.9, 4000, 2100, 21, 3, 1, 1), 9);
    }
}

public class FarmCalendarTests
{
    [Theory]
    [InlineData(1, 5)]   // January-May, the June harvest comes
    [InlineData(5, 1)]
    [InlineData(6, 4)]   // the June harvest is in: June-September until October's
    [InlineData(9, 1)]
    [InlineData(10, 8)]  // October-May
    [InlineData(12, 6)]
    public void AStockMustFeedTheMonthsUntilALaterHarvest(int month, int months) =>
        Assert.Equal(months, LeapSim.Core.Time.FarmCalendar.MonthsToFeed(month));
}

public class DemographyTests
{
    [Fact]
    public void WithoutASpreadNobodyIsSelected() => Assert.All(Demography.SurvivorShiftTable(0.00023, 1.36, 18.5, 0, 0.5), x => Assert.Equal(0, x));

    [Fact]
    public void TheWeakDieFirstOnlyWhereTheHazardDiffersAmongIndividuals()
    {
        var table = Demography.SurvivorShiftTable(0.00023, 1.36, 18.5, 1.0, 0.5);
        double At(double bmi) => table[(int)Math.Round((bmi - 5) / 0.01)];
        // Well fed: everyone within 4 sd of 25 is above 18.5, nobody dies, the mean stays.
        Assert.Equal(0, At(25), 12);
        // Far gone: everyone within 4 sd of 6 is below BMI 13.7, where the hazard is capped at 0.5 alike: a uniform
        // hazard selects nobody.
        Assert.Equal(0, At(6), 9);
        // In between the hazard falls steeply with BMI: survivors are heavier than the mean, by less than the spread.
        // E[x (1 − m(x))] / E[1 − m(x)] − mean over x = mean + z, z from −4 to 4 in steps of 0.05 (161 points)
        // weighted by exp(−z²/2), m(x) = min(0.5, 0.00023 exp((18.5 − x)^1.36)) below 18.5: summed by hand (python)
        // 0.1211883 at 15.5 and 0.0137094 at 17 (the exact integrals are 0.121208 and 0.0137057).
        Assert.Equal(0.1211883, At(15.5), 1e-6);
        Assert.Equal(0.0137094, At(17), 1e-6);
    }

    [Fact]
    public void FamineHazardFollowsTheClingendaelForm()
    {
        Assert.Equal(0, Demography.FamineMortality(18.5, 0.00023, 1.36, 18.5, 0.5));
        Assert.Equal(0.00023 * Math.Exp(1), Demography.FamineMortality(17.5, 0.00023, 1.36, 18.5, 0.5), 12);
        Assert.Equal(0.00023 * Math.Exp(Math.Pow(3, 1.36)), Demography.FamineMortality(15.5, 0.00023, 1.36, 18.5, 0.5), 12);
    }

    [Fact]
    public void SpreadingBmiRaisesTheHazardNearTheThresholdAndKeepsItMonotone()
    {
        var sharp = Demography.FamineTable(0.00023, 1.36, 18.5, 0, 0.5);
        var spread = Demography.FamineTable(0.00023, 1.36, 18.5, 1.5, 0.5);
        var at19 = (int)((19 - 5) / 0.01);
        Assert.Equal(0, sharp[at19]);
        Assert.True(spread[at19] > 0);
        for (var i = 1; i < spread.Length; i++) Assert.True(spread[i] <= spread[i - 1] + 1e-15);
    }

    [Fact]
    public void FertilityFallsWithLaggedBmiBelowTheReference()
    {
        Assert.Equal(1, Demography.FertilityFactor(22, 21, 4));
        Assert.Equal(Math.Pow(18.0 / 21, 4), Demography.FertilityFactor(18, 21, 4), 12);
    }
}

public class MigrationTests
{
    [Fact]
    public void MovingWorkersTakesFromAges15To39Proportionally()
    {
        var cohorts = new float[AgeGroups.Cohorts];
        for (var k = 0; k < cohorts.Length; k++) cohorts[k] = 10;
        // Ages 15-39 are groups 7-11 for both sexes: 10 groups × 10 = 100 people; move 20 → each loses 2.
        var moved = Migration.MoveWorkingAge(cohorts, 20);
        Assert.Equal(20, moved, 4);
        Assert.Equal(8, cohorts[AgeGroups.Index(0, 7)], 4);
        Assert.Equal(10, cohorts[AgeGroups.Index(0, 6)], 4);
        Assert.Equal(10, cohorts[AgeGroups.Index(1, 12)], 4);
        // Negative: arrivals join the same ages.
        Assert.Equal(-20, Migration.MoveWorkingAge(cohorts, -20), 4);
        Assert.Equal(10, cohorts[AgeGroups.Index(1, 9)], 4);
    }

    [Fact]
    public void MovingWorkersTouchesOnlyAges15To39OfEachSexAndCountsWhatLeft()
    {
        // Every group a different number: 10 + k. Ages 15-39 are 7-11 (men) and 28-32 (women): 17..21 and 38..42,
        // 295 people; moving 59 takes a fifth of each of those groups and nothing from any other.
        var cohorts = new float[AgeGroups.Cohorts];
        for (var k = 0; k < cohorts.Length; k++) cohorts[k] = 10 + k;
        var moved = Migration.MoveWorkingAge(cohorts, 59);
        Assert.Equal(59, moved, 4);
        for (var k = 0; k < cohorts.Length; k++)
        {
            var young = k is >= 7 and <= 11 or >= 28 and <= 32;
            Assert.Equal(young ? (10 + k) * 0.8 : 10 + k, cohorts[k], 4);
        }
    }
}
