using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Tests.Support;

/// <summary>Small worlds and scenarios shared by the engine tests.</summary>
internal static class TestWorlds
{
    /// <summary>The two smallest provinces with a sourced urban share and an unsourced one: the usual small world.</summary>
    public static readonly string[] Small = ["Ningxia", "Qinghai"];

    public static ParameterSet Parameters(params (string Name, double Value)[] overrides)
    {
        var ps = ModuleCatalog.NewParameterSet();
        foreach (var (n, v) in overrides) ps.Set(n, v);
        return ps;
    }

    public static SimWorld Build(Resolution resolution, ulong seed = 1, IReadOnlyList<string>? provinces = null,
        params (string Name, double Value)[] overrides) =>
        WorldBuilder.Build(BaselineInputs.Embedded, Parameters(overrides), resolution, seed, provinces);

    /// <summary>A resolved built-in scenario with extra parameter overrides.</summary>
    public static ResolvedScenario Scenario(string builtin, params (string Name, double Value)[] overrides)
    {
        var s = ScenarioLibrary.Resolve(builtin);
        var ps = s.Parameters.ToList();
        foreach (var (n, v) in overrides)
        {
            ps.RemoveAll(p => p.Name == n);
            ps.Add(new ParameterOverride(n, v, new SourceLocation("<test>", 0, n)));
        }
        return s with { Parameters = ps };
    }

    public static double Relative(double actual, double expected) => Math.Abs(actual - expected) / Math.Abs(expected);
}

/// <summary>The repository root (the folder holding LeapSim.slnx) and the shared folder beside it.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeapSim.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"no LeapSim.slnx above {AppContext.BaseDirectory}");
    }

    /// <summary>../shared/data relative to the repository root, or null when it is not there.</summary>
    public static string? SharedData
    {
        get
        {
            var parent = Path.GetDirectoryName(Root);
            var beside = parent is null ? null : Path.Combine(parent, "shared", "data");
            if (beside is not null && Directory.Exists(beside)) return beside;
            return Directory.Exists("/work/shared/data") ? "/work/shared/data" : null;
        }
    }
}
