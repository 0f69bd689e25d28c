using LeapSim.Core.Results;

namespace LeapSim.Core.Experiments;

/// <summary>
/// The statistics of an ensemble of runs of one scenario (seeds s, s+1, …): for every number of the yearly tables
/// (national.csv, provinces.csv) its mean over the runs and its 5th, 50th and 95th percentiles.
/// <para>Memory is bounded whatever the number of runs: each run's numbers are written to a scratch file at the
/// run's own place (so the order in which runs finish does not matter), and the statistics are computed afterwards
/// a block of cells at a time (at most <see cref="BlockBytes"/> of values in memory).</para>
/// </summary>
public sealed class Ensemble : IDisposable
{
    /// <summary>Values in memory at once while the statistics are computed.</summary>
    public const int BlockBytes = 32 << 20;

    private readonly IReadOnlyList<Table> _templates;
    private readonly int[] _offsets; // first cell of each table
    private readonly FileStream _store;
    private readonly bool[] _added;
    private readonly object _gate = new();
    private readonly int _blockBytes;

    /// <param name="templates">The tables of one run (any run: the shape and the key columns are the same in all).</param>
    /// <param name="runs">Runs of the ensemble.</param>
    /// <param name="scratchPath">A file the ensemble may create and delete (e.g. in the output's temporary folder).</param>
    /// <param name="blockBytes">Values in memory at once while the statistics are computed (tests make it small).</param>
    public Ensemble(IReadOnlyList<Table> templates, int runs, string scratchPath, int blockBytes = BlockBytes)
    {
        _blockBytes = blockBytes;
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs));
        _templates = templates;
        Runs = runs;
        _offsets = new int[templates.Count + 1];
        for (var t = 0; t < templates.Count; t++)
            _offsets[t + 1] = _offsets[t] + templates[t].Columns.Count(c => c.Numbers is not null) * templates[t].RowCount;
        CellCount = _offsets[^1];
        _added = new bool[runs];
        _store = new FileStream(scratchPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        _store.SetLength((long)CellCount * runs * sizeof(double));
    }

    public int Runs { get; }
    /// <summary>Numbers per run (every numeric cell of every table).</summary>
    public int CellCount { get; }

    /// <summary>Stores the tables of run <paramref name="run"/> (0-based). Thread-safe; each run once.</summary>
    public void Add(int run, IReadOnlyList<Table> tables)
    {
        if (tables.Count != _templates.Count) throw new ArgumentException("a run must give the same tables as the template");
        var cells = new double[CellCount];
        var i = 0;
        for (var t = 0; t < tables.Count; t++)
        {
            var table = tables[t];
            if (table.RowCount != _templates[t].RowCount) throw new ArgumentException($"table {table.Name}: {table.RowCount} rows, expected {_templates[t].RowCount}");
            foreach (var c in table.Columns)
                if (c.Numbers is { } numbers) { numbers.CopyTo(cells, i); i += numbers.Length; }
        }
        if (i != CellCount) throw new ArgumentException("a run's tables do not have the template's columns");
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(cells.AsSpan());
        lock (_gate)
        {
            if (_added[run]) throw new InvalidOperationException($"run {run} was added twice");
            _store.Position = (long)run * CellCount * sizeof(double);
            _store.Write(bytes);
            _added[run] = true;
        }
    }

    /// <summary>
    /// The results: for every template table, its mean table (same name, columns and keys; numbers are the mean over
    /// the runs) and its quantile table "NAME_quantiles" in long form: the table's key columns (year, and province
    /// where there is one), then series, q05, q50, q95. Rates are averaged as rates (the mean of the runs' rates).
    /// </summary>
    public (IReadOnlyList<Table> Means, IReadOnlyList<Table> Quantiles) Finish()
    {
        lock (_gate)
        {
            var missing = Array.IndexOf(_added, false);
            if (missing >= 0) throw new InvalidOperationException($"run {missing} was never added");
            _store.Flush();
        }
        var mean = new double[CellCount];
        var q = new double[3][];
        for (var k = 0; k < 3; k++) q[k] = new double[CellCount];
        var block = Math.Max(1, Math.Min(CellCount, _blockBytes / sizeof(double) / Runs));
        var buffer = new double[block];
        var byCell = new double[block * Runs];
        var sorted = new double[Runs];
        for (var c0 = 0; c0 < CellCount; c0 += block)
        {
            var n = Math.Min(block, CellCount - c0);
            for (var r = 0; r < Runs; r++)
            {
                _store.Position = ((long)r * CellCount + c0) * sizeof(double);
                _store.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan(0, n)));
                for (var c = 0; c < n; c++) byCell[c * Runs + r] = buffer[c];
            }
            for (var c = 0; c < n; c++)
            {
                var count = 0;
                double sum = 0;
                foreach (var v in byCell.AsSpan(c * Runs, Runs))
                {
                    if (double.IsNaN(v)) continue;
                    sorted[count++] = v;
                    sum += v;
                }
                var values = sorted.AsSpan(0, count);
                values.Sort();
                mean[c0 + c] = count > 0 ? sum / count : double.NaN;
                q[0][c0 + c] = Statistics.QuantileOfSorted(values, 0.05);
                q[1][c0 + c] = Statistics.QuantileOfSorted(values, 0.50);
                q[2][c0 + c] = Statistics.QuantileOfSorted(values, 0.95);
            }
        }

        var means = new List<Table>();
        var quantiles = new List<Table>();
        for (var t = 0; t < _templates.Count; t++)
        {
            var template = _templates[t];
            var rows = template.RowCount;
            var keys = template.Columns.Where(c => c.Numbers is null).ToList();
            var numeric = template.Columns.Where(c => c.Numbers is not null).ToList();
            var cell = _offsets[t];
            var meanColumns = new List<Column>();
            var start = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var c in template.Columns)
            {
                if (c.Numbers is null) { meanColumns.Add(c); continue; }
                start[c.Name] = cell;
                meanColumns.Add(Column.Of(c.Name, mean.AsSpan(cell, rows).ToArray()));
                cell += rows;
            }
            means.Add(new Table(template.Name, meanColumns));

            // long form: row by row of the template, then series in column order
            var longRows = rows * numeric.Count;
            var qColumns = new List<Column>();
            foreach (var k in keys)
            {
                if (k.Integers is { } ints) qColumns.Add(Column.Of(k.Name, Enumerable.Range(0, longRows).Select(i => ints[i / numeric.Count]).ToArray()));
                else qColumns.Add(Column.Of(k.Name, Enumerable.Range(0, longRows).Select(i => k.Texts![i / numeric.Count]).ToArray()));
            }
            qColumns.Add(Column.Of("series", Enumerable.Range(0, longRows).Select(i => numeric[i % numeric.Count].Name).ToArray()));
            string[] names = ["q05", "q50", "q95"];
            for (var k = 0; k < 3; k++)
            {
                var values = new double[longRows];
                for (var i = 0; i < longRows; i++) values[i] = q[k][start[numeric[i % numeric.Count].Name] + i / numeric.Count];
                qColumns.Add(Column.Of(names[k], values));
            }
            quantiles.Add(new Table(template.Name + "_quantiles", qColumns));
        }
        return (means, quantiles);
    }

    public void Dispose() => _store.Dispose();
}
