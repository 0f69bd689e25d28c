using LeapSim.Core.Engine;
using Xunit;

namespace LeapSim.Tests.Engine;

public sealed class JitWarmUpTests
{
    [Fact]
    public void The_warm_up_compiles_every_method_of_the_step_including_the_parallel_loops_lambdas()
    {
        var types = JitWarmUp.StepTypes(ModuleCatalog.Create());
        // Every module of the step order is warmed, and the engine's types with them.
        Assert.Equal(ModuleCatalog.Create().Select(m => m.GetType()), types.Take(ModuleCatalog.Create().Count));
        Assert.Contains(typeof(Simulation), types);

        var (compiled, failed) = JitWarmUp.Compile(types);

        Assert.Empty(failed);
        // The modules' own Step methods and the compiler-generated lambdas of their parallel loops (nested types) are
        // both reached: more methods than the modules declare directly.
        var declared = types.Sum(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic
            | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly)
            .Count(m => !m.IsAbstract && !m.ContainsGenericParameters));
        Assert.True(compiled > declared, $"compiled {compiled}, declared directly {declared}");
    }
}
