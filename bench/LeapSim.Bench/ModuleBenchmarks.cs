using BenchmarkDotNet.Attributes;
using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Bench;

/// <summary>
/// Each module's monthly step on its own at each resolution (the whole step is <see cref="StepBenchmarks"/>): a small world (Anhui + Gansu)
/// stepped into the famine (July 1959, a harvest month), then the one month repeated. Before every invocation the
/// unit table is put back as it was (not timed), so a module that kills people or eats grain sees the same world each
/// time. Run with `dotnet run -c Release --project bench/LeapSim.Bench -- --filter '*ModuleBenchmarks*'`.
/// </summary>
[MemoryDiagnoser]
public class ModuleBenchmarks
{
    private static readonly ResolvedScenario Default = ScenarioLibrary.Resolve("default");
    private Simulation _sim = null!;
    private IModule _module = null!;
    private (float[] Live, float[] Saved)[] _columns = [];

    [Params(Resolution.Province, Resolution.Commune, Resolution.Team)]
    public Resolution Resolution { get; set; }

    [Params("collectivisation", "labour", "farming", "reporting", "procurement", "state_grain", "consumption", "demography", "migration")]
    public string Part { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _sim = new Simulation(Default, new RunOptions { Resolution = Resolution, Provinces = ["Anhui", "Gansu"], Threads = 1 });
        for (var i = 0; i < 30; i++) _sim.Step(); // to July 1959
        _module = _sim.Modules.Single(m => m.Name == Part);
        var u = _sim.World.Units;
        _columns = u.StateColumns.Select(c => c.Data).Concat(u.FlowColumns).Select(a => (a, (float[])a.Clone())).ToArray();
    }

    [IterationSetup]
    public void Restore()
    {
        foreach (var (live, saved) in _columns) saved.AsSpan().CopyTo(live);
    }

    [Benchmark(Description = "one month (July 1959), Anhui + Gansu")]
    public void Month() => _module.Step(_sim.Context);
}
