using LeapSim.Core.Modules;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Core.Engine;

/// <summary>
/// The step order: the one place that says which modules run and in what order each month (printed by
/// `leapsim explain`). Policy events are applied by the engine before the first module.
/// </summary>
public static class ModuleCatalog
{
    /// <summary>A fresh set of modules in step order.</summary>
    public static IReadOnlyList<IModule> Create() =>
    [
        new Politics(),
        new Collectivisation(),
        new LabourAllocation(),
        new Weather(),
        new Farming(),
        new Industry(),
        new Reporting(),
        new Procurement(),
        new StateGrainAccount(),
        new Consumption(),
        new Demography(),
        new Migration(),
    ];

    private static readonly Lazy<IReadOnlyList<IModule>> Prototype = new(Create);

    /// <summary>Every declared parameter: the world builder's and every module's.</summary>
    public static IEnumerable<ParameterInfo> AllParameters() =>
        WorldBuilder.Parameters.Concat(Prototype.Value.SelectMany(m => m.Parameters));

    public static IEnumerable<PolicyInfo> Policies() => Prototype.Value.SelectMany(m => m.Policies);

    public static IReadOnlyList<IModule> Modules => Prototype.Value;

    public static ParameterSet NewParameterSet() => new(AllParameters());
}
