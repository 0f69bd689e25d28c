using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.Modules;

public class StateGrainFourAtATimeTests
{
    /// <summary>
    /// The state account computes and pays the fixed sales four villages at a time where the machine has AVX; the
    /// sales, the stocks and the national resales must be the same bits as one village at a time, month after month of
    /// the historical run: before the first harvests (no report yet: the normal crop at the reports' inflation), after
    /// them, and with verification stripping last year's inflated reports. Started in 1957, the months before the
    /// first reports have no excess pressure (the normal crop's inflation factor is exactly 1); started in 1958 at
    /// county resolution, they have pressure (a factor above 1) and a unit count that is not a multiple of four.
    /// </summary>
    [Theory]
    [InlineData(Resolution.Commune, 1957)]
    [InlineData(Resolution.County, 1958)]
    public void FourVillagesAtATimeSellAsOneAtATime(Resolution resolution, int firstYear)
    {
        var options = new RunOptions { Resolution = resolution, Provinces = ["Anhui", "Gansu", "Ningxia"], Threads = 1, Years = new(firstYear, 1961) };
        var four = new Simulation(ScenarioLibrary.Resolve("default"), options);
        var one = new Simulation(ScenarioLibrary.Resolve("default"), options);
        one.Module<StateGrainAccount>().OneUnitAtATime = true;
        var soldBeforeReports = false;
        var soldAfterReports = false;
        while (!four.Finished)
        {
            four.Step();
            one.Step();
            var month = four.Context.Month;
            Assert.Equal(one.World.National.ResoldKg, four.World.National.ResoldKg);
            Assert.Equal(one.World.Units.ResoldKg, four.World.Units.ResoldKg);
            Assert.Equal(one.World.Units.GrainStockKg, four.World.Units.GrainStockKg);
            if (four.World.National.ResoldKg > 0 && month.Year == firstYear && month.MonthOfYear < 6
                && (firstYear == 1957 || four.World.National.ExcessPressure > 0)) soldBeforeReports = true;
            if (four.World.National.ResoldKg > 0 && month.Year >= 1959) soldAfterReports = true;
        }
        Assert.True(soldBeforeReports && soldAfterReports);
    }
}
