using System.Runtime.InteropServices;
using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Engine;

/// <summary>
/// A run that starts from a copy of a world built beforehand (what `leapsim serve` does for every page run) gives the
/// same bits as a run that builds its own world, however many runs have used the template before and alongside it.
/// </summary>
public sealed class WorldTemplateTests
{
    private static readonly RunOptions Options = new() { Resolution = Resolution.Commune, Provinces = TestWorlds.Small, Threads = 2 };

    private static byte[] Bits(Simulation sim) => MemoryMarshal.AsBytes(sim.Results.RawValues.AsSpan()).ToArray();

    private static Simulation Ran(Simulation sim)
    {
        sim.Run();
        return sim;
    }

    [Fact]
    public async Task Runs_on_copies_give_the_same_bits_as_a_run_on_a_fresh_world_before_during_and_after_other_runs()
    {
        var scenario = ScenarioLibrary.Resolve("default");
        var fresh = Bits(Ran(new Simulation(scenario, Options)));
        var template = WorldTemplate.Build(scenario, Options);

        var first = Bits(Ran(new Simulation(scenario, Options, template: template)));
        // two at once on copies of the same template, then one more after them: no copy shares state with another
        // or with the template
        var together = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => Bits(Ran(new Simulation(scenario, Options, template: template))))));
        var after = Bits(Ran(new Simulation(scenario, Options, template: template)));
        // a copy made ahead of time goes to the next run, and to that run only
        template.PrepareCopy();
        Assert.True(template.HasCopyReady);
        var prepared = Bits(Ran(new Simulation(scenario, Options, template: template)));
        Assert.False(template.HasCopyReady);
        var next = Bits(Ran(new Simulation(scenario, Options, template: template)));

        Assert.Equal(fresh, first);
        Assert.Equal(fresh, together[0]);
        Assert.Equal(fresh, together[1]);
        Assert.Equal(fresh, after);
        Assert.Equal(fresh, prepared);
        Assert.Equal(fresh, next);
    }

    [Fact]
    public void A_template_serves_every_scenario_with_the_same_parameters_and_refuses_another_world()
    {
        var template = WorldTemplate.Build(ScenarioLibrary.Resolve("default"), Options);
        template.PrepareCopy();
        var (a, b) = (template.CopyFor(template.Key), template.CopyFor(template.Key));
        Assert.NotSame(a, b);
        Assert.NotSame(a.Units.Cohorts, b.Units.Cohorts);
        // no-leap changes events only: the same world
        var noLeap = ScenarioLibrary.Resolve("no-leap");
        Assert.Equal(template.Key, WorldKey.Of(noLeap, Options));
        Assert.Equal(Bits(Ran(new Simulation(noLeap, Options))), Bits(Ran(new Simulation(noLeap, Options, template: template))));

        // another seed, resolution, province list or parameter value is another world
        var changed = TestWorlds.Scenario("default", ("world.zeal_cv", 0.5));
        var nonWorld = TestWorlds.Scenario("default", ("procurement.retention_floor_kg", 150));
        foreach (var (scenario, options) in new (ResolvedScenario, RunOptions)[]
                 {
                     (noLeap, Options with { Seed = 2 }),
                     (noLeap, Options with { Resolution = Resolution.County }),
                     (noLeap, Options with { Provinces = ["Ningxia"] }),
                     (changed, Options),
                     (nonWorld, Options),
                 })
        {
            Assert.NotEqual(template.Key, WorldKey.Of(scenario, options));
            var e = Assert.Throws<ArgumentException>(() => new Simulation(scenario, options, template: template));
            Assert.Contains("another world", e.Message);
        }
    }

    [Fact]
    public void A_copy_has_arrays_of_its_own_and_keeps_arrays_referred_to_twice_together()
    {
        var world = TestWorlds.Build(Resolution.Commune, provinces: TestWorlds.Small);
        var flows = world.Units.FlowColumns.ToList(); // the table's lists of flow columns: the same arrays seen twice
        var _ = world.ProvinceState;
        var copy = WorldCopy.Of(world);

        var arrays = new[] { world.Units.Cohorts, world.Units.HarvestKg, world.Units.LandHa, world.Units.Zeal };
        var copied = new[] { copy.Units.Cohorts, copy.Units.HarvestKg, copy.Units.LandHa, copy.Units.Zeal };
        for (var i = 0; i < arrays.Length; i++)
        {
            Assert.NotSame(arrays[i], copied[i]);
            Assert.Equal(arrays[i], copied[i]);
        }
        Assert.NotSame(world.Urban.Cohorts, copy.Urban.Cohorts);
        Assert.NotSame(world.National, copy.National);
        Assert.NotSame(world.National.AgriculturalPointsLast12, copy.National.AgriculturalPointsLast12);
        Assert.NotSame(world.ProvinceState.WeatherYieldFactor, copy.ProvinceState.WeatherYieldFactor);
        Assert.NotSame(world.Hierarchy.CommuneCounty, copy.Hierarchy.CommuneCounty);
        Assert.Equal(world.Provinces.Name, copy.Provinces.Name);

        // the copy's cached flow columns are the copy's own flow arrays, so clearing the flows clears the copy's
        Assert.Same(copy.Units.HarvestKg, copy.Units.FlowColumns.First());
        Array.Fill(copy.Units.HarvestKg, 7f);
        copy.Units.ClearFlows();
        Assert.All(copy.Units.HarvestKg, v => Assert.Equal(0f, v));
        Assert.Same(flows[0], world.Units.HarvestKg);
    }

    [Fact]
    public void A_member_of_a_kind_it_cannot_copy_is_refused_rather_than_shared()
    {
        var e = Assert.Throws<NotSupportedException>(() => WorldCopy.Of(new LeapSim.Core.World.TestStateWithAList()));
        Assert.Contains("List", e.Message);
        Assert.Throws<NotSupportedException>(() => WorldCopy.Of(new List<float[]>()));
    }
}
