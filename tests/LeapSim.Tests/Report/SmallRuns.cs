using LeapSim.Cli.Commands;
using LeapSim.Core.Engine;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using LeapSim.Report;

namespace LeapSim.Tests.Report;

/// <summary>
/// A small world (Anhui, Sichuan, Shanghai at province resolution, seed 1) run once per test class with the default
/// and the no-leap scenario, kept in memory as the tables a run writes.
/// </summary>
public sealed class SmallRuns
{
    public static readonly string[] Provinces = ["Anhui", "Sichuan", "Shanghai"];

    public SmallRuns()
    {
        (Default, DefaultScenario, DefaultChanged, DefaultSeries) = Run("default");
        (NoLeap, _, _, NoLeapSeries) = Run("no-leap");
    }

    public RunTables Default { get; }
    public ResolvedScenario DefaultScenario { get; }
    public IReadOnlyList<ParameterChange> DefaultChanged { get; }
    public RunTables NoLeap { get; }
    public MonthlySeries DefaultSeries { get; }
    public MonthlySeries NoLeapSeries { get; }

    private static (RunTables, ResolvedScenario, IReadOnlyList<ParameterChange>, MonthlySeries) Run(string scenario)
    {
        var resolved = ScenarioLibrary.Resolve(scenario);
        var sim = new Simulation(resolved, new RunOptions { Resolution = Resolution.Province, Provinces = Provinces, Threads = 1 });
        sim.Run();
        var changed = sim.Parameters.Changed().Select(c => new ParameterChange(c.Info, c.Value)).ToList();
        return (RunTables.From(RunCommand.Tables(sim, 1957)), resolved, changed, sim.Results);
    }
}
