using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.Engine;

/// <summary>
/// The engine does not clear the flows of <see cref="RuralUnits.FlowsWrittenInFull"/> at the start of a month: their
/// modules must write every unit every month. A module that skips a unit (an empty one, a month it has nothing to do)
/// would leave last month's flow to be counted again.
/// </summary>
public sealed class FlowsWrittenInFullTests
{
    [Fact]
    public void EveryMonthWritesItsFlowsInFull()
    {
        var sim = new Simulation(ScenarioLibrary.Resolve("default"),
            new RunOptions { Resolution = Resolution.Commune, Provinces = ["Anhui", "Ningxia"], Threads = 1, Years = new YearSpan(1957, 1966) });
        var units = sim.World.Units;
        // Empty units, alone and in the middle of an eight-unit block, take the modules' one-by-one paths.
        foreach (var u in new[] { 0, 13, units.Count - 1 })
        {
            units.CohortsOf(u).Clear();
            units.RefreshHeadcounts(u);
        }
        var written = units.FlowsWrittenInFull.ToArray();
        var names = units.NamedFlowColumns.ToDictionary(c => c.Data, c => c.Name);
        while (!sim.Finished)
        {
            foreach (var column in written) column.AsSpan().Fill(float.NaN);
            sim.Step();
            foreach (var column in written)
            {
                var left = Array.FindIndex(column, float.IsNaN);
                Assert.True(left < 0, $"{sim.Context.Month}: {names[column]} of unit {left} not written");
            }
        }
        // The written flows do reach the results: deaths, births and labour are counted every month.
        Assert.True(sim.Results.Row(sim.Results.IndexOf("deaths"), sim.MonthCount - 1)[sim.Results.National] > 0);
    }

    [Fact]
    public void TheOtherFlowsAreClearedEachMonth()
    {
        var sim = new Simulation(ScenarioLibrary.Resolve("default"),
            new RunOptions { Resolution = Resolution.Commune, Provinces = ["Ningxia"], Threads = 1 });
        var units = sim.World.Units;
        var written = units.FlowsWrittenInFull.ToHashSet();
        var cleared = units.NamedFlowColumns.Where(c => !written.Contains(c.Data)).ToArray();
        Assert.Contains(cleared, c => c.Data == units.HarvestKg);
        foreach (var (_, data) in cleared) data.AsSpan().Fill(1e9f);
        // January: no harvest, no procurement; a flow left at 1e9 was not cleared.
        sim.Step();
        foreach (var (name, data) in cleared)
            Assert.True(data.All(x => x < 1e9f), $"{name} not cleared");
    }
}
