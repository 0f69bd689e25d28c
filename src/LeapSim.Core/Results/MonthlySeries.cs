namespace LeapSim.Core.Results;

/// <summary>How a monthly series becomes a yearly figure.</summary>
public enum Aggregation
{
    /// <summary>A flow: the year's value is the sum of its months (births, harvest).</summary>
    Sum,
    /// <summary>A stock: the year's value is December's (year-end population).</summary>
    Last,
    /// <summary>A level: the year's value is the mean of its months (labour in use).</summary>
    Mean,
    /// <summary>The year's value is the largest month (peak labour).</summary>
    Max,
}

/// <summary>A named monthly result series, recorded for every province and the nation.</summary>
public sealed record SeriesInfo(string Name, string Unit, Aggregation Aggregation, string Description);

/// <summary>
/// Every monthly series a run records (Starsim-style named results): values[series][month][region], where region
/// is a province index or <see cref="National"/> = province count.
/// </summary>
public sealed class MonthlySeries
{
    private readonly double[] _values;
    private readonly Dictionary<string, int> _index;

    public MonthlySeries(IReadOnlyList<SeriesInfo> series, IReadOnlyList<string> provinces, Time.Month first, int months)
    {
        Series = series;
        Provinces = provinces;
        First = first;
        MonthCount = months;
        RegionCount = provinces.Count + 1;
        _values = new double[series.Count * months * RegionCount];
        _index = series.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<SeriesInfo> Series { get; }
    public IReadOnlyList<string> Provinces { get; }
    public Time.Month First { get; }
    public int MonthCount { get; }
    public int RegionCount { get; }
    public int National => RegionCount - 1;

    public int IndexOf(string name) =>
        _index.TryGetValue(name, out var i) ? i : throw new KeyNotFoundException($"no series '{name}'");

    public bool Has(string name) => _index.ContainsKey(name);

    public Span<double> Row(int series, int month) => _values.AsSpan((series * MonthCount + month) * RegionCount, RegionCount);

    public double this[string name, int month, int region] => Row(IndexOf(name), month)[region];

    /// <summary>The series for one region over all months.</summary>
    public double[] Path(string name, int region)
    {
        var s = IndexOf(name);
        var r = new double[MonthCount];
        for (var m = 0; m < MonthCount; m++) r[m] = Row(s, m)[region];
        return r;
    }

    /// <summary>Aggregates a series to years for one region.</summary>
    public double[] Yearly(string name, int region)
    {
        var s = IndexOf(name);
        var agg = Series[s].Aggregation;
        var years = MonthCount / 12;
        var r = new double[years];
        for (var y = 0; y < years; y++)
        {
            double acc = agg == Aggregation.Max ? double.NegativeInfinity : 0;
            for (var m = 0; m < 12; m++)
            {
                var v = Row(s, y * 12 + m)[region];
                acc = agg switch
                {
                    Aggregation.Sum or Aggregation.Mean => acc + v,
                    Aggregation.Max => Math.Max(acc, v),
                    _ => v,
                };
            }
            r[y] = agg == Aggregation.Mean ? acc / 12 : acc;
        }
        return r;
    }

    /// <summary>Mean of a stock series over the year's twelve month-ends: the mid-year population of rates.</summary>
    public double[] YearlyMean(string name, int region)
    {
        var s = IndexOf(name);
        var years = MonthCount / 12;
        var r = new double[years];
        for (var y = 0; y < years; y++)
        {
            double acc = 0;
            for (var m = 0; m < 12; m++) acc += Row(s, y * 12 + m)[region];
            r[y] = acc / 12;
        }
        return r;
    }

    public double[] RawValues => _values;
}
