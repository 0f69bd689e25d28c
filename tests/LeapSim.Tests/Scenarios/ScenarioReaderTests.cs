using System.Text;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using Xunit;

namespace LeapSim.Tests.Scenarios;

public sealed class ScenarioReaderTests
{
    private const string File = "test.yaml";

    // Line numbers matter: the tests below refer to them.
    private const string Full =
        "# LeapSim scenario\n" +                                  // 1
        "name: no-backyard-steel\n" +                             // 2
        "description: The steel drive of 1958 never happens.\n" + // 3
        "extends: default\n" +                                    // 4
        "parameters:\n" +                                         // 5
        "  farming.harvest_labour_elasticity: 0.6\n" +            // 6
        "  demography.famine_mortality_scale: -2\n" +             // 7
        "events:\n" +                                             // 8
        "  backyard_steel_drive:      # inherited\n" +            // 9
        "    enabled: false\n" +                                  // 10
        "  imports_1959:\n" +                                     // 11
        "    policy: grain_trade\n" +                             // 12
        "    date: 1959-04\n" +                                   // 13
        "    description: Imports bought from spring 1959\n" +    // 14
        "    imports_mt_per_year: 3.0\n" +                        // 15
        "    price_factor: 1.5e-1\n" +                            // 16
        "  lushan:\n" +                                           // 17
        "    date: '1959-07'\n" +                                 // 18
        "    enabled: True\n";                                    // 19

    private static InputException Fails(string yaml, int line, string key, string fragment)
    {
        var e = Assert.Throws<InputException>(() => ScenarioReader.Parse(yaml, File));
        Assert.Equal(File, e.Location.File);
        Assert.Equal(key, e.Location.Key);
        Assert.Equal(line, e.Location.Line);
        Assert.Contains(fragment, e.Problem, StringComparison.OrdinalIgnoreCase);
        AssertOneLine(e);
        return e;
    }

    private static void AssertOneLine(InputException e)
    {
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
        Assert.StartsWith(e.Location.File + ":", e.Message);
    }

    /// <summary>An event file around one event body, so that the event's fields start on line 5.</summary>
    private static string WithEvent(string body) => "name: s\nevents:\n  e1:\n    policy: p\n" + body;

    [Fact]
    public void Full_example_is_read_field_by_field()
    {
        var s = ScenarioReader.Parse(Full, File);

        Assert.Equal("no-backyard-steel", s.Name);
        Assert.Equal("The steel drive of 1958 never happens.", s.Description);
        Assert.Equal("default", s.Extends);
        Assert.Equal(File, s.SourceFile);

        Assert.Equal(2, s.Parameters.Count);
        Assert.Equal(new ParameterOverride("farming.harvest_labour_elasticity", 0.6,
            new SourceLocation(File, 6, "parameters.farming.harvest_labour_elasticity")), s.Parameters[0]);
        Assert.Equal("demography.famine_mortality_scale", s.Parameters[1].Name);
        Assert.Equal(-2.0, s.Parameters[1].Value);
        Assert.Equal(7, s.Parameters[1].Location.Line);

        Assert.Equal(["backyard_steel_drive", "imports_1959", "lushan"], s.Events.Select(e => e.Id));

        var steel = s.Events[0];
        Assert.False(steel.Enabled);
        Assert.Null(steel.Policy);
        Assert.Null(steel.Date);
        Assert.Null(steel.Description);
        Assert.Empty(steel.Settings);
        Assert.Empty(steel.SettingLocations);
        Assert.Equal(new SourceLocation(File, 9, "events.backyard_steel_drive"), steel.Location);
        Assert.Null(steel.DateLocation);
        Assert.Null(steel.PolicyLocation);

        var imports = s.Events[1];
        Assert.Equal("grain_trade", imports.Policy);
        Assert.Equal(Month.Of(1959, 4), imports.Date);
        Assert.Equal("Imports bought from spring 1959", imports.Description);
        Assert.Null(imports.Enabled);
        Assert.Equal(new SourceLocation(File, 11, "events.imports_1959"), imports.Location);
        Assert.Equal(new SourceLocation(File, 12, "events.imports_1959.policy"), imports.PolicyLocation);
        Assert.Equal(new SourceLocation(File, 13, "events.imports_1959.date"), imports.DateLocation);
        Assert.Equal(["imports_mt_per_year", "price_factor"], imports.Settings.Keys);
        Assert.Equal(3.0, imports.Settings["imports_mt_per_year"]);
        Assert.Equal(0.15, imports.Settings["price_factor"], 15);
        Assert.Equal(new SourceLocation(File, 15, "events.imports_1959.imports_mt_per_year"),
            imports.SettingLocations["imports_mt_per_year"]);
        Assert.Equal(16, imports.SettingLocations["price_factor"].Line);

        var lushan = s.Events[2];
        Assert.Equal(Month.Of(1959, 7), lushan.Date);
        Assert.True(lushan.Enabled);
        Assert.Equal(18, lushan.DateLocation!.Value.Line);
    }

    [Fact]
    public void Minimal_file_has_defaults()
    {
        var s = ScenarioReader.Parse("name: base\n", File);
        Assert.Equal("base", s.Name);
        Assert.Equal("", s.Description);
        Assert.Null(s.Extends);
        Assert.Empty(s.Parameters);
        Assert.Empty(s.Events);
    }

    [Theory]
    [InlineData("extends: none", "none")]
    [InlineData("extends: ../variants/base.yaml", "../variants/base.yaml")]
    [InlineData("extends: \"my base.yaml\"", "my base.yaml")]
    public void Extends_is_kept_as_written(string line, string expected) =>
        Assert.Equal(expected, ScenarioReader.Parse("name: a\n" + line + "\n", File).Extends);

    [Fact]
    public void Empty_sections_mean_none()
    {
        var s = ScenarioReader.Parse("name: a\ndescription:\nparameters:\nevents: {}\n", File);
        Assert.Equal("", s.Description);
        Assert.Empty(s.Parameters);
        Assert.Empty(s.Events);
    }

    [Fact]
    public void Crlf_line_endings_and_a_bom_keep_line_numbers()
    {
        var s = ScenarioReader.Parse("\uFEFF" + Full.Replace("\n", "\r\n"), File);
        Assert.Equal(13, s.Events[1].DateLocation!.Value.Line);
        Assert.Equal(7, s.Parameters[1].Location.Line);
    }

    [Fact]
    public void Flow_style_and_quoted_names_are_fine()
    {
        var s = ScenarioReader.Parse("{name: 'x-1', events: {a: {date: 1960-01, k: 2}}}", File);
        Assert.Equal("x-1", s.Name);
        Assert.Equal(2.0, s.Events[0].Settings["k"]);
    }

    [Theory]
    [InlineData("3", 3.0)]
    [InlineData("-0.25", -0.25)]
    [InlineData("+4", 4.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("2.5E-2", 0.025)]
    [InlineData(".5", 0.5)]
    [InlineData("017", 17.0)]
    public void Numbers_parse_in_the_invariant_culture(string text, double expected) =>
        Assert.Equal(expected, ScenarioReader.Parse($"name: a\nparameters:\n  p: {text}\n", File).Parameters[0].Value, 12);

    // ---------------------------------------------------------------- errors

    [Fact]
    public void Syntax_error_names_the_line_and_the_nearest_key()
    {
        Fails("name: a\ndescription: b\n  c: d\n", 3, "description", "YAML syntax error");
        Fails("name: a\nevents:\n  e1:\n    date: 1959-04\n   policy: p\n", 5, "events.e1.date", "YAML syntax error");
        // Content after an error deeper than the format is not read: the nesting error comes first.
        Fails("name: a\nevents:\n  e1:\n    date: [1959-04\n", 4, "events.e1.date", "nesting deeper");
        Fails("name: \"unclosed\n", 1, "name", "YAML syntax error");
        Fails("[a, b\n", 2, "<document>", "YAML syntax error");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# only a comment\n\n   # another\n")]
    [InlineData("---\n")]
    [InlineData("--- # nothing\n...\n")]
    [InlineData("~\n")]
    public void Empty_file_is_an_error(string yaml) => Fails(yaml, 0, "<document>", "the file is empty");

    [Theory]
    [InlineData("- a\n- b\n", "a list")]
    [InlineData("just some text\n", "'just some text'")]
    public void Top_level_must_be_a_mapping(string yaml, string found)
    {
        var e = Fails(yaml, 1, "<document>", "the top level must be a mapping");
        Assert.Contains(found, e.Problem);
    }

    [Fact]
    public void Unknown_top_level_key_lists_the_allowed_ones()
    {
        var e = Fails("name: a\nauthor: me\n", 2, "author", "unknown key 'author'");
        Assert.Contains("name, description, extends, parameters, events", e.Problem);
    }

    [Fact]
    public void Duplicate_keys_are_errors_at_every_level()
    {
        Fails("name: a\ndescription: x\nname: b\n", 3, "name", "duplicate key 'name' (first written on line 1)");
        Fails("name: a\nparameters:\n  p: 1\n  q: 2\n  p: 3\n", 5, "parameters.p", "duplicate key");
        Fails("name: a\nevents:\n  e1:\n    enabled: false\n  e1:\n    enabled: true\n", 5, "events.e1", "duplicate key 'e1'");
        Fails(WithEvent("    s: 1\n    s: 2\n"), 6, "events.e1.s", "duplicate key");
        Fails(WithEvent("    date: 1959-01\n    date: 1959-02\n"), 6, "events.e1.date", "duplicate key");
        Fails("{name: a, name: b}", 1, "name", "duplicate key");
    }

    [Theory]
    [InlineData("NaN", "finite")]
    [InlineData("Infinity", "finite")]
    [InlineData("1e400", "finite")]
    [InlineData("-1e400", "finite")]
    [InlineData(".nan", "finite")]
    [InlineData(".inf", "finite")]
    [InlineData("-.inf", "finite")]
    [InlineData("abc", "decimal number")]
    [InlineData("0x10", "decimal number")]
    [InlineData("0o17", "decimal number")]
    [InlineData("1_000", "decimal number")]
    [InlineData("1,5", "decimal number")]
    [InlineData("true", "decimal number")]
    [InlineData("\"3\"", "remove the quotes")]
    [InlineData("", "empty value")]
    [InlineData("~", "empty value")]
    [InlineData("null", "empty value")]
    [InlineData("[1, 2]", "found a list")]
    [InlineData("{a: 1}", "found a mapping")]
    public void Parameter_value_must_be_a_finite_number(string value, string fragment) =>
        Fails($"name: a\nparameters:\n  farming.x: {value}\n", 3, "parameters.farming.x", fragment);

    [Theory]
    [InlineData("NaN", "finite")]
    [InlineData("1e400", "finite")]
    [InlineData(".inf", "finite")]
    [InlineData("lots", "decimal number")]
    [InlineData("", "empty value")]
    [InlineData("[1]", "found a list")]
    [InlineData("'2.0'", "remove the quotes")]
    public void Setting_value_must_be_a_finite_number(string value, string fragment) =>
        Fails(WithEvent($"    amount: {value}\n"), 5, "events.e1.amount", fragment);

    [Theory]
    [InlineData("{a: 1}")]
    [InlineData("[[1]]")]
    public void Nesting_deeper_than_the_format_is_an_error(string value) =>
        Fails(WithEvent($"    amount: {value}\n"), 5, "events.e1.amount", "nesting deeper than the format allows");

    [Fact]
    public void Block_mapping_as_a_setting_is_too_deep()
    {
        Fails(WithEvent("    amount:\n      per_year: 3\n"), 6, "events.e1.amount", "nesting deeper");
    }

    [Theory]
    [InlineData("1959-13")]
    [InlineData("1956-12")]
    [InlineData("1959-4")]
    [InlineData("1959-04-01")]
    [InlineData("April 1959")]
    [InlineData("195904")]
    [InlineData("'1959-00'")]
    public void Bad_date_is_an_error(string value)
    {
        var e = Fails(WithEvent($"    date: {value}\n"), 5, "events.e1.date", "YYYY-MM");
        Assert.Contains(value.Trim('\''), e.Problem);
    }

    [Fact]
    public void Empty_or_structured_date_is_an_error()
    {
        Fails(WithEvent("    date:\n"), 5, "events.e1.date", "empty");
        Fails(WithEvent("    date: [1959, 4]\n"), 5, "events.e1.date", "expected a single value here, found a list");
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("no")]
    [InlineData("1")]
    [InlineData("\"true\"")]
    [InlineData("")]
    public void Enabled_must_be_true_or_false(string value) =>
        Fails(WithEvent($"    enabled: {value}\n"), 5, "events.e1.enabled", "expected true or false");

    [Fact]
    public void Enabled_as_a_list_is_too_deep() =>
        Fails(WithEvent("    enabled: [true]\n"), 5, "events.e1.enabled", "expected a single value here, found a list");

    [Fact]
    public void Name_is_required()
    {
        var e = Fails("description: no name\n", 0, "name", "no name");
        Assert.Equal("test.yaml: key 'name': the scenario has no name (add a line 'name: my-scenario')", e.Message);
    }

    [Theory]
    [InlineData("name:", "empty")]
    [InlineData("name: ~", "empty")]
    [InlineData("name: \"\"", "empty")]
    [InlineData("name: [a, b]", "found a list")]
    [InlineData("name: {a: b}", "found a mapping")]
    [InlineData("name: my scenario", "only letters, digits")]
    [InlineData("name: a/b", "only letters, digits")]
    [InlineData("name: \"tab\\there\"", "only letters, digits")]
    public void Name_must_be_a_simple_value(string line, string fragment)
    {
        var e = Fails(line + "\n", 1, "name", fragment);
        Assert.DoesNotContain('\t', e.Message);
    }

    [Theory]
    [InlineData("", "has no fields")]
    [InlineData(" ~", "has no fields")]
    [InlineData(" 3", "must be a mapping of fields")]
    [InlineData(" [a]", "found a list")]
    public void Event_body_must_be_a_mapping(string body, string fragment) =>
        Fails($"name: a\nevents:\n  foo:{body}\n", 3, "events.foo", fragment);

    [Fact]
    public void Sections_must_be_mappings()
    {
        Fails("name: a\nevents:\n  - date: 1959-01\n", 3, "events", "events must be a mapping");
        Fails("name: a\nparameters: 3\n", 2, "parameters", "parameters must be a mapping");
        Fails("name: a\ndescription: {a: b}\n", 2, "description", "expected a single value");
        Fails("name: a\nextends:\n", 2, "extends", "omit it to extend default");
    }

    [Fact]
    public void Keys_must_be_simple_names()
    {
        Fails("name: a\nparameters:\n  bad name: 1\n", 3, "parameters.bad name", "a parameter name may contain only");
        Fails("name: a\nevents:\n  bad/id:\n    enabled: false\n", 3, "events.bad/id", "an event id may contain only");
        Fails(WithEvent("    per year: 1\n"), 5, "events.e1.per year", "a setting name may contain only");
        Fails(WithEvent("    policy: grain trade\n").Replace("    policy: p\n", ""), 4, "events.e1.policy", "policy key");
        Fails("name: a\n? [x, y]\n: 1\n", 2, "<document>", "a key must be a single name");
        Fails("name: a\n\"\": 1\n", 2, "<document>", "a key is empty");
    }

    [Theory]
    [InlineData("name: &n a\n", 1, "name")]
    [InlineData("name: a\nparameters: &p\n  x: 1\n", 2, "parameters")]
    [InlineData("name: a\nparameters:\n  x: 1\n  y: *x\n", 4, "parameters.y")]
    [InlineData("name: a\nparameters:\n  x: *undefined\n", 3, "parameters.x")]
    [InlineData("base: &b {x: 1}\nname: a\nparameters:\n  <<: *b\n", 1, "base")]
    public void Anchors_and_aliases_are_rejected(string yaml, int line, string key) =>
        Fails(yaml, line, key, "aliases are not allowed");

    [Fact]
    public void Tags_are_rejected() =>
        Fails("name: a\nparameters:\n  x: !!float 1\n", 3, "parameters.x", "tags");

    [Fact]
    public void Several_documents_are_rejected()
    {
        Fails("name: a\n---\nname: b\n", 2, "<document>", "one YAML document");
        Fails("--- \nname: a\n...\n---\nname: b\n", 4, "<document>", "one YAML document");
    }

    [Theory]
    [InlineData("name: a\0b\n", 1)]
    [InlineData("name: a\nparameters:\n  x: 1\u0007\n", 3)]
    [InlineData("name: a\r\n\r\n\u0085ok\u0090\n", 3)]
    public void Control_characters_are_rejected(string yaml, int line) =>
        Fails(yaml, line, "<document>", "not allowed in YAML text");

    [Fact]
    public void Lone_surrogates_are_rejected()
    {
        // Built at run time: attribute arguments cannot carry a lone surrogate.
        Fails("name: a\n" + (char)0xD800 + "\n", 2, "<document>", "U+D800");
        Fails("name: a" + (char)0xDC00 + "\n", 1, "<document>", "U+DC00");
    }

    [Fact]
    public void Null_text_is_an_input_error() =>
        Assert.Throws<InputException>(() => ScenarioReader.Parse(null!, File));

    // ---------------------------------------------------------------- Load

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("leapsim-reader-").FullName;
        public string File(string name, byte[] bytes)
        {
            var p = System.IO.Path.Combine(Path, name);
            System.IO.File.WriteAllBytes(p, bytes);
            return p;
        }
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    [Fact]
    public void Load_reads_a_file_and_records_its_path()
    {
        using var dir = new TempDir();
        var path = dir.File("s.yaml", Encoding.UTF8.GetBytes(Full));
        var s = ScenarioReader.Load(path);
        Assert.Equal(path, s.SourceFile);
        Assert.Equal(path, s.Events[1].Location.File);
        Assert.Equal("no-backyard-steel", s.Name);
    }

    [Fact]
    public void Load_accepts_a_utf8_bom()
    {
        using var dir = new TempDir();
        var path = dir.File("bom.yaml", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("name: a\ndescription: Lüshan 庐山\n")]);
        Assert.Equal("Lüshan 庐山", ScenarioReader.Load(path).Description);
    }

    [Fact]
    public void Load_of_a_missing_file_names_it()
    {
        using var dir = new TempDir();
        var path = System.IO.Path.Combine(dir.Path, "nope.yaml");
        var e = Assert.Throws<InputException>(() => ScenarioReader.Load(path));
        Assert.Equal(new SourceLocation(path, 0, "<file>"), e.Location);
        Assert.Contains("does not exist", e.Problem);
        Assert.Contains(path, e.Message);
        AssertOneLine(e);

        e = Assert.Throws<InputException>(() => ScenarioReader.Load(dir.Path));
        Assert.Equal("<file>", e.Location.Key);
        Assert.Contains("directory", e.Problem);

        e = Assert.Throws<InputException>(() => ScenarioReader.Load(""));
        Assert.Equal("<file>", e.Location.Key);
    }

    [Fact]
    public void Load_rejects_files_over_one_mebibyte()
    {
        using var dir = new TempDir();
        var body = "name: big\n" + new string('#', ScenarioReader.MaxFileBytes) + "\n";
        var path = dir.File("big.yaml", Encoding.UTF8.GetBytes(body));
        var e = Assert.Throws<InputException>(() => ScenarioReader.Load(path));
        Assert.Equal(new SourceLocation(path, 0, "<file>"), e.Location);
        Assert.Contains("larger than 1 MiB", e.Problem);

        // Exactly 1 MiB is still fine.
        var exact = "name: big\n#" + new string('x', ScenarioReader.MaxFileBytes - 12) + "\n";
        Assert.Equal(ScenarioReader.MaxFileBytes, Encoding.UTF8.GetByteCount(exact));
        Assert.Equal("big", ScenarioReader.Load(dir.File("exact.yaml", Encoding.UTF8.GetBytes(exact))).Name);
    }

    [Fact]
    public void Load_rejects_invalid_utf8_with_its_line()
    {
        using var dir = new TempDir();
        var path = dir.File("latin1.yaml", [.. "name: a\ndescription: L"u8, 0xFC, .. "shan\n"u8]);
        var e = Assert.Throws<InputException>(() => ScenarioReader.Load(path));
        Assert.Equal(new SourceLocation(path, 2, "<document>"), e.Location);
        Assert.Contains("not UTF-8", e.Problem);
        Assert.Contains("0xFC", e.Problem);

        var utf16 = dir.File("utf16.yaml", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("name: a\n")).ToArray());
        Assert.Contains("not UTF-8", Assert.Throws<InputException>(() => ScenarioReader.Load(utf16)).Problem);
    }

    [Fact]
    public void Load_of_binary_junk_is_an_input_error()
    {
        using var dir = new TempDir();
        var rng = new System.Random(7);
        for (var i = 0; i < 20; i++)
        {
            var bytes = new byte[rng.Next(1, 2000)];
            rng.NextBytes(bytes);
            var path = dir.File($"junk{i}.bin", bytes);
            var e = Assert.Throws<InputException>(() => ScenarioReader.Load(path));
            AssertOneLine(e);
        }
    }

    // ---------------------------------------------------------------- fuzz

    private static readonly string[] Replacements =
        ["NaN", "1e400", "-1e400", ".inf", "text", "", "[1, 2]", "{a: 1}", "*x", "&x 1", "!!str 3", "\"3\"", "0x1F", "~", "1959-13", "yes"];

    private static readonly string[] Junk =
        [":", "-", "- ", "[", "]", "{", "}", "&a", "*a", "!", "!!", "\"", "'", "#", "\n", " ", "\t", "|", ">", "?", "? ", ",", "%", "@", "`",
         "---\n", "...\n", "\0", "\u0001", "\u007F", "\u0090", "\uFFFE", "\uD800", "\uDC00", "\uFEFF", "\u2028", "\r", "\\", "\u00E9", "庐"];

    private static string Mutate(string text, System.Random rng)
    {
        var pos = text.Length == 0 ? 0 : rng.Next(text.Length);
        switch (rng.Next(9))
        {
            case 0: // delete characters
                return text.Length == 0 ? text : text.Remove(pos, Math.Min(rng.Next(1, 6), text.Length - pos));
            case 1: // insert structural junk
                return text.Insert(pos, Junk[rng.Next(Junk.Length)]);
            case 2: // duplicate characters
            {
                var n = Math.Min(rng.Next(1, 8), text.Length - pos);
                return text.Insert(pos, text.Substring(pos, n));
            }
            case 3: // insert random UTF-16 units (junk bytes)
            {
                var sb = new StringBuilder();
                for (var i = rng.Next(1, 5); i > 0; i--) sb.Append((char)rng.Next(0, rng.Next(2) == 0 ? 256 : 65536));
                return text.Insert(pos, sb.ToString());
            }
            default:
            {
                var lines = text.Split('\n').ToList();
                var li = rng.Next(lines.Count);
                switch (rng.Next(5))
                {
                    case 0: lines.RemoveAt(li); break;
                    case 1: lines.Insert(li, lines[li]); break;
                    case 2: lines.Insert(rng.Next(lines.Count), lines[li]); break;
                    case 3: lines[li] = new string(' ', rng.Next(0, 7)) + lines[li].TrimStart(); break;
                    default:
                    {
                        // Replace a number (or a value) by something odd.
                        var colon = lines[li].IndexOf(": ", StringComparison.Ordinal);
                        if (colon >= 0) lines[li] = lines[li][..(colon + 2)] + Replacements[rng.Next(Replacements.Length)];
                        break;
                    }
                }
                return string.Join('\n', lines);
            }
        }
    }

    [Fact]
    public void Mutated_files_either_parse_or_give_an_input_error()
    {
        var rng = new System.Random(1958);
        int ok = 0, bad = 0;
        for (var i = 0; i < 500; i++)
        {
            var text = Full;
            for (var m = rng.Next(1, 4); m > 0; m--) text = Mutate(text, rng);
            try
            {
                var s = ScenarioReader.Parse(text, File);
                Assert.NotNull(s.Name);
                ok++;
            }
            catch (InputException e)
            {
                Assert.Equal(File, e.Location.File);
                Assert.True(e.Location.Line >= 0);
                AssertOneLine(e);
                bad++;
            }
            // Any other exception type fails the test with the mutated text in view.
        }
        Assert.True(ok > 20, $"only {ok} mutants parsed: the mutations are too destructive to test much");
        Assert.True(bad > 100, $"only {bad} mutants failed: the mutations are too gentle");
    }

    [Fact]
    public void Mutated_bytes_through_load_give_only_input_errors()
    {
        using var dir = new TempDir();
        var rng = new System.Random(1959);
        var path = System.IO.Path.Combine(dir.Path, "m.yaml");
        var original = Encoding.UTF8.GetBytes(Full);
        int ok = 0, bad = 0;
        for (var i = 0; i < 100; i++)
        {
            var bytes = original.ToList();
            for (var m = rng.Next(1, 4); m > 0; m--)
            {
                var pos = rng.Next(bytes.Count);
                if (rng.Next(2) == 0) bytes[pos] = (byte)rng.Next(256);
                else bytes.Insert(pos, (byte)rng.Next(256));
            }
            System.IO.File.WriteAllBytes(path, [.. bytes]);
            try { ScenarioReader.Load(path); ok++; }
            catch (InputException e) { AssertOneLine(e); bad++; }
            // Any other exception type fails the test.
        }
        // The checks above run only on the mutants the reader rejects: most must be rejected (97 of these 100 are)
        // for the test to have tested anything.
        Assert.True(bad > 80, $"only {bad} of 100 mutants gave an input error ({ok} loaded): the checks on the error hardly ran");
    }
}
