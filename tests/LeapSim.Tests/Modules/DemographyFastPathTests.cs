using System.Runtime.Intrinsics;
using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Time;
using LeapSim.Core.World;
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
        var sim = new Simulation(new Core.Scenarios.ResolvedScenario("test", "", ["test"], [], []),
            new RunOptions { Resolution = Resolution.Commune, Provinces = ["Anhui", "Ningxia"], Threads = 1 });
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
}
