using System.Reflection;
using System.Runtime.CompilerServices;

namespace LeapSim.Core.Engine;

/// <summary>
/// Compiles the monthly step's code on a background thread while the world is being built, so that a small world
/// (a province run steps its 120 months in ~0.03 s once compiled) does not spend most of its first months in the JIT.
/// The loops are compiled optimised at first call (Directory.Build.props), which costs more compile time than quick
/// JIT; done here it overlaps the world build on a second core instead of delaying the first month. Results are
/// unaffected: the same code is compiled, only earlier. Once per process.
/// </summary>
internal static class JitWarmUp
{
    private static int _started;

    /// <summary>Starts compiling, once per process, every method of the step's types (modules, engine, unit table) and of their
    /// compiler-generated helpers (the lambdas handed to the parallel loops). Returns at once.</summary>
    public static void Start(IEnumerable<IModule> modules)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) return;
        var types = StepTypes(modules);
        var thread = new Thread(() => Compile(types)) { IsBackground = true, Name = "jit warm-up", Priority = ThreadPriority.BelowNormal };
        thread.Start();
    }

    /// <summary>The types whose code a month runs: the modules', the engine's, the unit table's and the kernels' helpers.</summary>
    public static Type[] StepTypes(IEnumerable<IModule> modules) =>
        modules.Select(m => m.GetType())
            .Concat([typeof(Simulation), typeof(Collector), typeof(World.RuralUnits), typeof(Numerics.FourUnits), typeof(LeapSim.Core.Random.CounterRng)])
            .ToArray();

    /// <summary>Compiles every method of <paramref name="types"/> and their nested types; returns how many were compiled
    /// and those the runtime could not prepare ahead (they are compiled at their first call as usual).</summary>
    public static (int Compiled, IReadOnlyList<string> Failed) Compile(IEnumerable<Type> types)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var compiled = 0;
        var failed = new List<string>();
        foreach (var type in types.SelectMany(WithNested))
        {
            if (type.ContainsGenericParameters) continue;
            foreach (var method in type.GetMethods(all))
            {
                if (method.IsAbstract || method.ContainsGenericParameters) continue;
                try { RuntimeHelpers.PrepareMethod(method.MethodHandle); compiled++; }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
                {
                    failed.Add($"{type.FullName}.{method.Name}: {e.GetType().Name}");
                }
            }
        }
        return (compiled, failed);
    }

    private static IEnumerable<Type> WithNested(Type type) => type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).SelectMany(WithNested).Prepend(type);
}
