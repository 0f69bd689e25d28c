using System.Text.Json.Nodes;
using LeapSim.Tests.Output;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Cli;

/// <summary>
/// Three runs of the default scenario on the small world at commune resolution through the command line, 1957-1962
/// (the Leap, the famine and the first retrenchment years): seed 7 on one thread, seed 7 on two threads, seed 8 on two
/// threads. The scenario file sets <see cref="TestWorlds.SmallWorldCommunes"/> communes instead of the 26,000 the
/// default gives any small world: two work chunks of 512 and 488 units, so two threads really split the work, and a
/// run takes about two seconds.
/// </summary>
public sealed class DeterminismRuns : IDisposable
{
    public DeterminismRuns()
    {
        var scenario = Folder["det.yaml"];
        File.WriteAllText(scenario, "name: det\nextends: default\nparameters:\n  world.communes_national: 1000\n");
        string[] Args(string seed, string threads, string outDir) =>
            ["run", "--provinces", string.Join(',', TestWorlds.Small), "--resolution", "commune", "--scenario", scenario,
             "--seed", seed, "--threads", threads, "--years", "1957-1962", "--out", outDir, "--quiet"];
        OneThread = CliHarness.Run(Args("7", "1", Folder["t1"]));
        TwoThreads = CliHarness.Run(Args("7", "2", Folder["t2"]));
        OtherSeed = CliHarness.Run(Args("8", "2", Folder["s8"]));
    }

    internal TempFolder Folder { get; } = new();
    internal CliHarness.Result OneThread { get; }
    internal CliHarness.Result TwoThreads { get; }
    internal CliHarness.Result OtherSeed { get; }

    public void Dispose() => Folder.Dispose();
}

public sealed class DeterminismTests(DeterminismRuns runs) : IClassFixture<DeterminismRuns>
{
    private static readonly string[] Varying = ["wall_time_seconds", "peak_memory_mb", "started_utc", "threads", "command_line"];

    [Fact]
    public void The_runs_succeed()
    {
        Assert.True(runs.OneThread.ExitCode == 0, runs.OneThread.ToString());
        Assert.True(runs.TwoThreads.ExitCode == 0, runs.TwoThreads.ToString());
        Assert.True(runs.OtherSeed.ExitCode == 0, runs.OtherSeed.ToString());
        Assert.Equal("", runs.OneThread.Out); // --quiet
        // More units than one chunk (512), so that the two-thread run is really parallel.
        var units = TestWorlds.Build(LeapSim.Core.World.Resolution.Commune, 7, TestWorlds.Small, ("world.communes_national", TestWorlds.SmallWorldCommunes)).Units.Count;
        Assert.InRange(units, 513, 2 * 512);
    }

    [Fact]
    public void One_and_two_threads_write_byte_identical_tables()
    {
        var a = runs.Folder["t1"];
        var b = runs.Folder["t2"];
        var files = Directory.GetFiles(a).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Directory.GetFiles(b).Select(Path.GetFileName).Order(StringComparer.Ordinal), files);
        var tables = files.Where(f => f!.EndsWith(".csv", StringComparison.Ordinal) || f.EndsWith(".parquet", StringComparison.Ordinal)).ToArray();
        Assert.Equal(6, tables.Length);
        foreach (var f in tables)
            Assert.True(File.ReadAllBytes(Path.Combine(a, f!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, f!))), $"{f} differs between 1 and 2 threads");
    }

    [Fact]
    public void One_and_two_threads_write_the_same_run_json_apart_from_cost_and_invocation()
    {
        var a = JsonNode.Parse(File.ReadAllText(runs.Folder["t1/run.json"]))!.AsObject();
        var b = JsonNode.Parse(File.ReadAllText(runs.Folder["t2/run.json"]))!.AsObject();
        Assert.Equal(1, (int)a["threads"]!);
        Assert.Equal(2, (int)b["threads"]!);
        foreach (var key in Varying) { Assert.True(a.Remove(key), key); Assert.True(b.Remove(key), key); }
        Assert.Equal(a.ToJsonString(), b.ToJsonString());
        Assert.Equal(7, (int)a["seed"]!);
        Assert.Equal("commune", (string)a["resolution"]!);
        Assert.Equal(1000.0, (double)a["changed_parameters"]!["world.communes_national"]!);
        Assert.Equal(6, (int)a["years"]!);
    }

    [Fact]
    public void Another_seed_gives_other_results()
    {
        var a = File.ReadAllText(runs.Folder["t2/national.csv"]);
        var c = File.ReadAllText(runs.Folder["s8/national.csv"]);
        Assert.NotEqual(a, c);
        // Same shape, different numbers: the header and the years agree, the 1957 deaths do not.
        var la = a.Split('\n');
        var lc = c.Split('\n');
        Assert.Equal(la[0], lc[0]);
        Assert.Equal(la.Length, lc.Length);
        Assert.NotEqual(la[1], lc[1]);
    }
}
