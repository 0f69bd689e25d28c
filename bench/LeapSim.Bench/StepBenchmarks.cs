using BenchmarkDotNet.Attributes;
using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Bench;

/// <summary>
/// The cost of the model: one whole 1957-1966 run of the historical scenario on a small world (two provinces) at
/// each resolution, and one monthly step at commune resolution. Run with
/// `dotnet run -c Release --project bench/LeapSim.Bench -- --filter '*'` (see bench/README.md).
/// </summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    private static readonly ResolvedScenario Default = ScenarioLibrary.Resolve("default");
    private Simulation? _sim;

    [Params(Resolution.Province, Resolution.Commune, Resolution.Brigade)]
    public Resolution Resolution { get; set; }

    [Benchmark(Description = "1957-1966 run, Anhui + Gansu")]
    public double WholeRun()
    {
        var sim = new Simulation(Default, new RunOptions { Resolution = Resolution, Provinces = ["Anhui", "Gansu"], Threads = 1 });
        sim.Run();
        return sim.Results["deaths", sim.MonthCount - 1, sim.Results.National];
    }

    [GlobalSetup(Target = nameof(OneMonth))]
    public void SetupMonth()
    {
        _sim = new Simulation(Default, new RunOptions { Resolution = Resolution, Provinces = ["Anhui", "Gansu"], Threads = 1 });
        for (var i = 0; i < 30; i++) _sim.Step(); // into the famine years
    }

    [Benchmark(Description = "one month (mid-1959), Anhui + Gansu")]
    public void OneMonth()
    {
        if (_sim!.Finished) SetupMonth();
        _sim.Step();
    }
}
