using LeapSim.Core.Results;

namespace LeapSim.Report;

/// <summary>The 5 %, 50 % and 95 % quantiles of one yearly series over an ensemble of runs.</summary>
public sealed record QuantileSeries(string Series, int[] Years, double[] Q05, double[] Q50, double[] Q95);

/// <summary>
/// Ensemble quantiles of yearly national series: a table with columns <c>year, series, q05, q50, q95</c> (one row
/// per year and series; series names are national.csv column names). The report draws q05..q95 as a band and q50 as a
/// thin line on every yearly chart of that series.
/// </summary>
public sealed class QuantileTable
{
    public static readonly string[] Columns = ["year", "series", "q05", "q50", "q95"];

    private readonly Dictionary<string, QuantileSeries> _series;

    private QuantileTable(Dictionary<string, QuantileSeries> series) => _series = series;

    public IReadOnlyCollection<string> SeriesNames => _series.Keys;

    public QuantileSeries? For(string series) => _series.GetValueOrDefault(series);

    /// <summary>Checks the columns and that q05 ≤ q50 ≤ q95 where all three are numbers; throws naming the first problem.</summary>
    public static QuantileTable From(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var c in Columns)
            if (!table.Has(c)) throw new ArgumentException($"quantile table {table.Name}: no column '{c}' (expected {string.Join(", ", Columns)})");
        var years = table.Ints("year");
        var names = table.Texts("series");
        double[] q05 = table.Values("q05"), q50 = table.Values("q50"), q95 = table.Values("q95");
        var rows = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < table.RowCount; i++)
        {
            if (q05[i] > q50[i] || q50[i] > q95[i])
                throw new ArgumentException($"quantile table {table.Name}: row {i + 1} ({names[i]} {years[i]}) has q05 {q05[i]}, q50 {q50[i]}, q95 {q95[i]} out of order");
            if (!rows.TryGetValue(names[i], out var list)) rows[names[i]] = list = [];
            list.Add(i);
        }
        var series = new Dictionary<string, QuantileSeries>(StringComparer.Ordinal);
        foreach (var (name, list) in rows)
        {
            var ordered = list.OrderBy(i => years[i]).ToArray();
            for (var k = 1; k < ordered.Length; k++)
                if (years[ordered[k]] == years[ordered[k - 1]])
                    throw new ArgumentException($"quantile table {table.Name}: {name} has two rows for {years[ordered[k]]}");
            series[name] = new QuantileSeries(name, ordered.Select(i => years[i]).ToArray(),
                ordered.Select(i => q05[i]).ToArray(), ordered.Select(i => q50[i]).ToArray(), ordered.Select(i => q95[i]).ToArray());
        }
        return new QuantileTable(series);
    }
}
