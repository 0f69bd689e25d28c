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
    /// them, and with verification stripping last year's inflated reports.
    /// </summary>
    [Fact]
    public void FourVillagesAtATimeSellAsOneAtATime()
    {
        var options = new RunOptions { Resolution = Resolution.Commune, Provinces = ["Anhui", "Gansu", "Ningxia"], Threads = 1, Years = new(1957, 1961) };
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
            if (four.World.National.ResoldKg > 0 && month.Year == 1957 && month.MonthOfYear < 6) soldBeforeReports = true;
            if (four.World.National.ResoldKg > 0 && month.Year >= 1959) soldAfterReports = true;
        }
        Assert.True(soldBeforeReports && soldAfterReports);
    }
}
