using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using LeapSim.Core.Inputs;
using LeapSim.Core.Scenarios;
using LeapSim.Tests.Output;
using Xunit;
using Xunit.Abstractions;

namespace LeapSim.Tests.Reliability;

/// <summary>
/// Hostile input, in process: valid scenario files and input tables mutated at random (wrong types, unknown keys,
/// dates out of range, huge numbers, NaN, empty files, binary junk, deep nesting, duplicate keys, negative
/// populations, missing columns, ...) and run on a tiny world. Each case must end with exit 2 and one line naming
/// file, line and key — no stack trace, no hang, no output folder, no hidden temporary folder — or, when the
/// mutation left the files valid, with exit 0 and a complete output folder.
/// 2,000 cases in CI (deterministic seed); LEAPSIM_FUZZ_CASES=N for more, LEAPSIM_FUZZ_SEED=S for other ones.
/// </summary>
public sealed partial class InputFuzzTests(ITestOutputHelper log)
{
    private static readonly string[] OutputFiles =
        ["national.csv", "national.parquet", "national_monthly.csv", "national_monthly.parquet", "provinces.csv", "provinces.parquet", "run.json"];

    [GeneratedRegex(@"^leapsim: (?<file>.+?):(?:(?<line>\d+):)? key '(?<key>[^']*)': (?<problem>.+)$")]
    private static partial Regex Message();

    [GeneratedRegex(@"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")]
    private static partial Regex Numbers();

    private static int Setting(string name, int ci) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var n) && n > 0 ? n : ci;

    [Fact]
    public async Task Mutated_inputs_exit_2_with_one_line_naming_file_line_and_key_or_run_completely()
    {
        var cases = Setting("LEAPSIM_FUZZ_CASES", 2000);
        var rng = new System.Random(Setting("LEAPSIM_FUZZ_SEED", 19580817));
        var originals = BaselineInputs.FileNames.ToDictionary(n => n, n =>
        {
            using var s = BaselineInputs.OpenEmbedded(n);
            using var r = new StreamReader(s);
            return r.ReadToEnd();
        });
        var scenario = ScenarioLibrary.BuiltinText("default").Replace("name: default", "name: fuzzed", StringComparison.Ordinal);
        const string ScenarioFile = "scenario.yaml";

        // Valid cases write a whole output folder, flushed to disk: on a RAM disk when there is one (the flush is the cost).
        using var tmp = new TempFolder(Directory.Exists("/dev/shm") ? "/dev/shm" : null);
        var messages = new Dictionary<string, int>(StringComparer.Ordinal);
        int failed = 0, succeeded = 0, withoutLine = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < cases; i++)
        {
            var dir = tmp[$"case{i}"];
            var data = Path.Combine(dir, "data");
            Directory.CreateDirectory(data);
            var target = rng.Next(3) == 0 ? ScenarioFile : BaselineInputs.FileNames[rng.Next(BaselineInputs.FileNames.Count)];
            var (mutated, what) = target == ScenarioFile ? MutateYaml(scenario, rng) : MutateCsv(originals[target], rng);
            foreach (var (name, text) in originals) File.WriteAllText(Path.Combine(data, name), text);
            File.WriteAllText(Path.Combine(dir, ScenarioFile), scenario);
            File.WriteAllBytes(Path.Combine(target == ScenarioFile ? dir : data, target), mutated);

            var outDir = Path.Combine(dir, "out");
            string[] args = ["run", "--provinces", "Ningxia", "--years", "1957-1957", "--data", data, "--scenario", Path.Combine(dir, ScenarioFile), "--out", outDir, "-q", "--threads", "1"];
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var run = Task.Run(() => LeapSim.Cli.Cli.Run(args, stdout, stderr));
            if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))) != run) Assert.Fail($"case {i} ({target}: {what}) hangs");
            var code = await run;
            var err = stderr.ToString();
            var context = $"case {i}, {target}: {what}\nstderr: {err}";
            Assert.DoesNotContain("   at ", err);
            Assert.DoesNotContain("Exception", err);
            if (code == 0)
            {
                succeeded++;
                foreach (var f in OutputFiles) Assert.True(File.Exists(Path.Combine(outDir, f)), $"{context}: exit 0 but {f} is missing");
            }
            else
            {
                Assert.True(code == 2, $"{context}: exit code {code}");
                failed++;
                var line = err.TrimEnd('\n');
                Assert.False(line.Contains('\n'), $"{context}: more than one line");
                var m = Message().Match(line);
                Assert.True(m.Success, $"{context}: the message does not name file, line and key");
                var file = m.Groups["file"].Value;
                var mutatedName = target == ScenarioFile ? Path.Combine(dir, ScenarioFile) : target;
                // A table that lost a province (or its name) reports it where the province is asked for.
                Assert.True(file == mutatedName || file == "<command line>", $"{context}: names {file}, not the mutated file");
                if (!m.Groups["line"].Success)
                {
                    withoutLine++;
                    // Only what is absent from the file, or the file as a whole, has no line.
                    Assert.Matches("missing|empty|no name|end of the file|needs a|not smaller|no provinces|unknown province|does not exist|extends itself|no built-in|larger than", m.Groups["problem"].Value);
                }
                Assert.False(Directory.Exists(outDir), $"{context}: an output folder was left");
                var key = Numbers().Replace(m.Groups["problem"].Value, "#");
                messages[key] = messages.GetValueOrDefault(key) + 1;
            }
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".*"));
            Directory.Delete(dir, recursive: true);
        }
        var perCase = clock.Elapsed.TotalMilliseconds / cases;
        log.WriteLine($"{cases} cases: {failed} exit 2 ({withoutLine} without a line number), {succeeded} exit 0; {messages.Count} distinct messages (numbers stripped); {perCase:F1} ms a case");
        foreach (var (msg, n) in messages.OrderByDescending(kv => kv.Value).Take(400)) log.WriteLine($"{n,5}  {msg}");
        Assert.True(failed > cases / 2, $"only {failed} of {cases} cases failed: the mutations are too gentle");
        Assert.True(succeeded > cases / 50, $"only {succeeded} of {cases} cases succeeded: valid mutations are not exercised");
        Assert.True(messages.Count >= 40, $"only {messages.Count} distinct messages");
    }

    // ---------------------------------------------------------------- CSV mutations

    private static readonly string[] BadFields =
    [
        "abc", "", " ", "NaN", "nan", "Infinity", "-Infinity", "-1", "-0.5", "-1e308", "1e308", "1e400", "0", "0x10", "1_000",
        "9999999999999999999999", "1e-320", "1957-13", "\"unterminated", "\"quoted, comma\"", "1,5", "\u0000", "\uFFFD\uFFFD",
        "TRUE", "full", "1957.5", "+7", "  12  ", "١٢", "1e5", "100000", "2100", "1899", "-2000",
    ];

    private static readonly HashSet<string> NumericColumns =
    [
        "value", "population_1957_m", "urban_share_1957_pct", "cdr_1957_permille", "grain_per_capita_1957_kg", "year",
        "grain_exports_mt", "grain_imports_mt", "affected_area_mha", "stricken_area_mha", "affected_share_of_sown_pct",
        "stricken_share_of_sown_pct", "province", "quantity",
    ];

    private static (byte[] Bytes, string What) MutateCsv(string text, System.Random rng)
    {
        var lines = text.Split('\n').ToList();
        if (lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var header = lines[0].Split(',');
        string Join() => string.Join('\n', lines) + "\n";
        int Row() => 1 + rng.Next(Math.Max(1, lines.Count - 1));
        switch (rng.Next(16))
        {
            case 0:
            case 1:
            case 2:
            {
                // A field replaced (fields of quoted text are left alone: a naive split would cut them).
                var r = Row();
                if (r >= lines.Count || lines[r].Contains('"')) return (Encoding.UTF8.GetBytes(Join()), "nothing (quoted row)");
                var f = lines[r].Split(',');
                // Mostly a column the model reads (a changed note or source is valid, and valid cases cost more).
                var numeric = Enumerable.Range(0, header.Length).Where(k => NumericColumns.Contains(header[k].Trim())).ToList();
                var c = numeric.Count > 0 && rng.Next(5) > 0 ? numeric[rng.Next(numeric.Count)] : rng.Next(f.Length);
                if (c >= f.Length) c = rng.Next(f.Length);
                var bad = BadFields[rng.Next(BadFields.Length)];
                f[c] = bad;
                lines[r] = string.Join(',', f);
                return (Encoding.UTF8.GetBytes(Join()), $"line {r + 1} field {c} = '{bad}'");
            }
            case 3:
            {
                // A number scaled by a huge or tiny factor, or negated (negative populations).
                var r = Row();
                if (r >= lines.Count || lines[r].Contains('"')) return (Encoding.UTF8.GetBytes(Join()), "nothing (quoted row)");
                var f = lines[r].Split(',');
                var c = rng.Next(f.Length);
                if (!double.TryParse(f[c], System.Globalization.CultureInfo.InvariantCulture, out var v)) return (Encoding.UTF8.GetBytes(Join()), "nothing (text field)");
                var factor = new[] { -1, -1000, 1e6, 1e300, 1e-300, 0, 10, 0.1 }[rng.Next(8)];
                f[c] = (v * factor).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                lines[r] = string.Join(',', f);
                return (Encoding.UTF8.GetBytes(Join()), $"line {r + 1} field {c} × {factor}");
            }
            case 4:
            {
                // A column removed from the header only (rows then have too many fields), or renamed.
                var c = rng.Next(header.Length);
                var h = header.ToList();
                if (rng.Next(2) == 0) { h.RemoveAt(c); lines[0] = string.Join(',', h); return (Encoding.UTF8.GetBytes(Join()), $"header column {c} removed"); }
                h[c] = "renamed_" + h[c];
                lines[0] = string.Join(',', h);
                return (Encoding.UTF8.GetBytes(Join()), $"header column {c} renamed");
            }
            case 5:
            {
                var c = rng.Next(header.Length);
                var h = header.ToList();
                h[(c + 1) % h.Count] = h[c];
                lines[0] = string.Join(',', h);
                return (Encoding.UTF8.GetBytes(Join()), "duplicate column");
            }
            case 6:
            {
                var r = Row();
                if (r < lines.Count) lines.Insert(r, lines[r]);
                return (Encoding.UTF8.GetBytes(Join()), $"line {r + 1} duplicated");
            }
            case 7:
            {
                var r = Row();
                if (r < lines.Count) lines.RemoveAt(r);
                return (Encoding.UTF8.GetBytes(Join()), $"line {r + 1} deleted");
            }
            case 8:
                return (rng.Next(2) == 0 ? [] : "\n\n"u8.ToArray(), "empty file");
            case 9:
                return Truncate(text, rng);
            case 10:
                return InsertJunk(text, rng);
            case 11:
            {
                var r = Row();
                lines.Insert(Math.Min(r, lines.Count), rng.Next(2) == 0 ? "a,b" : string.Join(',', Enumerable.Repeat("1", header.Length + 1 + rng.Next(5))));
                return (Encoding.UTF8.GetBytes(Join()), "row of the wrong width");
            }
            case 12:
            {
                // Valid variants: CRLF line ends, a byte-order mark, rows shuffled, an extra column.
                var k = rng.Next(4);
                if (k == 0) return (Encoding.UTF8.GetBytes(Join().Replace("\n", "\r\n", StringComparison.Ordinal)), "CRLF");
                if (k == 1) return ([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Join())], "BOM");
                if (k == 2)
                {
                    var body = lines.Skip(1).OrderBy(_ => rng.Next()).ToList();
                    lines = [lines[0], .. body];
                    return (Encoding.UTF8.GetBytes(Join()), "rows shuffled");
                }
                for (var r = 0; r < lines.Count; r++) lines[r] += r == 0 ? ",extra_column" : ",x";
                return (Encoding.UTF8.GetBytes(Join()), "extra column");
            }
            case 13:
            {
                var r = Row();
                lines.Insert(Math.Min(r, lines.Count), "\"" + new string('x', 10 + rng.Next(100)));
                return (Encoding.UTF8.GetBytes(Join()), "unclosed quote");
            }
            case 14:
            {
                // A whole column removed (header and rows): a required column goes missing.
                if (lines.Any(l => l.Contains('"'))) return (Encoding.UTF8.GetBytes(Join()), "nothing (quoted rows)");
                var c = rng.Next(header.Length);
                for (var r = 0; r < lines.Count; r++)
                {
                    var f = lines[r].Split(',').ToList();
                    if (c < f.Count) f.RemoveAt(c);
                    lines[r] = string.Join(',', f);
                }
                return (Encoding.UTF8.GetBytes(Join()), $"column {header[c]} removed");
            }
            default:
            {
                var a = Row();
                var b = Row();
                if (a < lines.Count && b < lines.Count) (lines[a], lines[b]) = (lines[b], lines[a]);
                lines.Insert(Math.Min(a, lines.Count), "");
                return (Encoding.UTF8.GetBytes(Join()), "lines swapped, blank line");
            }
        }
    }

    // ---------------------------------------------------------------- YAML mutations

    private static readonly string[] BadValues =
    [
        "abc", "NaN", ".nan", ".inf", "-.inf", "1e400", "-5", "99999", "1e300", "[1, 2]", "{a: 1}", "'0.5'", "\"1\"", "", "~",
        "2100-13", "1950-01", "1967-05", "1956-12", "2101-01", "0x1F", "1_0", "yes", "True", "*alias", "&anchor 1", "!!str 1",
        "!!float 1", "|", ">", "- 1", "1957-06-01", "0", "-0", "1.5", "3", "0.0001",
    ];

    private static (byte[] Bytes, string What) MutateYaml(string text, System.Random rng)
    {
        var lines = text.Split('\n').ToList();
        string Join() => string.Join('\n', lines);
        int Line() => rng.Next(lines.Count);
        int ValueLine()
        {
            for (var tries = 0; tries < 50; tries++)
            {
                var l = Line();
                var t = lines[l].TrimStart();
                if (!t.StartsWith('#') && t.Contains(": ", StringComparison.Ordinal)) return l;
            }
            return Line();
        }
        switch (rng.Next(14))
        {
            case 0:
            case 1:
            case 2:
            {
                var l = ValueLine();
                var colon = lines[l].IndexOf(": ", StringComparison.Ordinal);
                var bad = BadValues[rng.Next(BadValues.Length)];
                if (colon >= 0) lines[l] = lines[l][..(colon + 2)] + bad;
                return (Encoding.UTF8.GetBytes(Join()), $"line {l + 1} value '{bad}'");
            }
            case 3:
            {
                var l = ValueLine();
                var indent = lines[l].Length - lines[l].TrimStart().Length;
                lines.Insert(l + 1, new string(' ', indent) + (rng.Next(2) == 0 ? "bogus_key: 1" : "enabled: maybe"));
                return (Encoding.UTF8.GetBytes(Join()), $"unknown key after line {l + 1}");
            }
            case 4:
            {
                var l = ValueLine();
                lines.Insert(l + 1, lines[l]);
                return (Encoding.UTF8.GetBytes(Join()), $"line {l + 1} duplicated");
            }
            case 5:
            {
                var l = ValueLine();
                var depth = new[] { 4, 20, 200, 5000, 100_000 }[rng.Next(5)];
                var colon = lines[l].IndexOf(": ", StringComparison.Ordinal);
                var nest = rng.Next(2) == 0 ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth);
                if (colon >= 0) lines[l] = lines[l][..(colon + 2)] + nest;
                return (Encoding.UTF8.GetBytes(Join()), $"nesting {depth} deep on line {l + 1}");
            }
            case 6:
                return Truncate(text, rng);
            case 7:
                return InsertJunk(text, rng);
            case 8:
                return (rng.Next(2) == 0 ? [] : "# nothing\n"u8.ToArray(), "empty file");
            case 9:
            {
                // A date moved out of the model's span, or a setting far out of its range.
                var dates = Enumerable.Range(0, lines.Count).Where(i => lines[i].TrimStart().StartsWith("date:", StringComparison.Ordinal)).ToList();
                var l = dates[rng.Next(dates.Count)];
                var date = new[] { "1967-01", "1980-06", "2100-12", "1957-00", "1900-01", "1966-12" }[rng.Next(6)];
                lines[l] = lines[l][..(lines[l].IndexOf(':', StringComparison.Ordinal) + 2)] + date;
                return (Encoding.UTF8.GetBytes(Join()), $"date {date} on line {l + 1}");
            }
            case 10:
            {
                var l = ValueLine();
                lines[l] = (rng.Next(3)) switch { 0 => "\t" + lines[l], 1 => lines[l].TrimStart(), _ => "   " + lines[l] };
                return (Encoding.UTF8.GetBytes(Join()), $"indentation broken on line {l + 1}");
            }
            case 11:
            {
                var l = Line();
                lines.RemoveAt(l);
                return (Encoding.UTF8.GetBytes(Join()), $"line {l + 1} deleted");
            }
            case 12:
            {
                var policies = Enumerable.Range(0, lines.Count).Where(i => lines[i].TrimStart().StartsWith("policy:", StringComparison.Ordinal)).ToList();
                var l = policies[rng.Next(policies.Count)];
                lines[l] = lines[l][..(lines[l].IndexOf(':', StringComparison.Ordinal) + 2)] + (rng.Next(2) == 0 ? "no_such_policy" : "politics");
                return (Encoding.UTF8.GetBytes(Join()), $"policy changed on line {l + 1}");
            }
            default:
            {
                // Valid variants: CRLF, a comment, a parameter within its range.
                var k = rng.Next(3);
                if (k == 0) return (Encoding.UTF8.GetBytes(Join().Replace("\n", "\r\n", StringComparison.Ordinal)), "CRLF");
                if (k == 1) { lines.Insert(Line(), "# a comment"); return (Encoding.UTF8.GetBytes(Join()), "comment"); }
                var at = lines.FindIndex(x => x.StartsWith("events:", StringComparison.Ordinal));
                lines.Insert(at, "parameters:\n  demography.catch_up_rate: 0.1");
                return (Encoding.UTF8.GetBytes(Join()), "parameter set");
            }
        }
    }

    /// <summary>The file cut off at a random byte (both the CSV and the scenario fuzzers use it).</summary>
    private static (byte[] Bytes, string What) Truncate(string text, System.Random rng)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var cut = rng.Next(bytes.Length);
        return (bytes[..cut], $"truncated at byte {cut}");
    }

    /// <summary>1-64 random bytes inserted at a random place.</summary>
    private static (byte[] Bytes, string What) InsertJunk(string text, System.Random rng)
    {
        var bytes = Encoding.UTF8.GetBytes(text).ToList();
        var junk = new byte[1 + rng.Next(64)];
        rng.NextBytes(junk);
        var at = rng.Next(bytes.Count);
        bytes.InsertRange(at, junk);
        return ([.. bytes], $"{junk.Length} junk bytes at {at}");
    }
}
