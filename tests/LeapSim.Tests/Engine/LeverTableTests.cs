using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Engine;

public sealed class LeverTableTests
{
    private static readonly PolicyInfo[] Policies =
    [
        new("p", "a policy", "test", [new PolicySetting("a", "u", 1, 0, 10, ""), new PolicySetting("b", "u", 0, 0, 10, "")]),
        new("q", "another", "test", [new PolicySetting("a", "u", 5, 0, 10, "")]),
    ];

    private static PolicyEvent Event(string id, string policy, Month date, bool enabled = true, params (string, double)[] settings) =>
        new(id, policy, date, settings.ToDictionary(s => s.Item1, s => s.Item2), enabled, "", new SourceLocation("<test>", 0, id));

    private static readonly Month First = Month.Of(1957, 1);

    [Fact]
    public void Levers_start_at_their_defaults_and_are_named_policy_dot_setting()
    {
        var t = new LeverTable(Policies, [], First, 24);
        Assert.Equal(["p.a", "p.b", "q.a"], t.Names);
        Assert.Equal([1.0, 0.0, 5.0], t.Values);
        Assert.Equal(1, t.Index("p.b"));
        Assert.Throws<KeyNotFoundException>(() => t.Index("p.c"));
        Assert.Throws<InvalidOperationException>(() => new LeverTable([Policies[0], Policies[0]], [], First, 24));
    }

    [Fact]
    public void An_event_applies_in_its_month_and_not_before()
    {
        var t = new LeverTable(Policies, [Event("mid", "p", Month.Of(1957, 6), settings: ("b", 3))], First, 24);
        var b = t.Index("p.b");
        for (var m = 0; m < 5; m++)
        {
            Assert.Empty(t.EventsAt(m));
            t.Apply(m);
            Assert.Equal(0, t[b]);
        }
        Assert.Equal("mid", Assert.Single(t.EventsAt(5)).Id);
        t.Apply(5);
        Assert.Equal(3, t[b]);
        Assert.Equal(1, t[t.Index("p.a")]); // settings not named keep their value
        for (var m = 6; m < 24; m++) { t.Apply(m); Assert.Equal(3, t[b]); }
    }

    [Fact]
    public void An_event_dated_before_the_run_applies_at_its_start_and_later_ones_override_it()
    {
        var t = new LeverTable(Policies,
        [
            Event("later", "q", Month.Of(1957, 3), settings: ("a", 9)),
            Event("before", "q", new Month(-7), settings: ("a", 2)),   // 1956-06
            Event("long_before", "q", new Month(-30), settings: ("a", 1)),
        ], First, 24);
        var a = t.Index("q.a");
        Assert.Equal(["long_before", "before"], t.EventsAt(0).Select(e => e.Id));
        t.Apply(0);
        Assert.Equal(2, t[a]);  // in date order: the later of the two early events wins
        t.Apply(1);
        Assert.Equal(2, t[a]);
        t.Apply(2);
        Assert.Equal(9, t[a]);
    }

    [Fact]
    public void Disabled_events_and_events_after_the_run_do_not_fire()
    {
        var t = new LeverTable(Policies,
        [
            Event("off", "p", Month.Of(1957, 3), enabled: false, settings: ("a", 9)),
            Event("after", "p", Month.Of(1959, 1), settings: ("a", 7)),  // month 24 of a 24-month run
            Event("on", "p", Month.Of(1958, 12), settings: ("b", 4)),
        ], First, 24);
        Assert.DoesNotContain(t.Events, e => e.Id == "off");
        for (var m = 0; m < 24; m++)
        {
            Assert.DoesNotContain(t.EventsAt(m), e => e.Id is "off" or "after");
            t.Apply(m);
        }
        Assert.Equal(1, t[t.Index("p.a")]);
        Assert.Equal(4, t[t.Index("p.b")]);
    }

    [Fact]
    public void Events_of_the_same_month_apply_in_id_order()
    {
        var m = Month.Of(1957, 4);
        var t = new LeverTable(Policies, [Event("z", "p", m, settings: ("a", 5)), Event("y", "p", m, settings: ("a", 4))], First, 24);
        Assert.Equal(["y", "z"], t.EventsAt(3).Select(e => e.Id));
        t.Apply(3);
        Assert.Equal(5, t[t.Index("p.a")]);
    }

    [Fact]
    public void A_simulation_applies_the_scenario_events_before_the_modules_of_their_month()
    {
        // default.yaml: anti_rightist_campaign, 1957-06, politics.campaign 0.35 (default 0.3).
        var sim = new Simulation(ScenarioLibrary.Resolve("default"), new RunOptions { Provinces = ["Ningxia"], Threads = 1, Years = new YearSpan(1957, 1957) });
        var lever = sim.Levers.Index("politics.campaign");
        Assert.Equal(0.3, sim.Levers[lever]);
        for (var m = 0; m < 5; m++) { sim.Step(); Assert.Equal(0.3, sim.Levers[lever]); }
        sim.Step();
        Assert.Equal(0.35, sim.Levers[lever]);
        Assert.Equal(12, sim.MonthCount);
        while (!sim.Finished) sim.Step();
        Assert.Throws<InvalidOperationException>(sim.Step);
    }
}
