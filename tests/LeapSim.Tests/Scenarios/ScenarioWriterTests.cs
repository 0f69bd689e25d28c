using CsCheck;
using LeapSim.Core.Calibration;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using Xunit;

namespace LeapSim.Tests.Scenarios;

public sealed class ScenarioWriterTests
{
    /// <summary>The fields that survive a write and a read (locations are where the text was read, so they differ).</summary>
    private static string Shape(Scenario s) => string.Join("\n",
        new[] { $"name={s.Name}", $"description={s.Description}", $"extends={s.Extends ?? "(none given)"}" }
            .Concat(s.Parameters.Select(p => $"param {p.Name}={p.Value:R}"))
            .Concat(s.Events.Select(e => $"event {e.Id} policy={e.Policy ?? "-"} date={e.Date?.ToString() ?? "-"} enabled={e.Enabled?.ToString() ?? "-"} description={e.Description ?? "-"} "
                                         + string.Join(" ", e.Settings.Select(kv => $"{kv.Key}={kv.Value:R}")))));

    private static EventPatch Event(string id, string? policy = null, Month? date = null, bool? enabled = null, string? description = null, params (string, double)[] settings) =>
        new(id, policy, date, settings.ToDictionary(s => s.Item1, s => s.Item2), new Dictionary<string, SourceLocation>(), enabled, description, default);

    [Fact]
    public void Every_builtin_scenario_reads_back_the_same()
    {
        foreach (var name in ScenarioLibrary.BuiltinNames)
        {
            var original = ScenarioLibrary.LoadBuiltin(name);
            var text = ScenarioWriter.Write(original);
            Assert.Equal(Shape(original), Shape(ScenarioReader.Parse(text, "written.yaml")));
        }
    }

    [Fact]
    public void A_scenario_is_written_in_the_documented_format()
    {
        var s = new Scenario
        {
            Name = "my-scenario",
            Description = "Lushan heeded: \"no purge\"",
            Extends = "no-leap",
            Parameters = [new ParameterOverride("procurement.retention_floor_kg", 220, default)],
            Events =
            [
                Event("lushan_purge", enabled: false),
                Event("early_imports", policy: "grain_trade", date: Month.Of(1959, 4), settings: ("extra_imports_mt", 5.5)),
                Event("null", description: ""),
            ],
        };
        Assert.Equal(
            "# made in a test\n" +
            "name: my-scenario\n" +
            "description: \"Lushan heeded: \\\"no purge\\\"\"\n" +
            "extends: no-leap\n" +
            "parameters:\n" +
            "  procurement.retention_floor_kg: 220\n" +
            "events:\n" +
            "  lushan_purge:\n" +
            "    enabled: false\n" +
            "  early_imports:\n" +
            "    policy: grain_trade\n" +
            "    date: 1959-04\n" +
            "    extra_imports_mt: 5.5\n" +
            "  \"null\":\n" +
            "    description: \"\"\n",
            ScenarioWriter.Write(s, ["made in a test"]));
    }

    private static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    [Fact]
    public void Random_scenarios_read_back_the_same()
    {
        var identifier = Gen.Select(Gen.Char["abcz"], Gen.String[Gen.Char["az09_.-"], 0, 8]).Select((c, rest) => c + rest);
        var anyId = Gen.OneOf(identifier, Pick("null", "true", "No", "1e5", "-x", ".inf", "y", "date2", "1957-01"));
        var text = Gen.OneOf(Gen.String[Gen.Char.AlphaNumeric, 0, 20], Gen.String[Gen.Char[' ', '\u00ff'], 0, 20], Gen.String, Pick("a: b", "x #y", "null", "yes", " lead", "trail ", "'q'", "\"", "\\", "é中", "\t\r\n"));
        var number = Gen.OneOf(Gen.Double.Where(double.IsFinite), Gen.Int[-1000, 1000].Select(i => (double)i), Gen.Int[0, 4].Select(i => new[] { 0.0, -0.0, 1e-300, double.MaxValue, 0.1 }[i]));
        var month = Gen.Int[0, (2100 - 1957) * 12 + 11].Select(i => new Month(i));
        var setting = Gen.Select(anyId.Where(s => !ScenarioWriter.EventFields.Contains(s)), number);
        var ev = Gen.Select(anyId, Gen.Bool, month, Gen.Select(Gen.Bool, Gen.Bool), Gen.Bool, text, setting.Array[0, 3])
            .Select((id, hasPolicy, date, enabled, hasDescription, description, settings) =>
                Event(id, hasPolicy ? "grain_trade" : null, enabled.Item1 ? date : null, enabled.Item2 ? hasPolicy : null,
                    hasDescription ? description : null, settings.DistinctBy(s => s.Item1).ToArray()))
            .Where(e => e.Policy is not null || e.Date is not null || e.Enabled is not null || e.Description is not null || e.Settings.Count > 0);
        var scenario = Gen.Select(anyId, text, Gen.OneOf(Gen.Bool.Select(_ => (string?)null), anyId.Select(s => (string?)s), text.Where(t => t.Trim().Length > 0).Select(s => (string?)s)),
                Gen.Select(anyId, number).Array[0, 4], ev.Array[0, 4])
            .Select((name, description, extends, parameters, events) => new Scenario
            {
                Name = name,
                Description = description,
                Extends = extends,
                Parameters = parameters.DistinctBy(p => p.Item1).Select(p => new ParameterOverride(p.Item1, p.Item2, default)).ToList(),
                Events = events.DistinctBy(e => e.Id).ToList(),
            });
        scenario.Sample(s =>
        {
            // Lone surrogate halves are not text a file can hold: the writer replaces them, so they do not read back.
            if (s.Description.Any(char.IsSurrogate) || (s.Extends?.Any(char.IsSurrogate) ?? false) || s.Events.Any(e => e.Description?.Any(char.IsSurrogate) ?? false))
                return;
            var written = ScenarioWriter.Write(s);
            Assert.Equal(Shape(s), Shape(ScenarioReader.Parse(written, "random.yaml")));
        }, iter: 400);
    }

    [Theory]
    [InlineData("name", "bad name")]
    [InlineData("parameters.a b", "a parameter name")]
    [InlineData("events.e.x", "not finite")]
    [InlineData("events.e.date", "an event field")]
    [InlineData("events.e", "no fields")]
    public void What_the_format_cannot_hold_is_refused_naming_the_key(string key, string what)
    {
        var s = what switch
        {
            "bad name" => new Scenario { Name = "bad name" },
            "a parameter name" => new Scenario { Name = "s", Parameters = [new ParameterOverride("a b", 1, default)] },
            "not finite" => new Scenario { Name = "s", Events = [Event("e", settings: ("x", double.NaN))] },
            "an event field" => new Scenario { Name = "s", Events = [Event("e", settings: ("date", 1))] },
            _ => new Scenario { Name = "s", Events = [Event("e")] },
        };
        var e = Assert.Throws<InputException>(() => ScenarioWriter.Write(s, file: "page"));
        Assert.Equal(key, e.Location.Key);
        Assert.Equal("page", e.Location.File);
    }

    [Fact]
    public void Calibrated_parameters_are_written_as_before_and_read_back()
    {
        var r = new Calibrator.Result(new Dictionary<string, double> { ["b.y"] = 0.1, ["a.x"] = 3.0916 }, 40.1884, 350, []);
        var text = Calibrator.ToScenarioYaml(r, "3", "commune", 1);
        Assert.Equal(
            "# Calibrated parameters, version 3. Written by `leapsim calibrate` — do not edit by hand; rerun it.\n" +
            "# Fitted at commune resolution, mean of 1 run(s) per evaluation, 350 evaluations,\n" +
            "# loss 40.188, 0 of 0 targets in band.\n" +
            "name: calibrated\n" +
            "description: Calibrated parameter values, version 3\n" +
            "extends: none\n" +
            "parameters:\n" +
            "  a.x: 3.0916\n" +
            "  b.y: 0.1\n", text);
        Assert.Equal(2, ScenarioReader.Parse(text, "calibrated.yaml").Parameters.Count);
    }
}
