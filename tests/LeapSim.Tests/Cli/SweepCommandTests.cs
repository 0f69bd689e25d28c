using LeapSim.Tests.Output;
using Xunit;

namespace LeapSim.Tests.Cli;

/// <summary>
/// Sweeps are resumable and shardable: a sweep resumed after being cut short, and the same sweep run as three
/// shards in three folders and merged, give byte for byte the rows of one uninterrupted sweep.
/// </summary>
public sealed class SweepCommandTests : IDisposable
{
    private const string Sweep = """
        name: test-sweep
        resolution: province
        provinces: [Ningxia, Qinghai]
        seeds: 2
        design: grid
        parameters:
          procurement.retention_floor_kg: [150, 250]
          reporting.inflation_per_pressure: { min: 0.5, max: 1.5, steps: 2 }
        """;

    private readonly TempFolder _folder = new();
    private readonly string _file;

    public SweepCommandTests()
    {
        _file = _folder["sweep.yaml"];
        File.WriteAllText(_file, Sweep);
    }

    public void Dispose() => _folder.Dispose();

    private CliHarness.Result Run(params string[] args)
    {
        var r = CliHarness.Run(args);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    private string Uninterrupted()
    {
        Run("sweep", _file, "--out", _folder["whole"], "--quiet");
        Run("merge", _folder["whole"]);
        return File.ReadAllText(Path.Combine(_folder["whole"], "sweep.csv"));
    }

    [Fact]
    public void One_sweep_has_a_row_per_run_in_run_order()
    {
        var csv = Uninterrupted();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 8, lines.Length);
        Assert.StartsWith("run,point,seed,procurement.retention_floor_kg,reporting.inflation_per_pressure,", lines[0], StringComparison.Ordinal);
        Assert.Contains("excess_deaths_true", lines[0], StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 8).Select(r => r.ToString()), lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.StartsWith("3,1,2,150,1.5,", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public void Shards_in_separate_folders_merge_to_the_uninterrupted_rows()
    {
        var whole = Uninterrupted();
        for (var i = 1; i <= 3; i++) Run("sweep", _file, "--shard", $"{i}/3", "--out", _folder[$"shard{i}"], "--quiet");
        Assert.Equal(["rows-shard-2-of-3.csv", "sweep.json"], Directory.GetFiles(_folder["shard2"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var merged = _folder["merged.csv"];
        Run("merge", _folder["shard3"], _folder["shard1"], _folder["shard2"], "--out", merged);
        Assert.Equal(whole, File.ReadAllText(merged));
        // an incomplete set of shards is refused unless asked for
        var partial = CliHarness.Run("merge", _folder["shard1"], "--out", _folder["partial.csv"]);
        Assert.Equal(2, partial.ExitCode);
        Assert.Contains("missing", partial.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder["partial.csv"]));
        Run("merge", _folder["shard1"], "--out", _folder["partial.csv"], "--partial");
        Assert.Equal(1 + 3, File.ReadAllLines(_folder["partial.csv"]).Length);
    }

    [Fact]
    public void A_sweep_cut_short_resumes_where_it_stopped_and_gives_the_same_rows()
    {
        var whole = Uninterrupted();
        var dir = _folder["resumed"];
        Run("sweep", _file, "--out", dir, "--quiet");
        // Cut the journal as a killed process would leave it: the header, three rows and half of a fourth.
        var journal = Path.Combine(dir, "rows-shard-1-of-1.csv");
        var lines = File.ReadAllText(journal).Split('\n');
        File.WriteAllText(journal, string.Join('\n', lines.Take(4)) + "\n" + lines[4][..(lines[4].Length / 2)]);
        var again = Run("sweep", _file, "--out", dir);
        Assert.Contains("3 already done, 5 to run", again.Out, StringComparison.Ordinal);
        Run("merge", dir);
        Assert.Equal(whole, File.ReadAllText(Path.Combine(dir, "sweep.csv")));
        // and a finished sweep run again does nothing
        Assert.Contains("8 already done, 0 to run", Run("sweep", _file, "--out", dir).Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_sweep_in_the_same_folder_and_bad_shards_are_refused()
    {
        Uninterrupted();
        File.WriteAllText(_folder["other.yaml"], Sweep.Replace("[150, 250]", "[150, 200]"));
        var r = CliHarness.Run("sweep", _folder["other.yaml"], "--out", _folder["whole"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("another sweep", r.Error, StringComparison.Ordinal);
        Assert.Equal(2, CliHarness.Run("sweep", _file, "--shard", "4/3", "--out", _folder["x"]).ExitCode);
        Assert.Equal(2, CliHarness.Run("sweep", _folder["missing.yaml"]).ExitCode);
        Assert.Equal(2, CliHarness.Run("merge", _folder["whole"], _folder["nothing"]).ExitCode);
    }
}
