using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.Engine;

public class CollectorFourAtATimeTests
{
    /// <summary>
    /// The collector sums the units four at a time where the machine has AVX; every monthly figure of every province
    /// must be the same bits as summing one unit at a time. Brigades of three provinces (runs of one province start
    /// and end anywhere in a chunk, so both the vector loop and the last units one by one are used) over 1957-1959.
    /// </summary>
    [Fact]
    public void FourUnitsAtATimeSumAsOneByOne()
    {
        var options = new RunOptions { Resolution = Resolution.Brigade, Provinces = ["Anhui", "Gansu", "Ningxia"], Threads = 1, Years = new(1957, 1959) };
        var four = new Simulation(ScenarioLibrary.Resolve("default"), options);
        var one = new Simulation(ScenarioLibrary.Resolve("default"), options);
        one.Collector.OneUnitAtATime = true;
        four.Run();
        one.Run();
        var compared = 0;
        for (var series = 0; series < four.Results.Series.Count; series++)
            for (var month = 0; month < four.Results.MonthCount; month++)
            {
                var name = four.Results.Series[series].Name;
                var x = four.Results.Row(series, month);
                var y = one.Results.Row(series, month);
                for (var r = 0; r < x.Length; r++)
                {
                    Assert.True(BitConverter.DoubleToInt64Bits(x[r]) == BitConverter.DoubleToInt64Bits(y[r]), $"{name}, month {month}, region {r}: {x[r]:R} against {y[r]:R}");
                    compared++;
                }
            }
        Assert.True(compared > 1_000, $"{compared} figures compared");
    }
}
