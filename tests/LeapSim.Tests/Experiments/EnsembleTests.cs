using LeapSim.Core.Experiments;
using LeapSim.Core.Results;
using LeapSim.Tests.Output;
using Xunit;

namespace LeapSim.Tests.Experiments;

public class EnsembleTests
{
    /// <summary>Run r's tables: national x = r + year offset, y = 10r; provinces z = r × (row + 1) (NaN for run 0, row 0).</summary>
    private static IReadOnlyList<Table> RunTables(int r) =>
    [
        new Table("national", [Column.Of("year", new[] { 1957, 1958 }), Column.Of("x", new double[] { r, r + 100 }), Column.Of("y", new double[] { 10 * r, 10 * r })]),
        new Table("provinces", [Column.Of("year", new[] { 1957, 1957, 1958 }), Column.Of("province", new[] { "A", "B", "A" }),
            Column.Of("z", new[] { r == 0 ? double.NaN : r, 2.0 * r, 3.0 * r })]),
    ];

    [Theory]
    [InlineData(1 << 20)]
    [InlineData(3 * 8 * 5)] // three cells a block: the statistics are computed in several blocks
    public void Means_and_quantiles_over_runs_whatever_the_order_they_finish_in(int blockBytes)
    {
        using var folder = new TempFolder();
        const int runs = 5; // values 0..4 (×k): mean 2k, q05 0.2k, q50 2k, q95 3.8k
        using var e = new Ensemble(RunTables(0), runs, folder["values.bin"], blockBytes);
        foreach (var r in new[] { 3, 0, 4, 1, 2 }) e.Add(r, RunTables(r));
        var (means, quantiles) = e.Finish();

        var national = means[0];
        Assert.Equal("national", national.Name);
        Assert.Equal(new[] { 1957, 1958 }, national["year"].Integers);
        Assert.Equal(new[] { 2.0, 102.0 }, national["x"].Numbers);
        Assert.Equal(new[] { 20.0, 20.0 }, national["y"].Numbers);
        // the NaN of run 0 is left out: mean of 1..4
        Assert.Equal(new[] { 2.5, 4.0, 6.0 }, means[1]["z"].Numbers);

        var nq = quantiles[0];
        Assert.Equal("national_quantiles", nq.Name);
        Assert.Equal(["year", "series", "q05", "q50", "q95"], nq.Columns.Select(c => c.Name));
        Assert.Equal(new[] { 1957, 1957, 1958, 1958 }, nq["year"].Integers);
        Assert.Equal(new[] { "x", "y", "x", "y" }, nq["series"].Texts);
        Assert.Equal(new[] { 0.2, 2.0, 100.2, 2.0 }, nq["q05"].Numbers!.Select(v => Math.Round(v, 9)));
        Assert.Equal(new[] { 2.0, 20.0, 102.0, 20.0 }, nq["q50"].Numbers);
        Assert.Equal(new[] { 3.8, 38.0, 103.8, 38.0 }, nq["q95"].Numbers!.Select(v => Math.Round(v, 9)));

        var pq = quantiles[1];
        Assert.Equal(["year", "province", "series", "q05", "q50", "q95"], pq.Columns.Select(c => c.Name));
        Assert.Equal(new[] { "A", "B", "A" }, pq["province"].Texts);
        // province A 1957 of runs 1..4: q05 = 1 + 0.15 × 1
        Assert.Equal(new[] { 1.15, 0.4, 0.6 }, pq["q05"].Numbers!.Select(v => Math.Round(v, 9)));
    }

    [Fact]
    public void A_run_missing_or_added_twice_is_an_error_and_the_scratch_file_goes()
    {
        using var folder = new TempFolder();
        var path = folder["values.bin"];
        using (var e = new Ensemble(RunTables(0), 2, path))
        {
            e.Add(0, RunTables(0));
            Assert.Throws<InvalidOperationException>(() => e.Add(0, RunTables(0)));
            Assert.Throws<InvalidOperationException>(() => e.Finish());
            Assert.True(File.Exists(path));
        }
        Assert.False(File.Exists(path));
    }
}
