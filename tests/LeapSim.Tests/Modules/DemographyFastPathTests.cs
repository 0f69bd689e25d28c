using System.Runtime.Intrinsics;
using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Modules;

/// <summary>Demography's fast paths against the paths they replace, bit for bit.</summary>
public class DemographyFastPathTests
{
    /// <summary>
    /// The fertility factors eight at a time (512-bit vectors) have the bits of the factors four at a time: lagged BMIs
    /// from starving (the 0.1 floor) to fed (exactly 1), blocks of eight all fed and mixed, and a length that leaves
    /// lanes for the 4-lane loop and the scalar tail.
    /// </summary>
    [Fact]
    public void FertilityFactorsEightAtATimeAreTheFactorsFourAtATime()
    {
        var demography = ModuleTestWorld.Create().Module<Demography>();
        var gen = new System.Random(5);
        var bmi = new float[4 * 256 + 13];
        for (var i = 0; i < bmi.Length; i++)
            bmi[i] = i / 8 % 5 == 0 ? 22 + (float)gen.NextDouble() : (float)(1 + 24 * gen.NextDouble());
        bmi[100] = 21; // at the reference BMI (consumption.reference_bmi): exactly fed
        var eight = new double[bmi.Length];
        var four = new double[bmi.Length];
        demography.FertilityFactors(bmi, eight);
        demography.FertilityFactors(bmi, four, eightAtATime: false);
        for (var i = 0; i < bmi.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(eight[i]) == BitConverter.DoubleToInt64Bits(four[i]), $"BMI {bmi[i]:R}: {eight[i]:R} eight at a time, {four[i]:R} four");
        Assert.Contains(four, f => f == 1);
        Assert.Contains(four, f => f is > 0.001 and < 0.9);
        if (Vector512.IsHardwareAccelerated) Assert.True(eight.Zip(four).All(p => p.First.Equals(p.Second)));
    }

    /// <summary>
    /// Fertility's two lagged stages of nutrition four units at a time have the scalar loop's bits: a demography month
    /// stepped on the fast paths and again one unit at a time from the same state gives the same two columns (nothing
    /// else in the month writes them). Commune resolution: blocks end with fewer than four units.
    /// </summary>
    [Fact]
    public void FertilityLagsFourAtATimeAreTheScalarLags()
    {
        var sim = ModuleTestWorld.Create(["Anhui", "Ningxia"], Resolution.Commune);
        var u = sim.World.Units;
        var gen = new System.Random(7);
        for (var i = 0; i < u.Count; i++)
        {
            // Far enough apart that a float difference is not always exact (so that the precision of each step counts).
            u.Bmi[i] = 10 + 20 * (float)gen.NextDouble();
            u.FertilityNutritionLag[i] = 10 + 20 * (float)gen.NextDouble();
            u.FertilityNutrition[i] = 10 + 20 * (float)gen.NextDouble();
        }
        sim.Context.Month = Month.Of(1959, 7);
        var demography = sim.Module<Demography>();
        var start = (u.Cohorts.Clone(), u.Bmi.Clone(), u.FertilityNutritionLag.Clone(), u.FertilityNutrition.Clone(), u.PostponedBirths.Clone());
        demography.Step(sim.Context);
        var (lag, seen) = ((float[])u.FertilityNutritionLag.Clone(), (float[])u.FertilityNutrition.Clone());
        ((float[])start.Item1).CopyTo(u.Cohorts, 0);
        ((float[])start.Item2).CopyTo(u.Bmi, 0);
        ((float[])start.Item3).CopyTo(u.FertilityNutritionLag, 0);
        ((float[])start.Item4).CopyTo(u.FertilityNutrition, 0);
        ((float[])start.Item5).CopyTo(u.PostponedBirths, 0);
        demography.OneUnitAtATime = true;
        demography.Step(sim.Context);
        for (var i = 0; i < u.Count; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(lag[i]) == BitConverter.SingleToInt32Bits(u.FertilityNutritionLag[i]), $"lag of unit {i}: {lag[i]:R} fast, {u.FertilityNutritionLag[i]:R} alone");
            Assert.True(BitConverter.SingleToInt32Bits(seen[i]) == BitConverter.SingleToInt32Bits(u.FertilityNutrition[i]), $"nutrition of unit {i}: {seen[i]:R} fast, {u.FertilityNutrition[i]:R} alone");
        }
        Assert.NotEqual(((float[])start.Item4)[1], u.FertilityNutrition[1]); // the lags moved
    }
    /// <summary>
    /// Sixteen units at a time (two blocks of eight in one 512-bit kernel) have the bits of each block of eight stepped
    /// alone, with and without chance: a unit's numbers must not depend on which block shares its vectors. The world is
    /// made hard for the kernel: provinces shuffled (blocks that straddle provinces gather their death probabilities
    /// lane by lane), hungry units beside fed ones (lanes with famine and without in one vector), postponed births to
    /// make up or carry, and empty units (their pair goes as two single blocks, the empty unit's block one by one).
    /// Commune resolution: the last block of a chunk may be a single block of eight, or fewer units.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void SixteenUnitsAtATimeStepAsEachBlockOfEightAlone(double stochastic)
    {
        var scenario = new Core.Scenarios.ResolvedScenario("test", "", ["test"], [ModuleTestWorld.Param("demography.stochastic", stochastic)], []);
        var sim = new Simulation(scenario, new RunOptions { Resolution = Resolution.Commune, Provinces = ["Anhui", "Gansu", "Ningxia"], Threads = 1 });
        var u = sim.World.Units;
        var n = u.Count;
        var provinces = sim.World.Provinces.Count;
        var gen = new System.Random(11);
        for (var i = 0; i < n; i++)
        {
            if (i % 40 < 16) u.ProvinceOf[i] = gen.Next(provinces);
            if (i % 3 == 0) u.Bmi[i] = 16.5f + 3 * (float)gen.NextDouble();
            u.FertilityNutrition[i] = u.FertilityNutritionLag[i] = 17 + 5 * (float)gen.NextDouble();
            u.PostponedBirths[i] = (float)gen.NextDouble() * u.Persons[i] / 200;
        }
        foreach (var i in new[] { 3, 21, 100, 131 }) u.CohortsOf(i).Clear();
        sim.Context.Month = Month.Of(1959, 7);
        var demography = sim.Module<Demography>();
        var columns = new UnitColumns(u);
        demography.Step(sim.Context);
        var sixteen = columns.Copy();
        columns.Restore();
        demography.EightAtATime = true;
        demography.Step(sim.Context);
        columns.AssertSameBits(sixteen);
        Assert.True(u.Births.Sum(b => (double)b) > 0 && u.Deaths.Sum(d => (double)d) > 0);
        Assert.NotEqual(columns.Saved("cohorts")[200], u.Cohorts[200]); // the month moved the cohorts
    }
    /// <summary>
    /// The famine and survivor tables read four units at a time (TablePlace: the places computed together, each lane's
    /// two neighbouring values read as a pair) give Lookup's numbers for each unit, bit for bit: below the table (its first value), above it (its
    /// last), on its steps, between them, and at the last step inside it.
    /// </summary>
    [Fact]
    public void TablesReadFourAtATimeGiveTheScalarLookup()
    {
        var table = Demography.FamineTable(0.00023, 1.36, 18.5, 1.0, 0.5);
        var gen = new System.Random(9);
        var bmis = new List<double> { 2, Demography.TableMin, Demography.TableMin + Demography.TableStep, 29.99, 30, 31, 16.5, 12.345 };
        for (var i = 0; i < 4000; i++) bmis.Add(4 + 27 * gen.NextDouble());
        for (var i = 0; i + 4 <= bmis.Count; i += 4)
        {
            var four = new Demography.TablePlace(Vector256.Create(bmis[i], bmis[i + 1], bmis[i + 2], bmis[i + 3]), table.Length).In(table);
            for (var lane = 0; lane < 4; lane++)
            {
                var one = Demography.Lookup(table, bmis[i + lane]);
                Assert.True(BitConverter.DoubleToInt64Bits(one) == BitConverter.DoubleToInt64Bits(four[lane]), $"BMI {bmis[i + lane]:R}: {four[lane]:R} four at a time, {one:R} alone");
            }
        }
        Assert.True(Demography.Lookup(table, 15) > Demography.Lookup(table, 17)); // a table that varies
    }
}
