using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.Engine;

/// <summary>
/// The monthly loop allocates nothing once running (issue #8): a module's chunk body that captures a local of its
/// Step makes a closure every month, which this test catches. The first months of each policy may allocate (a module
/// makes a chunk delegate the first month it needs it, the weather its province weights): 1957-1960 warm up.
/// </summary>
public sealed class AllocationTests
{
    [Theory]
    [InlineData(Resolution.Province, "default")]
    [InlineData(Resolution.County, "default")]
    [InlineData(Resolution.Province, "no-leap")]
    public void Months_after_the_first_year_allocate_nothing(Resolution resolution, string scenario)
    {
        // A chunk body that allocates does so every month, in every run. The runtime itself may allocate once on the
        // stepping thread while the suite loads the machine (seen once in CI: 7 KB in one module's 72 months, not
        // reproducible alone, as tiered compilation replaced code under it), so a second fresh run is measured
        // when the first is not clean: the test fails only when both runs allocate.
        var first = AllocatedIn1961To1966(resolution, scenario);
        if (first.Bytes == 0) return;
        var second = AllocatedIn1961To1966(resolution, scenario);
        Assert.True(second.Bytes == 0, $"first run: {first.Report}; second run: {second.Report}");
    }

    private static (long Bytes, string Report) AllocatedIn1961To1966(Resolution resolution, string scenario)
    {
        // One thread: every chunk runs on this thread, where the allocation counter is exact.
        var sim = new Simulation(ScenarioLibrary.Resolve(scenario),
            new RunOptions { Resolution = resolution, Provinces = ["Anhui", "Gansu"], Threads = 1, Years = new YearSpan(1957, 1966) });
        for (var m = 0; m < 48; m++) sim.Step();
        // 1961-1966: the famine's end, the retrenchment and its policy events, the recovery.
        var timings = new StepTimings(sim.Modules);
        var before = GC.GetAllocatedBytesForCurrentThread();
        while (!sim.Finished) sim.Step(timings);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var parts = string.Join(", ", timings.Names.Select((n, i) => (n, b: timings.AllocatedBytes(i))).Where(x => x.b != 0).Select(x => $"{x.n} {x.b} B"));
        return (allocated, $"{allocated} bytes allocated in {timings.Months} months: {parts}");
    }
}
