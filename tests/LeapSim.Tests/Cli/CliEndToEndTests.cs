using System.Text.Json.Nodes;
using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Tests.Output;
using LeapSim.Tests.Support;
using Parquet;
using Xunit;

namespace LeapSim.Tests.Cli;

/// <summary>Two runs through the command line: the small world and the whole country, both at province resolution.</summary>
public sealed class EndToEndRuns : IDisposable
{
    public EndToEndRuns()
    {
        Small = CliHarness.Run("run", "--provinces", "Ningxia,Qinghai", "--out", Folder["small"], "--seed", "3", "--threads", "1");
        Country = CliHarness.Run("run", "--scenario", "no-leap", "--years", "1958-1960", "--out", Folder["country"], "--quiet");
    }

    internal TempFolder Folder { get; } = new();
    internal CliHarness.Result Small { get; }
    internal CliHarness.Result Country { get; }

    public void Dispose() => Folder.Dispose();
}

public sealed class CliEndToEndTests(EndToEndRuns runs) : IClassFixture<EndToEndRuns>
{
    // The column names issue 2 asks for, written out here rather than read from OutputTables.
    private static readonly string[] National =
    [
        "year", "population_yearend_m", "births_m", "deaths_m", "births_registered_m", "deaths_registered_m",
        "crude_birth_rate_permille", "crude_death_rate_permille", "crude_birth_rate_registered_permille",
        "crude_death_rate_registered_permille", "urban_population_m", "rural_population_m",
        "urban_crude_death_rate_permille", "rural_crude_death_rate_permille", "grain_output_mt", "grain_reported_mt",
        "procurement_mt", "resales_mt", "net_procurement_mt", "grain_exports_mt", "grain_imports_mt", "rural_food_per_capita_kg", "steel_output_mt",
        "steel_usable_mt", "agricultural_output_index", "industrial_output_index", "national_output_index",
        "labour_farming_m", "labour_backyard_m", "labour_water_works_m", "labour_industry_m", "commune_share_pct",
        "private_share_pct",
    ];

    private static readonly string[] Provinces =
    [
        "year", "province", "population_yearend_m", "births_m", "deaths_m", "crude_birth_rate_permille",
        "crude_death_rate_permille", "crude_death_rate_registered_permille", "grain_output_mt", "procurement_mt",
        "resales_mt", "net_procurement_mt", "rural_food_per_capita_kg",
    ];

    private static readonly string[] MonthlyExtra =
        ["rural_intake_kcal", "rural_bmi", "political_pressure", "state_grain_stock_mt", "rural_grain_stock_mt"];

    private static readonly string[] Files =
    [
        "national.csv", "national.parquet", "national_monthly.csv", "national_monthly.parquet", "provinces.csv",
        "provinces.parquet", "report.html", "run.json",
    ];

    [Fact]
    public void Run_exits_0_and_writes_exactly_the_tables_and_run_json()
    {
        Assert.True(runs.Small.ExitCode == 0, runs.Small.ToString());
        Assert.Equal("", runs.Small.Error);
        var dir = runs.Folder["small"];
        Assert.Equal(Files, Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetDirectories(dir));
        // Nothing else was left beside it (no hidden temporary folder).
        Assert.Equal(["country", "small"], runs.Folder.Entries());
        // Not quiet: progress and the summary table name the output folder.
        Assert.Matches(@"running default at commune resolution: [0-9]+ rural units, seed 3", runs.Small.Out);
        Assert.Contains("1966 done", runs.Small.Out, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(dir), runs.Small.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tables_have_exactly_the_required_columns_and_rows()
    {
        var dir = runs.Folder["small"];
        Assert.Equal(National, OutputTables.NationalColumns);
        Assert.Equal(Provinces, OutputTables.ProvinceColumns);
        Assert.Equal(National, CliHarness.Header(Path.Combine(dir, "national.csv")));
        Assert.Equal(Provinces, CliHarness.Header(Path.Combine(dir, "provinces.csv")));
        Assert.Equal(new[] { "year", "month" }.Concat(National.Skip(1)).Concat(MonthlyExtra), CliHarness.Header(Path.Combine(dir, "national_monthly.csv")));
        Assert.Equal(10, CliHarness.DataRows(Path.Combine(dir, "national.csv")));
        Assert.Equal(120, CliHarness.DataRows(Path.Combine(dir, "national_monthly.csv")));
        Assert.Equal(20, CliHarness.DataRows(Path.Combine(dir, "provinces.csv")));
        var years = File.ReadLines(Path.Combine(dir, "national.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[0])).ToArray();
        Assert.Equal(Enumerable.Range(1957, 10), years);
        var monthly = File.ReadLines(Path.Combine(dir, "national_monthly.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["1957", "1"], monthly[0][..2]);
        Assert.Equal(["1966", "12"], monthly[^1][..2]);
    }

    [Theory]
    [InlineData("national")]
    [InlineData("national_monthly")]
    [InlineData("provinces")]
    public async Task Each_parquet_file_has_the_csv_columns_and_rows(string table)
    {
        var dir = runs.Folder["small"];
        await using var stream = File.OpenRead(Path.Combine(dir, table + ".parquet"));
        await using var reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(CliHarness.Header(Path.Combine(dir, table + ".csv")), reader.Schema.GetDataFields().Select(f => f.Name));
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            rows += group.RowCount;
        }
        Assert.Equal(CliHarness.DataRows(Path.Combine(dir, table + ".csv")), rows);
    }

    [Fact]
    public void Province_names_are_those_of_provinces_1957_csv()
    {
        var small = File.ReadLines(runs.Folder["small/provinces.csv"]).Skip(1).Select(l => l.Split(',')[1]).ToArray();
        Assert.Equal(Enumerable.Repeat(new[] { "Ningxia", "Qinghai" }, 10).SelectMany(x => x), small);

        using var r = new StreamReader(BaselineInputs.OpenEmbedded("provinces_1957.csv"));
        var inFile = CsvText.Parse(r, "provinces_1957.csv").Rows.Select(row => row.Fields[0]).ToArray();
        Assert.Equal(29, inFile.Length);
        var rows = File.ReadLines(runs.Folder["country/provinces.csv"]).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(3 * 29, rows.Length);
        for (var y = 0; y < 3; y++)
        {
            Assert.All(rows.Skip(29 * y).Take(29), row => Assert.Equal((1958 + y).ToString(), row[0]));
            Assert.Equal(inFile, rows.Skip(29 * y).Take(29).Select(row => row[1].Trim('"')));
        }
    }

    [Fact]
    public void Years_option_limits_the_reported_years()
    {
        Assert.True(runs.Country.ExitCode == 0, runs.Country.ToString());
        Assert.Equal("", runs.Country.Out);
        var years = File.ReadLines(runs.Folder["country/national.csv"]).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        Assert.Equal(["1958", "1959", "1960"], years);
        var monthly = File.ReadLines(runs.Folder["country/national_monthly.csv"]).Skip(1).ToArray();
        Assert.Equal(36, monthly.Length);
        Assert.StartsWith("1958,1,", monthly[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_json_says_what_was_run()
    {
        var info = JsonNode.Parse(File.ReadAllText(runs.Folder["small/run.json"]))!.AsObject();
        var resolved = ScenarioLibrary.Resolve("default");
        Assert.Equal("default", (string)info["scenario_name"]!);
        Assert.Equal(resolved.Chain, info["scenario_chain"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(3, (int)info["seed"]!);
        Assert.Equal("commune", (string)info["resolution"]!); // the default resolution: the one the parameters are fitted at
        Assert.Equal(10, (int)info["years"]!);
        Assert.Equal(1, (int)info["threads"]!);
        // The parameters the scenario chain changes (the calibrated values), by name.
        Assert.Equal(resolved.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal),
            info["changed_parameters"]!.AsObject().Select(kv => kv.Key));
        foreach (var p in resolved.Parameters) Assert.Equal(p.Value, (double)info["changed_parameters"]![p.Name]!);
        Assert.Equal(["run", "--provinces", "Ningxia,Qinghai"], info["command_line"]!.AsArray().Take(3).Select(x => (string)x!));
        var seconds = (double)info["wall_time_seconds"]!;
        Assert.True(seconds > 0 && seconds < 3600, $"wall time {seconds} s"); // rounded to milliseconds: a real run takes some
        var country = JsonNode.Parse(File.ReadAllText(runs.Folder["country/run.json"]))!.AsObject();
        Assert.Equal([.. resolved.Chain, "no-leap"], country["scenario_chain"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(3, (int)country["years"]!);
    }
}

public sealed class CliCommandTests
{
    [Theory]
    [InlineData("run")]
    [InlineData("explain")]
    [InlineData("params")]
    [InlineData("scenarios")]
    [InlineData("validate")]
    [InlineData("bench")]
    [InlineData(null)]
    public void Help_on_every_command_exits_0_and_prints_usage(string? command)
    {
        var r = command is null ? CliHarness.Run("--help") : CliHarness.Run(command, "--help");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Usage:", r.Out, StringComparison.Ordinal);
        Assert.Equal("", r.Error);
        if (command is null)
            foreach (var c in new[] { "run", "explain", "params", "scenarios", "validate" }) Assert.Contains(c, r.Out, StringComparison.Ordinal);
        else Assert.Contains(command, r.Out, StringComparison.Ordinal);
        if (command == "run")
            foreach (var o in new[] { "--scenario", "--resolution", "--seed", "--years", "--threads", "--provinces", "--out", "--quiet" })
                Assert.Contains(o, r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_prints_the_rate_the_bytes_the_floor_ratio_and_every_module()
    {
        var r = CliHarness.Run("bench", "--provinces", "Ningxia,Qinghai", "--resolution", "commune", "--years", "1957-1957", "--threads", "2", "--whole-runs", "2");
        Assert.True(r.ExitCode == 0, r.ToString());
        var units = TestWorlds.Build(LeapSim.Core.World.Resolution.Commune, 1, ["Ningxia", "Qinghai"]).Units.Count;
        Assert.Contains($"units                  {units.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} (", r.Out, StringComparison.Ordinal);
        Assert.Contains("12 months, 2 thread(s)", r.Out, StringComparison.Ordinal);
        // The warm-up runs the larger of the two provinces alone before the clock starts.
        var largest = LeapSim.Core.Inputs.BaselineInputs.Embedded.Provinces.Where(p => p.Name is "Ningxia" or "Qinghai").MaxBy(p => p.Population1957M)!.Name;
        Assert.Contains("warm-up ", r.Out, StringComparison.Ordinal);
        Assert.Contains($"({largest} alone, 1957-1958, not counted)", r.Out, StringComparison.Ordinal);
        foreach (var line in new[] { "unit-months per second", "bytes of state a month", "memory floor", "ratio to the floor", "allocated in the loop", "collector" })
            Assert.Contains(line, r.Out, StringComparison.Ordinal);
        foreach (var m in LeapSim.Core.Engine.ModuleCatalog.Modules) Assert.Contains($"    {m.Name} ", r.Out, StringComparison.Ordinal);
        var ratio = double.Parse(r.Out.Split('\n').Single(l => l.Contains("ratio to the floor", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ratio > 0 && double.IsFinite(ratio), r.Out);
        // Whole runs: the first, then the median of the two after it, each a positive time.
        double Seconds(string line) => double.Parse(r.Out.Split('\n').Single(l => l.Contains(line, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Seconds("whole run, first") > 0, r.Out);
        Assert.True(Seconds("whole run, again") > 0, r.Out);
        Assert.Contains("median of 2 (", r.Out, StringComparison.Ordinal);
        // Bad input is refused like in run.
        Assert.Equal(2, CliHarness.Run("bench", "--resolution", "village").ExitCode);
        var bad = CliHarness.Run("bench", "--whole-runs", "-1");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--whole-runs", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_lists_every_module_in_step_order()
    {
        var r = CliHarness.Run("explain");
        Assert.True(r.ExitCode == 0, r.ToString());
        string[] order = ["politics", "collectivisation", "labour", "weather", "farming", "industry", "reporting", "procurement", "state_grain", "consumption", "demography", "migration"];
        Assert.Equal(order, ModuleCatalog.Modules.Select(m => m.Name));
        var lines = r.Out.Split('\n');
        var numbered = lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*\d+\. ")).ToArray();
        Assert.Equal(order.Length + 1, numbered.Length); // the modules, then the collector
        for (var i = 0; i < order.Length; i++)
            Assert.StartsWith($"{i + 1,2}. {order[i]}: ", numbered[i], StringComparison.Ordinal);
        Assert.Contains("results", numbered[^1], StringComparison.Ordinal);
        // Every policy is listed with its settings.
        foreach (var p in ModuleCatalog.Policies())
            Assert.Contains($"policy {p.Key}:", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Params_lists_every_parameter_with_unit_and_source()
    {
        var r = CliHarness.Run("params");
        Assert.True(r.ExitCode == 0, r.ToString());
        var all = ModuleCatalog.AllParameters().ToList();
        Assert.True(all.Count > 50);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(all.Count + 1, lines.Length);
        foreach (var (p, line) in all.Zip(lines))
        {
            Assert.StartsWith($"{p.Name} = ", line, StringComparison.Ordinal);
            Assert.Contains($" {p.Unit} [", line, StringComparison.Ordinal);
            Assert.EndsWith($"Source: {p.Source}", line, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(p.Unit), p.Name);
            Assert.False(string.IsNullOrWhiteSpace(p.Source), p.Name);
        }
        Assert.StartsWith($"{all.Count} parameters, {all.Count(p => p.IsCalibrated)} calibrated", lines[^1], StringComparison.Ordinal);

        var md = CliHarness.Run("params", "--markdown");
        Assert.Equal(0, md.ExitCode);
        Assert.Equal(all.Count + 2, md.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.All(all, p => Assert.Contains($"| `{p.Name}` | {p.Unit} |", md.Out, StringComparison.Ordinal));
    }

    [Fact]
    public void Scenarios_lists_default_and_no_leap()
    {
        var r = CliHarness.Run("scenarios");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("default ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("no-leap ", StringComparison.Ordinal) && l.Contains("No Great Leap", StringComparison.Ordinal));
        Assert.Contains("The Great Leap Forward as it happened", lines[0], StringComparison.Ordinal);
    }
}

/// <summary>Bad input: exit code 2, a message naming file, line and key (or the option), and no output folder.</summary>
public sealed class CliBadInputTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private CliHarness.Result RunBad(params string[] args)
    {
        var outDir = _dir["out"];
        var r = CliHarness.Run([.. args, "--out", outDir, "--quiet"]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.StartsWith("leapsim: ", r.Error, StringComparison.Ordinal);
        Assert.Equal("", r.Out);
        Assert.False(Directory.Exists(outDir), "an output folder was created");
        // Nothing but the scenario files: no hidden .out.tmp-* sibling.
        Assert.All(_dir.Entries(), e => Assert.EndsWith(".yaml", e, StringComparison.Ordinal));
        return r;
    }

    private string Scenario(string text)
    {
        var path = _dir["bad.yaml"];
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Unknown_key_in_a_scenario()
    {
        var path = Scenario("name: bad\ncolour: red\n");
        var r = RunBad("run", "--provinces", "Ningxia", "--scenario", path);
        Assert.Contains($"{path}:2:", r.Error, StringComparison.Ordinal);
        Assert.Contains("key 'colour'", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_parameter_in_a_scenario()
    {
        var path = Scenario("name: bad\nparameters:\n  farming.no_such_parameter: 1\n");
        var r = RunBad("run", "--provinces", "Ningxia", "--scenario", path);
        Assert.Contains($"{path}:3:", r.Error, StringComparison.Ordinal);
        Assert.Contains("key 'parameters.farming.no_such_parameter'", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1959-13")]
    [InlineData("1959")]
    [InlineData("1956-12")]
    [InlineData("1967-01")]
    public void Bad_date_in_a_scenario(string date)
    {
        var path = Scenario($"name: bad\nevents:\n  lushan_purge:\n    date: {date}\n");
        var r = RunBad("run", "--provinces", "Ningxia", "--scenario", path);
        Assert.Contains($"{path}:4:", r.Error, StringComparison.Ordinal);
        Assert.Contains("key 'events.lushan_purge.date'", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_value_for_a_parameter_that_must_be_positive()
    {
        var path = Scenario("name: bad\nparameters:\n  demography.rr_under5: 3\n  state_grain.initial_stock_mt: -5\n");
        var r = RunBad("run", "--provinces", "Ningxia", "--scenario", path);
        Assert.Contains($"{path}:4:", r.Error, StringComparison.Ordinal);
        Assert.Contains("key 'parameters.state_grain.initial_stock_mt'", r.Error, StringComparison.Ordinal);
        Assert.Contains("outside the range", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_resolution()
    {
        var r = RunBad("run", "--provinces", "Ningxia", "--resolution", "village");
        Assert.Contains("--resolution", r.Error, StringComparison.Ordinal);
        Assert.Contains("village", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999999")]
    public void Non_numeric_seed(string seed)
    {
        var r = RunBad("run", "--provinces", "Ningxia", "--seed", seed);
        Assert.Contains("--seed", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--threads", "0")]
    [InlineData("--years", "1957-1970")]
    [InlineData("--years", "nineteen")]
    [InlineData("--provinces", "Atlantis")]
    public void Other_bad_options_name_the_option(string option, string value)
    {
        var r = RunBad("run", option, value);
        Assert.Contains(option, r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_scenario_file_and_unknown_option()
    {
        var r = RunBad("run", "--provinces", "Ningxia", "--scenario", _dir["missing.yaml"]);
        Assert.Contains("missing.yaml", r.Error, StringComparison.Ordinal);
        r = RunBad("run", "--provinces", "Ningxia", "--colour", "red");
        Assert.Contains("--colour", r.Error, StringComparison.Ordinal);
    }
}
