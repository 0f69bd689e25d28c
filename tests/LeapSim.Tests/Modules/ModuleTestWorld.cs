using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Tests.Modules;

/// <summary>A one-province world with no policy events, for stepping one module by hand.</summary>
internal static class ModuleTestWorld
{
    public static Simulation Create(string province = "Ningxia", Resolution resolution = Resolution.Province, IEnumerable<ParameterOverride>? parameters = null) =>
        Create([province], resolution, parameters);

    /// <summary>The same world of several provinces (the vector-path tests take three, for a partial last block).</summary>
    public static Simulation Create(string[] provinces, Resolution resolution, IEnumerable<ParameterOverride>? parameters = null)
    {
        var scenario = new ResolvedScenario("test", "", ["test"], (parameters ?? []).ToList(), []);
        return new Simulation(scenario, new RunOptions { Resolution = resolution, Provinces = provinces, Threads = 1 });
    }

    public static T Module<T>(this Simulation sim) => sim.Modules.OfType<T>().Single();

    public static ParameterOverride Param(string name, double value) => new(name, value, new SourceLocation("<test>", 0, name));
}
