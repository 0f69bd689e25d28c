using System.Globalization;
using System.Text.RegularExpressions;
using LeapSim.Core.Inputs;
using LeapSim.Core.Results;

namespace LeapSim.Report;

/// <summary>A row of targets.csv: an outcome figure of the source texts with its tolerance band.</summary>
public sealed record Target(string Id, string Quantity, string Year, double Value, double Low, double High, string Unit, string HowMeasured, string Source);

/// <summary>
/// A target drawn on a chart: a band from <see cref="Low"/> to <see cref="High"/> over the chart's x range
/// <see cref="X0"/>..<see cref="X1"/> (years on a yearly chart; fractional years on a monthly chart).
/// <see cref="Note"/> says how the band was placed when it is not the target's figure as written (e.g. implied from a
/// simulated base year).
/// </summary>
public sealed record TargetBand(Target Target, string Column, bool Monthly, double X0, double X1, double Low, double High, double Value, string Note);

/// <summary>What one run's tables give for a target: the simulated figure, or why there is none.</summary>
public sealed record TargetResult(Target Target, double? Simulated, string Measure, bool? WithinBand, string Where);

/// <summary>The data the target rules read: the yearly table with derived columns, the monthly table, the counterfactual.</summary>
public sealed class TargetData
{
    public TargetData(Table national, Table monthly, Table? counterfactualNational = null)
    {
        National = ReportSeries.WithDerived(national);
        Monthly = monthly;
        Counterfactual = counterfactualNational;
    }

    public Table National { get; }
    public Table Monthly { get; }
    public Table? Counterfactual { get; }

    public double Year(string column, int year) => National.Has(column) ? National.AtYear(column, year) : double.NaN;

    /// <summary>The monthly values of <paramref name="column"/> from month <paramref name="from"/> to <paramref name="to"/> (inclusive, index = year*12 + month-1).</summary>
    public IEnumerable<double> Months(string column, int from, int to)
    {
        if (!Monthly.Has(column)) yield break;
        var years = Monthly.Ints("year");
        var months = Monthly.Ints("month");
        var v = Monthly.Values(column);
        for (var i = 0; i < v.Length; i++)
        {
            var m = years[i] * 12 + months[i] - 1;
            if (m >= from && m <= to) yield return v[i];
        }
    }

    public static double Sum(Table t, string column, int from, int to)
    {
        if (!t.Has(column)) return double.NaN;
        var years = t.Ints("year");
        var v = t.Values(column);
        var s = 0.0;
        var n = 0;
        for (var i = 0; i < v.Length; i++)
            if (years[i] >= from && years[i] <= to) { s += v[i]; n++; }
        return n == to - from + 1 ? s : double.NaN;
    }
}

/// <summary>
/// Reads targets.csv and says where each target applies: which column, which years (or months), and how to compute
/// the run's figure from its how_measured text. Targets are never inputs of the model; they are drawn for judging.
/// </summary>
public static class TargetCatalog
{
    /// <summary>The targets embedded in LeapSim.Core (a copy of ../shared/data/targets.csv).</summary>
    public static IReadOnlyList<Target> Embedded => EmbeddedLazy.Value;

    private static readonly Lazy<IReadOnlyList<Target>> EmbeddedLazy = new(() =>
    {
        using var s = BaselineInputs.OpenEmbedded("targets.csv");
        using var r = new StreamReader(s);
        return Read(r, "targets.csv");
    });

    public static IReadOnlyList<Target> Read(TextReader reader, string file)
    {
        var csv = CsvText.Parse(reader, file);
        csv.Require("id", "quantity", "year", "value", "low", "high", "unit", "how_measured", "source");
        return csv.Rows.Select(r => new Target(
            csv.Text(r, "id"), csv.Text(r, "quantity"), csv.Text(r, "year"),
            csv.Number(r, "value"), csv.Number(r, "low"), csv.Number(r, "high"),
            csv.Text(r, "unit"), csv.Text(r, "how_measured"), csv.Text(r, "source"))).ToList();
    }

    /// <summary>The note of a band whose target is the peak of monthly values over the band's span.</summary>
    public const string PeakNote = "the peak of the monthly values in this span";

    private static readonly Regex YearId = new(@"^(cdr_registered|grain_reported|grain_real|agri_change|industry_change|industry_growth|private_share|commune_share)_(\d{4})$", RegexOptions.CultureInvariant);
    private static readonly Regex RatioId = new(@"^gnp_(\d{4})_vs_(\d{4})$", RegexOptions.CultureInvariant);
    private static readonly Regex PeakOf = new(@"^peak of monthly (\w+)", RegexOptions.CultureInvariant);
    private static readonly Regex Between = new(@"between (\d{4})-(\d{2}) and (\d{4})-(\d{2})", RegexOptions.CultureInvariant);

    private static readonly Dictionary<string, string> YearIdColumn = new(StringComparer.Ordinal)
    {
        ["cdr_registered"] = "crude_death_rate_registered_permille",
        ["grain_reported"] = "grain_reported_mt",
        ["grain_real"] = "grain_output_mt",
        ["agri_change"] = ReportSeries.AgriChange,
        ["industry_change"] = ReportSeries.IndustryChange,
        ["industry_growth"] = ReportSeries.IndustryChange,
        ["private_share"] = "private_share_pct",
        ["commune_share"] = "commune_share_pct",
    };

    /// <summary>
    /// The bands of every target that applies to <paramref name="column"/> on a yearly or a monthly chart.
    /// A target measured as a ratio to a simulated base year (gnp_1962_vs_1957) becomes a band on the index implied
    /// from the run's own base-year value, and its note says so.
    /// </summary>
    public static IEnumerable<TargetBand> BandsFor(string column, bool monthly, TargetData data, IEnumerable<Target>? targets = null)
    {
        foreach (var t in targets ?? Embedded)
            if (Band(t, data) is { } b && b.Column == column && b.Monthly == monthly)
                yield return b;
    }

    /// <summary>Where <paramref name="t"/> is drawn, or null when it is a single figure (a sum, a share) with no place on a chart.</summary>
    public static TargetBand? Band(Target t, TargetData data)
    {
        var m = YearId.Match(t.Id);
        if (m.Success)
        {
            var column = YearIdColumn[m.Groups[1].Value];
            if (TryMonth(t.Year, out var month))
                return new TargetBand(t, column, true, MonthX(month), MonthX(month) + 1.0 / 12, t.Low, t.High, t.Value, $"at the end of {t.Year}");
            var year = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            return new TargetBand(t, column, false, year - 0.4, year + 0.4, t.Low, t.High, t.Value, "");
        }
        m = RatioId.Match(t.Id);
        if (m.Success)
        {
            var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var baseYear = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            var b = data.Year("national_output_index", baseYear);
            if (!double.IsFinite(b)) return null;
            return new TargetBand(t, "national_output_index", false, year - 0.4, year + 0.4, t.Low * b, t.High * b, t.Value * b,
                $"ratio {F(t.Low)}-{F(t.High)} of {baseYear} drawn as the index it implies from the run's own {baseYear} value ({F(b)})");
        }
        m = PeakOf.Match(t.HowMeasured);
        if (m.Success && ReportSeries.Find(m.Groups[1].Value + "_m") is { } s && PeakSpan(t) is var (from, to))
            return new TargetBand(t, s.Column, true, MonthX(from), MonthX(to) + 1.0 / 12, t.Low, t.High, t.Value, PeakNote);
        return null;
    }

    /// <summary>The run's figure for every target (what <see cref="Band"/> draws, and the single figures).</summary>
    public static IReadOnlyList<TargetResult> Evaluate(TargetData data, IEnumerable<Target>? targets = null) =>
        (targets ?? Embedded).Select(t => Evaluate(t, data)).ToList();

    public static TargetResult Evaluate(Target t, TargetData data)
    {
        var band = Band(t, data);
        var (value, measure) = Simulate(t, data, band);
        var where = band is null ? "" : (band.Monthly ? "monthly chart of " : "yearly chart of ") + band.Column;
        bool? within = value is { } v && double.IsFinite(v) ? v >= t.Low && v <= t.High : null;
        return new TargetResult(t, value is { } x && double.IsFinite(x) ? x : null, measure, within, where);
    }

    private static (double? Value, string Measure) Simulate(Target t, TargetData d, TargetBand? band)
    {
        var m = YearId.Match(t.Id);
        if (m.Success && band is not null)
        {
            if (band.Monthly && TryMonth(t.Year, out var month))
                return (d.Months(band.Column, month, month).DefaultIfEmpty(double.NaN).First(), $"{band.Column} in {t.Year}");
            var year = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            return (d.Year(band.Column, year), $"{band.Column} in {year}");
        }
        m = RatioId.Match(t.Id);
        if (m.Success)
        {
            int y = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), b = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            return (d.Year("national_output_index", y) / d.Year("national_output_index", b), $"national_output_index {y} / {b}");
        }
        m = PeakOf.Match(t.HowMeasured);
        if (m.Success && band is not null && PeakSpan(t) is var (m0, m1))
        {
            var values = d.Months(band.Column, m0, m1).Where(double.IsFinite).ToList();
            return (values.Count == 0 ? null : values.Max(), $"largest monthly {band.Column} {MonthText(m0)} to {MonthText(m1)}");
        }
        switch (t.Id)
        {
            case "natural_increase_1957":
                return ((d.Year("crude_birth_rate_registered_permille", 1957) - d.Year("crude_death_rate_registered_permille", 1957)) / 10,
                    "(registered birth rate - registered death rate) / 10 in 1957");
            case "excess_deaths_true":
            case "excess_deaths_registered":
            case "lost_births":
            {
                var (from, to) = YearRange(t.Year);
                var column = t.Id switch { "excess_deaths_true" => "deaths_m", "excess_deaths_registered" => "deaths_registered_m", _ => "births_registered_m" };
                var what = $"sum of {column} {from}-{to}";
                if (d.Counterfactual is null) return (null, what + " against a no-Leap run: none supplied");
                var run = TableSum(d.National, column, from, to);
                var cf = TableSum(d.Counterfactual, column, from, to);
                return (t.Id == "lost_births" ? cf - run : run - cf, t.Id == "lost_births" ? $"no-Leap run minus this run, {what}" : $"this run minus no-Leap run, {what}");
            }
            case "industry_growing_1959_1960":
            {
                double i58 = d.Year("industrial_output_index", 1958), i59 = d.Year("industrial_output_index", 1959), i60 = d.Year("industrial_output_index", 1960);
                return (double.IsFinite(i58 + i59 + i60) ? (i59 > i58 && i60 > i59 ? 1 : 0) : null, "1 if industrial_output_index rises in 1959 and in 1960");
            }
            case "steel_unusable_share":
            {
                var (from, to) = YearRange(t.Year);
                return (100 * (1 - TableSum(d.National, "steel_usable_mt", from, to) / TableSum(d.National, "steel_output_mt", from, to)),
                    $"100 × (1 - steel_usable_mt / steel_output_mt), summed {from}-{to}");
            }
            case "population_growth_1963_66":
            {
                var (from, to) = YearRange(t.Year);
                return ((d.Year("population_yearend_m", to) - d.Year("population_yearend_m", from - 1)) / (to - from + 1),
                    $"(population_yearend_m {to} - {from - 1}) / {to - from + 1}");
            }
        }
        return (null, "no rule in the report for this target");
    }

    private static double TableSum(Table t, string column, int from, int to) => TargetData.Sum(t, column, from, to);

    /// <summary>The months of a peak target: "between YYYY-MM and YYYY-MM" in how_measured, else the target's years.</summary>
    private static (int From, int To)? PeakSpan(Target t)
    {
        var b = Between.Match(t.HowMeasured);
        if (b.Success)
            return (MonthIndex(b.Groups[1].Value, b.Groups[2].Value), MonthIndex(b.Groups[3].Value, b.Groups[4].Value));
        var (from, to) = YearRange(t.Year);
        return from == 0 ? null : (from * 12, to * 12 + 11);
    }

    private static int MonthIndex(string year, string month) =>
        int.Parse(year, CultureInfo.InvariantCulture) * 12 + int.Parse(month, CultureInfo.InvariantCulture) - 1;

    /// <summary>"1958" → (1958, 1958); "1958-1961" → (1958, 1961); anything else → (0, 0).</summary>
    public static (int From, int To) YearRange(string text)
    {
        var parts = text.Split('-');
        if (parts.Length == 1 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var y)) return (y, y);
        if (parts.Length == 2 && parts[1].Length == 4 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b)) return (a, b);
        return (0, 0);
    }

    /// <summary>"1958-09" → month index 1958*12+8.</summary>
    private static bool TryMonth(string text, out int month)
    {
        month = 0;
        var parts = text.Split('-');
        if (parts.Length != 2 || parts[1].Length != 2) return false;
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m < 1 || m > 12) return false;
        month = y * 12 + m - 1;
        return true;
    }

    /// <summary>The x of the start of a month on a monthly chart (fractional years).</summary>
    public static double MonthX(int monthIndex) => monthIndex / 12 + (monthIndex % 12) / 12.0;

    private static string MonthText(int monthIndex) => $"{monthIndex / 12:D4}-{monthIndex % 12 + 1:D2}";

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
