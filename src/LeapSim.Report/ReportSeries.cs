using LeapSim.Core.Results;

namespace LeapSim.Report;

/// <summary>Where a chart's value axis starts.</summary>
public enum AxisKind
{
    /// <summary>Counts, stocks, rates, shares, indices: the axis includes 0.</summary>
    FromZero,
    /// <summary>Changes that can be negative: the axis includes 0, drawn as a bold line.</summary>
    Signed,
    /// <summary>A level whose zero means nothing (e.g. body-mass index): the axis fits the data and says so.</summary>
    Level,
}

/// <summary>
/// What a column of the output tables means, for labels: a short label, its unit in the yearly table and in the
/// monthly table (flows are per month there, rates and indices at a yearly rate), and how its axis starts.
/// True and registered quantities always say which they are in the label.
/// </summary>
public sealed record SeriesInfo(string Column, string Label, string YearUnit, string MonthUnit, AxisKind Axis, string Color, bool Dashed = false)
{
    public string Unit(bool monthly) => monthly ? MonthUnit : YearUnit;
}

/// <summary>The labels and units of every national column, and the derived columns the report adds.</summary>
public static class ReportSeries
{
    private const string MYear = "million a year", MMonth = "million in the month";
    private const string MtYear = "million tonnes a year", MtMonth = "million tonnes in the month";
    private const string Rate = "‰ (per 1000 mid-year population)", RateM = "‰ at a yearly rate";
    private const string Index = "index, 1957 = 100", IndexM = "index at a yearly rate, 1957 = 100";
    private const string Workers = "million workers, mean of the year", WorkersM = "million workers, mean of the month";

    public static IReadOnlyList<SeriesInfo> All { get; } =
    [
        new("population_yearend_m", "population", "million, end of year", "million, end of month", AxisKind.FromZero, "#1f4e79"),
        new("urban_population_m", "urban population", "million, end of year", "million, end of month", AxisKind.FromZero, "#7f7f7f"),
        new("rural_population_m", "rural population", "million, end of year", "million, end of month", AxisKind.FromZero, "#5b8c3a"),
        new("births_m", "births, true", MYear, MMonth, AxisKind.FromZero, "#2a6fb0"),
        new("births_registered_m", "births, registered", MYear, MMonth, AxisKind.FromZero, "#2a6fb0", Dashed: true),
        new("deaths_m", "deaths, true", MYear, MMonth, AxisKind.FromZero, "#b2182b"),
        new("deaths_registered_m", "deaths, registered", MYear, MMonth, AxisKind.FromZero, "#b2182b", Dashed: true),
        new("crude_birth_rate_permille", "crude birth rate, true", Rate, RateM, AxisKind.FromZero, "#2a6fb0"),
        new("crude_birth_rate_registered_permille", "crude birth rate, registered", Rate, RateM, AxisKind.FromZero, "#2a6fb0", Dashed: true),
        new("crude_death_rate_permille", "crude death rate, true", Rate, RateM, AxisKind.FromZero, "#b2182b"),
        new("crude_death_rate_registered_permille", "crude death rate, registered", Rate, RateM, AxisKind.FromZero, "#b2182b", Dashed: true),
        new("urban_crude_death_rate_permille", "urban crude death rate, registered", Rate, RateM, AxisKind.FromZero, "#7f7f7f", Dashed: true),
        new("rural_crude_death_rate_permille", "rural crude death rate, registered", Rate, RateM, AxisKind.FromZero, "#5b8c3a", Dashed: true),
        new("grain_output_mt", "grain output, real (unhusked)", MtYear, MtMonth, AxisKind.FromZero, "#8c6d1f"),
        new("grain_reported_mt", "grain output, as reported", MtYear, MtMonth, AxisKind.FromZero, "#d08c00", Dashed: true),
        new("procurement_mt", "state procurement", MtYear, MtMonth, AxisKind.FromZero, "#6a3d9a"),
        new("grain_exports_mt", "grain exports", MtYear, MtMonth, AxisKind.FromZero, "#b2182b"),
        new("grain_imports_mt", "grain imports", MtYear, MtMonth, AxisKind.FromZero, "#2a6fb0"),
        new("rural_food_per_capita_kg", "grain eaten per rural person", "kg per person a year", "kg per person, at a yearly rate", AxisKind.FromZero, "#8c6d1f"),
        new("steel_output_mt", "steel made", MtYear, MtMonth, AxisKind.FromZero, "#444444"),
        new("steel_usable_mt", "steel fit for use", MtYear, MtMonth, AxisKind.FromZero, "#2a6fb0", Dashed: true),
        new("agricultural_output_index", "agricultural output", Index, IndexM, AxisKind.FromZero, "#5b8c3a"),
        new("industrial_output_index", "industrial output", Index, IndexM, AxisKind.FromZero, "#444444"),
        new("national_output_index", "national output", Index, IndexM, AxisKind.FromZero, "#1f4e79"),
        new("labour_farming_m", "farming", Workers, WorkersM, AxisKind.FromZero, "#5b8c3a"),
        new("labour_backyard_m", "backyard furnaces", Workers, WorkersM, AxisKind.FromZero, "#b2182b"),
        new("labour_water_works_m", "water works", Workers, WorkersM, AxisKind.FromZero, "#2a6fb0"),
        new("labour_industry_m", "state industry", Workers, WorkersM, AxisKind.FromZero, "#444444"),
        new("commune_share_pct", "rural population in communes", "% at end of year", "% at end of month", AxisKind.FromZero, "#b2182b"),
        new("private_share_pct", "private-plot food as % of grain output", "%", "%", AxisKind.FromZero, "#5b8c3a", Dashed: true),
        new("rural_intake_kcal", "food intake in the villages", "kcal per person a day", "kcal per person a day, mean of the month", AxisKind.FromZero, "#8c6d1f"),
        new("rural_bmi", "adult body-mass index in the villages", "kg/m²", "kg/m², mean of the month", AxisKind.Level, "#6a3d9a"),
        new("political_pressure", "political pressure on cadres", "0-1 scale", "0-1 scale, mean of the month", AxisKind.FromZero, "#b2182b"),
        new("state_grain_stock_mt", "state grain stock", "million tonnes, end of year", "million tonnes, end of month", AxisKind.FromZero, "#6a3d9a"),
        new("rural_grain_stock_mt", "village grain stock", "million tonnes, end of year", "million tonnes, end of month", AxisKind.FromZero, "#8c6d1f"),
        new(AgriChange, "agricultural output, change", PctChange, PctChange, AxisKind.Signed, "#5b8c3a"),
        new(IndustryChange, "industrial output, change", PctChange, PctChange, AxisKind.Signed, "#444444"),
        new(NationalChange, "national output, change", PctChange, PctChange, AxisKind.Signed, "#1f4e79"),
    ];

    /// <summary>Derived columns (yearly only): 100 × (index / previous year's index − 1), NaN in the first year.</summary>
    public const string AgriChange = "agricultural_output_change_pct", IndustryChange = "industrial_output_change_pct", NationalChange = "national_output_change_pct";
    private const string PctChange = "% vs previous year";

    public static readonly IReadOnlyDictionary<string, string> DerivedFrom = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [AgriChange] = "agricultural_output_index",
        [IndustryChange] = "industrial_output_index",
        [NationalChange] = "national_output_index",
    };

    private static readonly Dictionary<string, SeriesInfo> ByColumn = All.ToDictionary(s => s.Column, StringComparer.Ordinal);

    public static SeriesInfo? Find(string column) => ByColumn.GetValueOrDefault(column);

    /// <summary>Metadata of a column; a column the catalogue does not know gets its own name as label.</summary>
    public static SeriesInfo Get(string column) =>
        Find(column) ?? new SeriesInfo(column, column.Replace('_', ' '), "", "", AxisKind.FromZero, "#444444");

    /// <summary>The yearly table with the derived % change columns appended (when their index columns exist).</summary>
    public static Table WithDerived(Table national)
    {
        var cols = national.Columns.ToList();
        foreach (var (derived, source) in DerivedFrom)
        {
            if (!national.Has(source) || national.Has(derived)) continue;
            cols.Add(Column.Of(derived, PercentChange(national.Values(source))));
        }
        return new Table(national.Name, cols);
    }

    /// <summary>100 × (v[i] / v[i−1] − 1); NaN for the first value and where the previous value is not positive.</summary>
    public static double[] PercentChange(IReadOnlyList<double> v)
    {
        var r = new double[v.Count];
        for (var i = 0; i < v.Count; i++)
            r[i] = i > 0 && v[i - 1] > 0 ? 100 * (v[i] / v[i - 1] - 1) : double.NaN;
        return r;
    }
}
