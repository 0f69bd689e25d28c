using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using LeapSim.Cli.Commands;
using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using LeapSim.Tests.Output;
using Xunit;
using Xunit.Abstractions;

namespace LeapSim.Tests.Reliability;

/// <summary>Checkpoints: a resumed run gives the same bytes as an uninterrupted one; damaged checkpoints are bad input.</summary>
public sealed class CheckpointTests(ITestOutputHelper log)
{
    private static readonly string[] DataFiles =
        ["national.csv", "national.parquet", "national_monthly.csv", "national_monthly.parquet", "provinces.csv", "provinces.parquet"];

    private static readonly ResolvedScenario Default = ScenarioLibrary.Resolve("default");

    private static RunSpec Spec(RunOptions o) => new(Default, o, RunInputs.Load(null).Files, new Dictionary<string, string> { ["note"] = "x" });

    private static byte[] Save(Simulation sim, RunSpec spec)
    {
        using var ms = new MemoryStream();
        Checkpoint.Write(ms, sim, spec);
        return ms.ToArray();
    }

    private static CheckpointData Load(byte[] bytes) => Checkpoint.Read(new MemoryStream(bytes), "test.checkpoint");

    [Theory]
    [InlineData(Resolution.Province, 0)]
    [InlineData(Resolution.County, 7)]
    [InlineData(Resolution.Commune, 30)]
    public void Resumed_run_has_the_same_state_and_series_as_an_uninterrupted_one(Resolution resolution, int at)
    {
        var options = new RunOptions { Resolution = resolution, Seed = 5, Years = new YearSpan(1957, 1960), Threads = 2, Provinces = ["Ningxia", "Gansu"] };
        var whole = new Simulation(Default, options);
        whole.Run();
        var first = new Simulation(Default, options);
        for (var m = 0; m < at; m++) first.Step();
        var bytes = Save(first, Spec(options));
        var data = Load(bytes);
        Assert.Equal(at, data.MonthsDone);
        Assert.Equal("x", data.Spec.Notes["note"]);
        var resumed = Checkpoint.Resume(data, threads: 1);
        Assert.Equal(at, resumed.MonthsDone);
        resumed.Run();
        Assert.True(MemoryMarshal.AsBytes(whole.Results.RawValues.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(resumed.Results.RawValues.AsSpan())));
        foreach (var (x, y) in whole.World.Units.StateColumns.Zip(resumed.World.Units.StateColumns))
            Assert.True(x.Data.AsSpan().SequenceEqual(y.Data), $"{x.Name} differs");
        log.WriteLine($"{resolution}: {resumed.World.Units.Count} units, checkpoint {bytes.Length:N0} bytes");
    }

    [Fact]
    public void Truncated_corrupt_or_foreign_checkpoints_are_input_errors_naming_the_file()
    {
        var options = new RunOptions { Provinces = ["Ningxia"], Years = new YearSpan(1957, 1958), Threads = 1 };
        var sim = new Simulation(Default, options);
        for (var m = 0; m < 5; m++) sim.Step();
        var good = Save(sim, Spec(options));
        Assert.Equal(5, Load(good).MonthsDone);

        void Bad(byte[] bytes, string fragment)
        {
            var e = Assert.Throws<InputException>(() => Checkpoint.Resume(Load(bytes)));
            Assert.Equal("test.checkpoint", e.Location.File);
            Assert.Contains(fragment, e.Problem);
            Assert.DoesNotContain('\n', e.Message);
        }
        Bad([], "not a LeapSim checkpoint");
        Bad("hello world, not a checkpoint"u8.ToArray(), "not a LeapSim checkpoint");
        Bad(good[..12], "truncated");
        Bad(good[..(good.Length / 2)], "truncated");
        Bad(good[..^1], "truncated");
        Bad([.. good, 0], "truncated");
        var rng = new System.Random(3);
        for (var i = 0; i < 50; i++)
        {
            var flipped = (byte[])good.Clone();
            var at = 8 + rng.Next(flipped.Length - 8 - 40);
            flipped[at] ^= (byte)(1 << rng.Next(8));
            Bad(flipped, "corrupt");
        }
    }

    [Fact]
    public void A_checkpoint_of_other_inputs_does_not_resume_into_a_different_world()
    {
        var options = new RunOptions { Provinces = ["Ningxia"], Years = new YearSpan(1957, 1958), Threads = 1 };
        var sim = new Simulation(Default, options);
        sim.Step();
        var spec = Spec(options);
        // The same checkpoint claiming other provinces: the rebuilt world has another size.
        var other = spec with { Options = options with { Provinces = ["Ningxia", "Qinghai"] } };
        var e = Assert.Throws<InputException>(() => Checkpoint.Resume(Load(Save(sim, other))));
        Assert.Contains("does not match", e.Problem);
        // Another seed: same size, different world.
        var reseeded = spec with { Options = options with { Seed = 99 } };
        e = Assert.Throws<InputException>(() => Checkpoint.Resume(Load(Save(sim, reseeded))));
        Assert.Contains("differs", e.Problem);
    }

    [Fact]
    public void Cli_resume_gives_byte_identical_files_and_cleans_up_after_itself()
    {
        using var tmp = new TempFolder();
        string[] common = ["--provinces", "Ningxia,Qinghai", "-r", "county", "--years", "1957-1959", "-q", "--threads", "1"];
        Assert.Equal(0, Cli(["run", "--out", tmp["whole"], .. common]));
        // A run stopped by its cancellation token after month 12: the token is cancelled when the run prints "1957 done",
        // which it does on the simulation's thread after month 12's checkpoint, and the run sees the token before month 13.
        // (Polling for the checkpoint file from another thread raced the run, which could finish first.)
        using var cancel = new CancellationTokenSource();
        var err = new StringWriter();
        var shown = new CancelOnLine("1957 done", cancel);
        var code = LeapSim.Cli.Cli.Run(["run", "--out", tmp["cut"], "--checkpoint-every", "6", .. common.Where(a => a != "-q")], shown, err, cancel.Token);
        Assert.True(code == 130, $"exit {code}; printed: {shown}; errors: {err}");
        Assert.Contains("resume", err.ToString());
        Assert.False(Directory.Exists(tmp["cut"]));
        Assert.True(File.Exists(Path.Combine(tmp["cut.checkpoint"], "run.checkpoint")));
        // A killed run's leftovers (a dead process id) are cleaned up by the next run.
        var dead = DeadPid();
        Directory.CreateDirectory(tmp[$".cut.tmp-{dead}-abcdef"]);
        File.WriteAllText(Path.Combine(tmp["cut.checkpoint"], $".run.checkpoint.tmp-{dead}-abcdef"), "half");
        Assert.Equal(0, Cli(["resume", tmp["cut.checkpoint"], "-q"]));
        AssertSameOutput(tmp["whole"], tmp["cut"]);
        Assert.False(Directory.Exists(tmp["cut.checkpoint"]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp.Path, ".*"));
    }

    /// <summary>A writer that cancels <paramref name="cancel"/> on the thread that writes <paramref name="line"/>, as it writes it.</summary>
    private sealed class CancelOnLine(string line, CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(line, StringComparison.Ordinal)) cancel.Cancel();
        }
    }

    private static int Cli(string[] args)
    {
        var err = new StringWriter();
        var code = LeapSim.Cli.Cli.Run(args, new StringWriter(), err);
        Assert.True(code == 0, err.ToString());
        return code;
    }

    internal static void AssertSameOutput(string expected, string actual)
    {
        foreach (var f in DataFiles)
            Assert.True(File.ReadAllBytes(Path.Combine(expected, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, f))), $"{f} differs");
        // run.json: the same apart from what belongs to the process (wall time, memory, start, its command line).
        JsonNode Info(string dir)
        {
            var node = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "run.json")))!;
            foreach (var k in new[] { "wall_time_seconds", "peak_memory_mb", "started_utc", "command_line" }) node.AsObject().Remove(k);
            return node;
        }
        Assert.Equal(Info(expected).ToJsonString(), Info(actual).ToJsonString());
    }

    internal static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }
}
