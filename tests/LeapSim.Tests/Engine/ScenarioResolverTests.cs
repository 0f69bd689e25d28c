using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Tests.Output;
using Xunit;

namespace LeapSim.Tests.Engine;

public sealed class ScenarioResolverTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text)
    {
        var path = _dir[name];
        File.WriteAllText(path, text);
        return path;
    }

    private InputException Fails(string yaml, int line, string key, string fragment, string file = "s.yaml")
    {
        var path = Write(file, yaml);
        var e = Assert.Throws<InputException>(() => ScenarioLibrary.Resolve(path));
        Assert.Equal(path, e.Location.File);
        Assert.Equal(line, e.Location.Line);
        Assert.Equal(key, e.Location.Key);
        Assert.Contains(fragment, e.Problem, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void Extending_default_and_changing_one_date_moves_only_that_event()
    {
        var baseline = ScenarioLibrary.Resolve("default");
        var path = Write("later-lushan.yaml", "name: later-lushan\nevents:\n  lushan_purge:\n    date: 1959-11\n");
        var s = ScenarioLibrary.Resolve(path);
        Assert.Equal("later-lushan", s.Name);
        Assert.Equal([.. baseline.Chain, "later-lushan"], s.Chain);
        Assert.Equal("default", baseline.Chain[^1]);
        Assert.Equal(baseline.Parameters, s.Parameters);
        Assert.Equal(baseline.Events.Select(e => e.Id), s.Events.Select(e => e.Id));
        foreach (var (a, b) in baseline.Events.Zip(s.Events))
        {
            Assert.Equal(a.Policy, b.Policy);
            Assert.Equal(a.Settings, b.Settings);
            Assert.Equal(a.Enabled, b.Enabled);
            if (a.Id == "lushan_purge")
            {
                Assert.Equal(Month.Of(1959, 8), a.Date);
                Assert.Equal(Month.Of(1959, 11), b.Date);
                Assert.Equal(1.0, b.Settings["campaign"]);
            }
            else Assert.Equal(a.Date, b.Date);
        }
        // The lever follows: politics.campaign stays at its September 1959 value until November.
        var levers = new LeverTable(ModuleCatalog.Policies(), s.Events, Month.Of(1957, 1), 120);
        var campaign = levers.Index("politics.campaign");
        for (var m = 0; m < 120; m++)
        {
            levers.Apply(m);
            if (m == Month.Of(1959, 10) - Month.Of(1957, 1)) Assert.Equal(0.6, levers[campaign]);
            if (m == Month.Of(1959, 11) - Month.Of(1957, 1)) Assert.Equal(1.0, levers[campaign]);
        }
    }

    [Fact]
    public void Enabled_false_drops_an_inherited_event_and_a_setting_patch_keeps_the_rest()
    {
        var path = Write("no-halls.yaml",
            "name: no-halls\nextends: default\nevents:\n  dining_halls:\n    enabled: false\n  ration_cut:\n    level: 0.8\n");
        var s = ScenarioLibrary.Resolve(path);
        var halls = s.Events.Single(e => e.Id == "dining_halls");
        Assert.False(halls.Enabled);
        Assert.Equal(Month.Of(1958, 9), halls.Date);
        var cut = s.Events.Single(e => e.Id == "ration_cut");
        Assert.Equal(0.8, cut.Settings["level"]);
        Assert.Equal(Month.Of(1960, 10), cut.Date);
        var levers = new LeverTable(ModuleCatalog.Policies(), s.Events, Month.Of(1957, 1), 120);
        Assert.DoesNotContain(levers.Events, e => e.Id == "dining_halls");
        var share = levers.Index("dining_halls.share");
        var before = levers[share];
        for (var m = 0; m <= Month.Of(1959, 3) - Month.Of(1957, 1); m++) levers.Apply(m);
        Assert.Equal(before, levers[share]); // the halls never opened (the April 1959 event sets 0.5)
    }

    [Fact]
    public void A_new_event_and_a_parameter_are_added()
    {
        var path = Write("extra.yaml",
            "name: extra\nparameters:\n  demography.rr_under5: 2.5\nevents:\n  imports_1959:\n    policy: grain_trade\n    date: 1959-04\n    extra_imports_mt: 3\n");
        var s = ScenarioLibrary.Resolve(path);
        var inherited = ScenarioLibrary.Resolve("default").Parameters;
        Assert.DoesNotContain(inherited, p => p.Name == "demography.rr_under5");
        Assert.Equal(inherited.Count + 1, s.Parameters.Count);
        var p = Assert.Single(s.Parameters, p => p.Name == "demography.rr_under5");
        Assert.Equal(2.5, p.Value);
        Assert.Equal(3, p.Location.Line);
        Assert.Equal(s.Parameters.Select(x => x.Name).Order(StringComparer.Ordinal), s.Parameters.Select(x => x.Name));
        var e = s.Events[^1];
        Assert.Equal(("imports_1959", "grain_trade", Month.Of(1959, 4)), (e.Id, e.Policy, e.Date));
        Assert.Equal(3.0, e.Settings["extra_imports_mt"]);
    }

    [Fact]
    public void Unknown_parameter_names_file_line_and_key()
    {
        Fails("name: x\nparameters:\n  demography.rr_under5: 2\n  demography.no_such_thing: 1\n", 4,
            "parameters.demography.no_such_thing", "unknown parameter");
    }

    [Fact]
    public void Out_of_range_parameter_names_file_line_and_key()
    {
        Fails("name: x\nparameters:\n  demography.rr_under5: -1\n", 3, "parameters.demography.rr_under5", "outside the range [0.5, 10]");
    }

    [Fact]
    public void Unknown_policy_names_file_line_and_key()
    {
        Fails("name: x\nevents:\n  e1:\n    policy: no_such_policy\n    date: 1959-01\n", 4, "events.e1.policy", "unknown policy");
    }

    [Fact]
    public void A_new_event_without_policy_is_an_error_at_its_id()
    {
        Fails("name: x\nevents:\n  brand_new:\n    date: 1959-01\n    level: 1\n", 3, "events.brand_new", "needs a 'policy:'");
    }

    [Fact]
    public void Unknown_setting_names_file_line_and_key()
    {
        Fails("name: x\nevents:\n  ration_cut:\n    date: 1960-10\n    levle: 0.8\n", 5, "events.ration_cut.levle", "has no setting 'levle'");
    }

    [Fact]
    public void Out_of_range_setting_names_file_line_and_key()
    {
        Fails("name: x\nevents:\n  birth_control:\n    fertility_factor: 5\n", 4, "events.birth_control.fertility_factor", "outside the range");
    }

    [Fact]
    public void Date_after_1966_12_names_file_line_and_key()
    {
        Fails("name: x\nevents:\n  ration_cut:\n    date: 1967-01\n", 4, "events.ration_cut.date", "after the model's last month 1966-12");
        // 1966-12 itself is fine.
        Assert.Equal(Month.Of(1966, 12), ScenarioLibrary.Resolve(Write("ok.yaml", "name: ok\nevents:\n  ration_cut:\n    date: 1966-12\n"))
            .Events.Single(e => e.Id == "ration_cut").Date);
    }

    [Fact]
    public void An_error_in_a_parent_names_the_parent_file()
    {
        var parent = Write("parent.yaml", "name: parent\nparameters:\n  farming.nonsense: 1\n");
        var child = Write("child.yaml", "name: child\nextends: parent.yaml\n");
        var e = Assert.Throws<InputException>(() => ScenarioLibrary.Resolve(child));
        Assert.Equal(parent, e.Location.File);
        Assert.Equal(3, e.Location.Line);
        Assert.Equal("parameters.farming.nonsense", e.Location.Key);
    }

    [Fact]
    public void Extends_cycle_is_an_error()
    {
        var a = Write("a.yaml", "name: a\nextends: b.yaml\n");
        Write("b.yaml", "name: b\nextends: a.yaml\n");
        var e = Assert.Throws<InputException>(() => ScenarioLibrary.Resolve(a));
        Assert.Equal("extends", e.Location.Key);
        Assert.Contains("cycle", e.Problem, StringComparison.Ordinal);
        Assert.EndsWith(".yaml", e.Location.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Extending_itself_is_an_error()
    {
        var a = Write("self.yaml", "name: self\nextends: self.yaml\n");
        var e = Assert.Throws<InputException>(() => ScenarioLibrary.Resolve(a));
        Assert.Equal(a, e.Location.File);
        Assert.Equal("extends", e.Location.Key);
    }

    [Fact]
    public void A_missing_parent_is_an_error_naming_the_file_that_extends_it()
    {
        var a = Write("orphan.yaml", "name: orphan\nextends: nowhere.yaml\n");
        var e = Assert.Throws<InputException>(() => ScenarioLibrary.Resolve(a));
        Assert.Equal(a, e.Location.File);
        Assert.Equal("extends", e.Location.Key);
        Assert.Contains("nowhere.yaml", e.Problem, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_builtins_resolve_and_no_leap_switches_the_leap_off()
    {
        Assert.Equal("default", ScenarioLibrary.BuiltinNames[0]);
        Assert.Contains("no-leap", ScenarioLibrary.BuiltinNames);
        var d = ScenarioLibrary.Resolve("default");
        Assert.Equal("default", d.Chain[^1]);
        Assert.All(d.Events, e => Assert.True(e.Enabled));
        Assert.All(d.Events, e => Assert.True(e.Date <= ScenarioResolver.LastMonth));
        var n = ScenarioLibrary.Resolve("no-leap");
        Assert.Equal([.. d.Chain, "no-leap"], n.Chain);
        Assert.False(n.Events.Single(e => e.Id == "commune_movement").Enabled);
        Assert.False(n.Events.Single(e => e.Id == "backyard_steel").Enabled);
        Assert.True(n.Events.Single(e => e.Id == "birth_control").Enabled);
        var e = Assert.Throws<InputException>(() => ScenarioLibrary.Resolve("no-such-builtin"));
        Assert.Equal("scenario", e.Location.Key);
    }
}
