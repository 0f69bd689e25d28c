using System.Text.Json.Nodes;
using LeapSim.Tests.Output;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Cli;

/// <summary>
/// Three runs of the default scenario on a small world at commune resolution through the command line, 1957-1962
/// (the Leap, the famine and the first retrenchment years): seed 7 on one thread, seed 7 on two threads, seed 8 on
/// two threads. Ningxia, Qinghai and Gansu: about 700 communes, more than one work chunk (512 units), so that two
/// threads really split the work.
/// </summary>
public sealed class DeterminismRuns : IDisposable
{
    public DeterminismRuns()
    {
        string[] Args(string seed, string threads, string outDir) =>
            ["run", "--provinces", string.Join(',', Provinces), "--resolution", "commune",
             "--seed", seed, "--threads", threads, "--years", "1957-1962", "--out", outDir, "--quiet"];
        OneThread = CliHarness.Run(Args("7", "1", Folder["t1"]));
        TwoThreads = CliHarness.Run(Args("7", "2", Folder["t2"]));
        OtherSeed = CliHarness.Run(Args("8", "2", Folder["s8"]));
    }

    internal static readonly string[] Provinces = ["Ningxia", "Qinghai", "Gansu"];

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
        var units = TestWorlds.Build(LeapSim.Core.World.Resolution.Commune, 7, DeterminismRuns.Provinces).Units.Count;
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
