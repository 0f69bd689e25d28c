using LeapSim.Core.Engine;
using LeapSim.Core.Experiments;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using Xunit;

namespace LeapSim.Tests.Experiments;

public class SwitchSetTests
{
    private static readonly ResolvedScenario Default = ScenarioLibrary.Resolve("default");

    [Fact]
    public void A_change_is_what_a_counterfactual_does_to_the_baseline()
    {
        var halls = ScenarioChange.Between(Default, ScenarioLibrary.Resolve("no-dining-halls"));
        Assert.Equal(["dining_halls", "free_supply_ends", "halls_abolished", "halls_partly_disbanded", "halls_restored"], halls.Events.Keys.Order(StringComparer.Ordinal));
        Assert.All(halls.Events.Values, e => Assert.False(e.Enabled));
        Assert.Empty(halls.Parameters);
        var honest = ScenarioChange.Between(Default, ScenarioLibrary.Resolve("honest-reports"));
        Assert.Empty(honest.Events);
        Assert.Equal(0, Assert.Single(honest.Parameters).Value.Value);
        var weather = ScenarioChange.Between(Default, ScenarioLibrary.Resolve("normal-weather"));
        Assert.Equal("normal_weather", Assert.Single(weather.Events).Key);
        Assert.True(ScenarioChange.Between(Default, Default).IsEmpty);
    }

    [Fact]
    public void A_coalition_switches_off_the_mechanisms_not_in_it()
    {
        var set = SwitchSet.Create(Default, [("halls", "no-dining-halls"), ("reports", "honest-reports")], null, ScenarioLibrary.Resolve);
        Assert.Equal(2, set.Count);
        Assert.Equal("all on", set.Label(3));
        Assert.Equal("halls", set.Label(1));
        // all on = the baseline
        Assert.Equal(Default.Events, set.Scenario(3).Events);
        Assert.Equal(Default.Parameters.Select(p => (p.Name, p.Value)), set.Scenario(3).Parameters.Select(p => (p.Name, p.Value)));
        // only the halls on: reports are honest
        var s1 = set.Scenario(1);
        Assert.Equal(0, s1.Parameters.Single(p => p.Name == "reporting.inflation_per_pressure").Value);
        Assert.True(s1.Events.Single(e => e.Id == "dining_halls").Enabled);
        // all off: no halls, honest reports; lever paths are those of the two counterfactuals together
        var s0 = set.Scenario(0);
        Assert.False(s0.Events.Single(e => e.Id == "dining_halls").Enabled);
        Assert.Equal(0, s0.Parameters.Single(p => p.Name == "reporting.inflation_per_pressure").Value);
        var levers = new LeverTable(ModuleCatalog.Policies(), s0.Events, Month.Of(1957, 1), 120);
        for (var m = 0; m < 120; m++) { levers.Apply(m); Assert.Equal(0, levers[levers.Index("dining_halls.share")]); }
    }

    [Fact]
    public void The_rest_switch_holds_what_no_leap_changes_beyond_the_named_switches_and_all_off_contains_no_leap()
    {
        var set = SwitchSet.Create(Default, SwitchSet.Defaults, "no-leap", ScenarioLibrary.Resolve);
        Assert.Equal(SwitchSet.Defaults.Count + 1, set.Count);
        var rest = set.Switches[^1];
        Assert.Equal(SwitchSet.RestName, rest.Name);
        Assert.DoesNotContain("dining_halls", rest.Off.Events.Keys);
        Assert.Contains("beidaihe", rest.Off.Events.Keys);
        // every change of no-leap is made when all switches are off
        var noLeap = ScenarioLibrary.Resolve("no-leap");
        var allOff = set.Scenario(0).Events.ToDictionary(e => e.Id);
        static object Key(PolicyEvent e) => (e.Id, e.Policy, e.Date, e.Enabled, string.Join(",", e.Settings.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value}")));
        foreach (var (id, e) in ScenarioChange.Between(Default, noLeap).Events) Assert.Equal(Key(e), Key(allOff[id]));
    }

    [Fact]
    public void Switches_that_change_an_event_differently_cannot_be_combined_and_empty_ones_are_refused()
    {
        // both switch lushan_purge off the same way: they combine
        Assert.Equal(2, SwitchSet.Create(Default, [("a", "no-lushan-purge"), ("b", "early-retrenchment")], null, ScenarioLibrary.Resolve).Count);
        // no-leap switches relief_begins off, early-retrenchment moves it: they do not
        var e = Assert.Throws<InputException>(() => SwitchSet.Create(Default, [("a", "no-leap"), ("b", "early-retrenchment")], null, ScenarioLibrary.Resolve));
        Assert.Contains("event relief_begins", e.Problem, StringComparison.Ordinal);
        var empty = Assert.Throws<InputException>(() => SwitchSet.Create(Default, [("nothing", "default")], null, ScenarioLibrary.Resolve));
        Assert.Contains("changes nothing", empty.Problem, StringComparison.Ordinal);
    }
}
