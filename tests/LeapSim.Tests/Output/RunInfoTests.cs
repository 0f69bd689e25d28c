using System.Text;
using System.Text.Json;
using LeapSim.Cli.Output;
using Xunit;

namespace LeapSim.Tests.Output;

public class RunInfoTests
{
    private static RunInfo Sample() => new()
    {
        ScenarioName = "great_leap",
        ScenarioChain = ["great_leap", "default"],
        Seed = 42,
        Resolution = "county",
        Years = 6,
        Threads = 2,
        Version = "0.1.0+abc",
        WallTimeSeconds = 12.5,
        PeakMemoryMb = 812.3,
        StartedUtc = new DateTimeOffset(1958, 5, 1, 8, 30, 0, TimeSpan.Zero),
        CommandLine = ["run", "--seed", "42", "--scenario", "great leap.yaml"],
        ChangedParameters = new Dictionary<string, double> { ["zeta"] = 1.5, ["Alpha_rate"] = 0.1 },
    };

    private static string Json(RunInfo info)
    {
        using var stream = new MemoryStream();
        RunInfo.Write(info, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Writes_indented_snake_case_json_with_sorted_parameters()
    {
        const string expected = """
            {
              "scenario_name": "great_leap",
              "scenario_chain": [
                "great_leap",
                "default"
              ],
              "seed": 42,
              "resolution": "county",
              "years": 6,
              "threads": 2,
              "version": "0.1.0+abc",
              "wall_time_seconds": 12.5,
              "peak_memory_mb": 812.3,
              "started_utc": "1958-05-01T08:30:00+00:00",
              "command_line": [
                "run",
                "--seed",
                "42",
                "--scenario",
                "great leap.yaml"
              ],
              "changed_parameters": {
                "Alpha_rate": 0.1,
                "zeta": 1.5
              }
            }

            """;
        Assert.Equal(expected.Replace("\r\n", "\n"), Json(Sample()));
    }

    [Fact]
    public void Reads_back_what_it_wrote()
    {
        var info = Sample();
        using var stream = new MemoryStream();
        RunInfo.Write(info, stream);
        stream.Position = 0;
        var back = RunInfo.Read(stream);

        Assert.Equal(info.ScenarioName, back.ScenarioName);
        Assert.Equal(info.ScenarioChain, back.ScenarioChain);
        Assert.Equal(info.Seed, back.Seed);
        Assert.Equal(info.StartedUtc, back.StartedUtc);
        Assert.Equal(info.CommandLine, back.CommandLine);
        Assert.Equal(info.ChangedParameters.OrderBy(p => p.Key), back.ChangedParameters.OrderBy(p => p.Key));
    }

    [Fact]
    public void Keeps_non_ascii_names_unescaped_writes_nan_and_leaves_parameter_names_as_declared()
    {
        var json = Json(Sample() with
        {
            ScenarioName = "大跃进 höher",
            ChangedParameters = new Dictionary<string, double> { ["farming.Yield_Scale"] = double.NaN },
        });
        Assert.Contains("\"scenario_name\": \"大跃进 höher\"", json, StringComparison.Ordinal);
        Assert.Contains("\"farming.Yield_Scale\": \"NaN\"", json, StringComparison.Ordinal);
        var back = RunInfo.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        Assert.True(double.IsNaN(back.ChangedParameters["farming.Yield_Scale"]));
        Assert.Equal("大跃进 höher", back.ScenarioName);
    }

    [Fact]
    public void Reading_a_file_without_the_optional_fields_gives_their_defaults()
    {
        var json = """{"scenario_name":"x","seed":1,"resolution":"province","years":3,"threads":1}""";
        var info = RunInfo.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        Assert.Empty(info.ScenarioChain);
        Assert.Empty(info.CommandLine);
        Assert.Empty(info.ChangedParameters);
        Assert.Equal(RunInfo.CurrentVersion(), info.Version);
        Assert.Null(info.Runs);
    }

    [Fact]
    public void Defaults_fill_version_and_measurements_are_plausible()
    {
        var info = new RunInfo { ScenarioName = "s", Seed = ulong.MaxValue, Resolution = "province", Years = 1, Threads = 1 };
        Assert.False(string.IsNullOrWhiteSpace(info.Version));
        Assert.StartsWith("0.1.0", info.Version, StringComparison.Ordinal);
        Assert.InRange(RunInfo.CurrentPeakMemoryMb(), 1, 1e6);

        using var doc = JsonDocument.Parse(Json(info));
        Assert.Equal(ulong.MaxValue, doc.RootElement.GetProperty("seed").GetUInt64());
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("changed_parameters").ValueKind);
    }
}
