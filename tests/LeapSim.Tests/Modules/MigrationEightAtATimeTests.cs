using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.Modules;

/// <summary>
/// Migration moves eight units at a time where the machine has AVX, and then those of the eight who flee flee one by
/// one, in a month that recruits or sends back and in one that does neither (where only the hungry move); every
/// unit's numbers, the cities' and the nation's must be the same bits as one unit at a time, on a world made hard for
/// the vector path: hungry units that flee (some at a BMI just under the flight BMI of 18.5, and units at exactly
/// 18.5, who stay), empty units, units with nobody aged 15-39 (nothing to move), units whose few young people cannot
/// hold those sent back (the share clamped at −10), provinces that meet inside a block, and a unit count that is not a
/// multiple of eight.
/// </summary>
public class MigrationEightAtATimeTests
{
    private static Simulation HardWorld(double recruitPerYear, double sendPerYear, bool oneByOne)
    {
        var sim = new Simulation(ScenarioLibrary.Resolve("default"),
            new RunOptions { Resolution = Resolution.County, Provinces = ["Anhui", "Gansu", "Ningxia"], Threads = 1 });
        var u = sim.World.Units;
        var gen = new System.Random(8);
        for (var i = 0; i < u.Count; i++)
        {
            u.Bmi[i] = i % 37 == 0 ? 16.5f : i % 41 == 0 ? 18.5f : i % 43 == 0 ? 18.499f : (float)(18.6 + 3 * gen.NextDouble());
            var cohorts = u.CohortsOf(i);
            for (var k = 0; k < cohorts.Length; k++) cohorts[k] *= (float)(0.5 + gen.NextDouble());
            var young = i % 23 == 0 ? 0.001f : i % 31 == 0 ? 0f : -1f;
            if (young >= 0)
                for (var s = 0; s < 2; s++) for (var g = 7; g <= 11; g++) cohorts[AgeGroups.Index(s, g)] = young;
            if (i % 29 == 0) cohorts.Clear();
            u.RefreshHeadcounts(i);
        }
        sim.Context.Month = Month.Of(1960, 12);
        sim.Levers.Values[sim.Levers.Index("industry_recruitment.persons_per_year")] = recruitPerYear;
        sim.Levers.Values[sim.Levers.Index("sending_back.persons_per_year")] = sendPerYear;
        sim.Module<Migration>().OneUnitAtATime = oneByOne;
        return sim;
    }

    [Theory]
    [InlineData(2e7, 3e7)]   // both in one month, as in December 1960
    [InlineData(2e7, 0)]     // recruitment alone
    [InlineData(0, 3e7)]     // sending back alone
    [InlineData(1e12, 0)]    // more recruits than the villages' young: every share clamped at 1
    [InlineData(0, 0)]       // neither: only the hungry move, as they flee
    public void EightUnitsAtATimeMoveAsOneByOne(double recruitPerYear, double sendPerYear)
    {
        var eight = HardWorld(recruitPerYear, sendPerYear, oneByOne: false);
        var one = HardWorld(recruitPerYear, sendPerYear, oneByOne: true);
        Assert.NotEqual(0, eight.World.Units.Count % 8);
        // Two provinces meet inside a block of eight (the shares are gathered lane by lane there).
        var provinceOf = eight.World.Units.ProvinceOf;
        Assert.Contains(Enumerable.Range(1, provinceOf.Length - 1), i => i % 8 != 0 && provinceOf[i] != provinceOf[i - 1]);
        var columns = new Support.UnitColumns(eight.World.Units);
        eight.Module<Migration>().Step(eight.Context);
        one.Module<Migration>().Step(one.Context);
        new Support.UnitColumns(one.World.Units).AssertSameBits(columns.Copy());
        Assert.Equal(one.World.Urban.Cohorts, eight.World.Urban.Cohorts);
        Assert.Equal(one.World.Urban.MigrationIn, eight.World.Urban.MigrationIn);
        Assert.Equal(one.World.Urban.MigrationOut, eight.World.Urban.MigrationOut);
        Assert.Equal(one.World.National.IndustrialWorkers, eight.World.National.IndustrialWorkers);
        // The month moved people (if it recruited or sent back), some fled, and some units had nobody to move.
        var u = eight.World.Units;
        if (recruitPerYear + sendPerYear > 0) Assert.Contains(Enumerable.Range(0, u.Count), i => u.MigrationOut[i] + u.MigrationIn[i] > 0 && u.Bmi[i] >= 18.5f);
        else Assert.All(Enumerable.Range(0, u.Count).Where(i => u.Bmi[i] >= 18.5f), i => Assert.Equal(0f, u.MigrationOut[i] + u.MigrationIn[i]));
        Assert.Contains(Enumerable.Range(0, u.Count), i => u.MigrationOut[i] > 0 && u.Bmi[i] < 18.5f);
        Assert.Contains(Enumerable.Range(0, u.Count), i => i % 37 != 0 && i % 41 != 0 && i % 43 == 0 && u.Persons[i] > 0); // just under: they flee
        Assert.Contains(Enumerable.Range(0, u.Count), i => i % 37 != 0 && i % 41 == 0 && u.Persons[i] > 0);                  // at 18.5: they stay
        if (sendPerYear > 0) Assert.Contains(Enumerable.Range(0, u.Count), i => u.MigrationIn[i] > 0);
        Assert.Contains(Enumerable.Range(0, u.Count), i => u.Persons[i] > 0 && u.MigrationOut[i] == 0 && u.MigrationIn[i] == 0);
    }
}
