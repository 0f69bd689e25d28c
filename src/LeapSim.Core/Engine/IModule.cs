using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;

namespace LeapSim.Core.Engine;

/// <summary>
/// A mechanism: one file, one idea. It declares its parameters, the policies it answers to, and the state it reads
/// and writes; each month the engine calls <see cref="Step"/> in the declared order. Modules never call each other:
/// they talk through the world's arrays. A module binds its parameter values in <see cref="Initialise"/> and
/// allocates nothing in <see cref="Step"/>.
/// </summary>
public interface IModule
{
    string Name { get; }
    /// <summary>One sentence: what the module models.</summary>
    string Summary { get; }
    IReadOnlyList<ParameterInfo> Parameters { get; }
    IReadOnlyList<PolicyInfo> Policies { get; }
    IReadOnlyList<string> Reads { get; }
    IReadOnlyList<string> Writes { get; }
    void Initialise(SimContext context);
    void Step(SimContext context);
}

/// <summary>Helpers for declaring parameters tersely inside a module.</summary>
public abstract class ModuleBase : IModule
{
    public abstract string Name { get; }
    public abstract string Summary { get; }
    public virtual IReadOnlyList<ParameterInfo> Parameters => [];
    public virtual IReadOnlyList<PolicyInfo> Policies => [];
    public abstract IReadOnlyList<string> Reads { get; }
    public abstract IReadOnlyList<string> Writes { get; }
    public virtual void Initialise(SimContext context) { }
    public abstract void Step(SimContext context);

    /// <summary>Declares "module.name" with its unit, default, range, source and meaning.</summary>
    protected ParameterInfo P(string name, string unit, double value, double min, double max, string source, string description) =>
        new($"{Name}.{name}", unit, value, min, max, source, description);

    /// <summary>The bound value of this module's parameter <paramref name="name"/>.</summary>
    protected double Value(SimContext context, string name) => context.Parameters[$"{Name}.{name}"];
}
