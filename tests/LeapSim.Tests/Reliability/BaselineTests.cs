using System.Globalization;
using System.Text;
using LeapSim.Cli.Commands;
using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using Xunit;
using Xunit.Abstractions;

namespace LeapSim.Tests.Reliability;

/// <summary>
/// The numerical baseline: the yearly national summary of a small fixed run (seed 1, Anhui, Sichuan and Shanghai,
/// province resolution, 1957-1966, default scenario) is checked in as tests/baseline/national_small.csv. Any value
/// that moves by more than 1e-9 relative fails the test, which lists every change. To move the baseline on purpose,
/// run scripts/update-baseline.sh (it sets LEAPSIM_UPDATE_BASELINE=1, and this test then writes the file instead of
/// comparing) and say why in the commit message.
/// </summary>
public sealed class BaselineTests(ITestOutputHelper log)
{
    public const string UpdateVariable = "LEAPSIM_UPDATE_BASELINE";
    private const double Tolerance = 1e-9;

    private static readonly string[] Columns =
    [
        "year", "population_yearend_m", "deaths_m", "crude_death_rate_registered_permille", "grain_output_mt",
        "procurement_mt", "steel_output_mt", "industrial_output_index",
    ];

    private static readonly RunOptions Options = new()
    {
        Seed = 1,
        Provinces = ["Anhui", "Sichuan", "Shanghai"],
        Resolution = Resolution.Province,
        Years = new YearSpan(1957, 1966),
        Threads = 2,
    };

    [Fact]
    public void National_summary_of_the_small_fixed_run_matches_the_checked_in_baseline()
    {
        var path = BaselinePath();
        var current = Compute();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Format(current));
            log.WriteLine($"wrote {path} ({current.Count} years)");
            return;
        }
        Assert.True(File.Exists(path), $"no baseline at {path}; create it with scripts/update-baseline.sh");
        var expected = Parse(File.ReadAllText(path));

        var changes = new List<string>();
        var years = expected.Keys.Union(current.Keys).Order();
        foreach (var year in years)
        {
            if (!expected.TryGetValue(year, out var old)) { changes.Add($"year {year}: not in the baseline"); continue; }
            if (!current.TryGetValue(year, out var now)) { changes.Add($"year {year}: no longer computed"); continue; }
            for (var c = 1; c < Columns.Length; c++)
            {
                var rel = Relative(old[c - 1], now[c - 1]);
                if (!(rel <= Tolerance))
                    changes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{Columns[c]} {year}: {old[c - 1]:R} -> {now[c - 1]:R} (relative change {rel:E2})"));
            }
        }
        foreach (var line in changes) log.WriteLine(line);
        Assert.True(changes.Count == 0,
            $"{changes.Count} baseline value(s) moved by more than {Tolerance:E0} relative (if on purpose: scripts/update-baseline.sh, and say why in the commit message):\n"
            + string.Join('\n', changes));
    }

    /// <summary>|new - old| / max(|old|, |new|); 0 when both are 0, NaN (a failure) when either is not finite.</summary>
    internal static double Relative(double old, double now)
    {
        if (!double.IsFinite(old) || !double.IsFinite(now)) return old.Equals(now) ? 0 : double.NaN;
        var scale = Math.Max(Math.Abs(old), Math.Abs(now));
        return scale == 0 ? 0 : Math.Abs(now - old) / scale;
    }

    private static SortedDictionary<int, double[]> Compute()
    {
        var sim = new Simulation(ScenarioLibrary.Resolve("default"), Options);
        sim.Run();
        var national = RunCommand.Tables(sim, Options.Years.FirstYear)[0];
        var result = new SortedDictionary<int, double[]>();
        var years = national["year"].Integers!;
        for (var r = 0; r < national.RowCount; r++)
            result[years[r]] = Columns.Skip(1).Select(c => national[c].Numbers![r]).ToArray();
        return result;
    }

    private static string Format(SortedDictionary<int, double[]> rows)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Columns)).Append('\n');
        foreach (var (year, values) in rows)
            sb.Append(year.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        return sb.ToString();
    }

    private static SortedDictionary<int, double[]> Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(string.Join(',', Columns), lines[0]);
        var rows = new SortedDictionary<int, double[]>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            Assert.Equal(Columns.Length, cells.Length);
            rows[int.Parse(cells[0], CultureInfo.InvariantCulture)] =
                cells.Skip(1).Select(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        }
        return rows;
    }

    /// <summary>tests/baseline/national_small.csv in the source tree (found from the test assembly's folder upwards).</summary>
    internal static string BaselinePath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeapSim.slnx"))) dir = dir.Parent;
        Assert.True(dir is not null, $"the source tree (LeapSim.slnx) is not above {AppContext.BaseDirectory}");
        return Path.Combine(dir!.FullName, "tests", "baseline", "national_small.csv");
    }
}
