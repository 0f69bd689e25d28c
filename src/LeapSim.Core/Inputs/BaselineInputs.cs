using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using LeapSim.Core.Scenarios;

namespace LeapSim.Core.Inputs;

/// <summary>One province as given in provinces_1957.csv and provincial_leaders.csv.</summary>
public sealed record ProvinceInput(
    string Name,
    double Population1957M,
    double? UrbanSharePct,
    double? CrudeDeathRate1957RegisteredPerMille,
    double? GrainPerCapita1957Kg,
    LeaderRank LeaderRank,
    int? LeaderPolitburoSince);

/// <summary>The 1958 first secretary's Central Committee status (Kung &amp; Chen 2011 use it as a career incentive).</summary>
public enum LeaderRank { Unknown, None, Alternate, Full }

/// <summary>A year's grain trade decided by the centre (trade.csv).</summary>
public sealed record TradeInput(int Year, double? ExportsMt, double? ImportsMt);

/// <summary>A year's national crop disaster figures (disasters.csv), as shares of sown area.</summary>
public sealed record DisasterYear(int Year, double AffectedShare, double StrickenShare, string Basis);

/// <summary>
/// A national affected area in Mha (disasters.csv, scope national) for a year or a span of years (a mean a year), by
/// disaster type ("all", "drought").
/// </summary>
public sealed record DisasterArea(int FirstYear, int LastYear, string Type, double AffectedMha);

/// <summary>A drought row of disasters.csv: where (the place text: a region, a province, or the provinces a national row lists) and in which year.</summary>
public sealed record DroughtFragment(int Year, string Region, string Severity);

/// <summary>
/// Everything the model is told about the world before 1958: the 1957 baseline and the dated inputs (trade, weather).
/// Read from the copies of ../shared/data embedded in this assembly (or from streams a caller passes, e.g. in tests).
/// </summary>
public sealed class BaselineInputs
{
    public required IReadOnlyList<ProvinceInput> Provinces { get; init; }
    public required IReadOnlyDictionary<string, double> National { get; init; }
    public required IReadOnlyList<TradeInput> Trade { get; init; }
    public required IReadOnlyList<DisasterYear> Disasters { get; init; }
    public required IReadOnlyList<DroughtFragment> Droughts { get; init; }
    public required IReadOnlyList<DisasterArea> NationalAreas { get; init; }

    /// <summary>The national affected area of <paramref name="type"/> for the year or span given, or a message naming what is missing.</summary>
    public double NationalArea(int firstYear, int lastYear, string type, string purpose)
    {
        if (NationalAreas.FirstOrDefault(a => a.FirstYear == firstYear && a.LastYear == lastYear && a.Type == type) is { } found) return found.AffectedMha;
        var years = firstYear == lastYear ? $"{firstYear}" : $"{firstYear}-{lastYear}";
        throw new InputException(new SourceLocation("disasters.csv", 0, years),
            $"the national row of type '{type}' with an affected_area_mha for {years} is missing ({purpose})");
    }

    public double NationalValue(string quantity) =>
        National.TryGetValue(quantity, out var v) ? v
            : throw new InputException(new SourceLocation("national_1957.csv", 0, quantity), "quantity is missing");

    /// <summary>The files <see cref="Load"/> reads, in the order it reads them (targets.csv is for validation only).</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["national_1957.csv", "provincial_leaders.csv", "provinces_1957.csv", "trade.csv", "disasters.csv"];

    /// <summary>
    /// The national quantities the model uses, with the range a 1957 figure can take (units of national_1957.csv).
    /// Other quantities are read (any finite number ≥ 0) and kept for reference.
    /// </summary>
    public static IReadOnlyDictionary<string, (double Min, double Max)> RequiredNational { get; } =
        new Dictionary<string, (double, double)>(StringComparer.Ordinal)
        {
            ["population_yearend"] = (100, 5000),
            ["urban_population"] = (1, 2000),
            ["crude_birth_rate_estimated_true"] = (5, 80),
            ["crude_death_rate_estimated_true"] = (5, 80),
            ["crude_death_rate_registered"] = (1, 80),
            ["grain_output"] = (10, 2000),
        };

    private static readonly Lazy<BaselineInputs> EmbeddedLazy = new(() => Load(OpenEmbedded));

    /// <summary>The inputs shipped with LeapSim (copies of ../shared/data, checked equal by a test).</summary>
    public static BaselineInputs Embedded => EmbeddedLazy.Value;

    public static Stream OpenEmbedded(string fileName)
    {
        var asm = typeof(BaselineInputs).Assembly;
        var name = asm.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(".Data." + fileName, StringComparison.Ordinal))
                   ?? throw new InputException(new SourceLocation(fileName, 0, "<file>"), "embedded input file not found");
        return asm.GetManifestResourceStream(name)!;
    }

    /// <summary>Reads the input tables through <paramref name="open"/> (file name → stream).</summary>
    public static BaselineInputs Load(Func<string, Stream> open)
    {
        CsvText Read(string file)
        {
            Stream s;
            try { s = open(file); }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            { throw new InputException(new SourceLocation(file, 0, "<file>"), "the input file does not exist"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            { throw new InputException(new SourceLocation(file, 0, "<file>"), "the input file cannot be read: " + e.Message.ReplaceLineEndings(" ")); }
            using var r = new StreamReader(s, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return CsvText.Parse(r, file);
        }

        var nat = Read("national_1957.csv");
        nat.Require("quantity", "value");
        var national = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in nat.Rows)
        {
            var q = nat.Text(row, "quantity");
            var (min, max) = RequiredNational.TryGetValue(q, out var range) ? range : (0, double.MaxValue);
            var value = nat.Number(row, "value", min, max);
            if (!national.TryAdd(q, value))
                throw new InputException(new SourceLocation(nat.File, row.Line, q), "quantity given twice");
        }
        foreach (var q in RequiredNational.Keys)
            if (!national.ContainsKey(q))
                throw new InputException(new SourceLocation(nat.File, 0, q), "a quantity the model needs is missing (add a row for it)");
        if (national["urban_population"] >= national["population_yearend"])
            throw new InputException(new SourceLocation(nat.File, 0, "urban_population"), "the urban population is not smaller than the whole population");

        var leaders = Read("provincial_leaders.csv");
        leaders.Require("province", "cc_status_1958", "politburo_1958");
        var rank = new Dictionary<string, (LeaderRank, int?)>(StringComparer.Ordinal);
        foreach (var row in leaders.Rows)
        {
            var status = leaders.Text(row, "cc_status_1958").ToLowerInvariant();
            var r = status.StartsWith("full", StringComparison.Ordinal) ? LeaderRank.Full
                : status.StartsWith("alternate", StringComparison.Ordinal) ? LeaderRank.Alternate
                : status.StartsWith("none", StringComparison.Ordinal) ? LeaderRank.None
                : LeaderRank.Unknown;
            var politburo = PolitburoSince(leaders.Text(row, "politburo_1958"));
            if (!rank.TryAdd(leaders.Text(row, "province"), (r, politburo)))
                throw new InputException(new SourceLocation(leaders.File, row.Line, "province"), $"province '{leaders.Text(row, "province")}' appears twice");
        }

        var prov = Read("provinces_1957.csv");
        prov.Require("province", "population_1957_m", "urban_share_1957_pct", "cdr_1957_permille", "grain_per_capita_1957_kg");
        var provinces = new List<ProvinceInput>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in prov.Rows)
        {
            var name = prov.Text(row, "province");
            if (name.Length == 0) throw new InputException(new SourceLocation(prov.File, row.Line, "province"), "empty province name");
            if (!names.Add(name)) throw new InputException(new SourceLocation(prov.File, row.Line, "province"), $"province '{name}' appears twice");
            var (lr, pb) = rank.TryGetValue(name, out var x) ? x : (LeaderRank.Unknown, null);
            provinces.Add(new ProvinceInput(
                name,
                prov.Number(row, "population_1957_m", 0.01, 2000),
                prov.OptionalNumber(row, "urban_share_1957_pct", 0, 95), // a province needs some rural people
                prov.OptionalNumber(row, "cdr_1957_permille", 0.1, 200),
                prov.OptionalNumber(row, "grain_per_capita_1957_kg", 1, 5000),
                lr, pb));
        }
        if (provinces.Count == 0) throw new InputException(new SourceLocation(prov.File, 2, "province"), "no provinces");

        var trade = Read("trade.csv");
        trade.Require("year", "grain_exports_mt", "grain_imports_mt");
        var tradeRows = new List<TradeInput>();
        var tradeYears = new HashSet<int>();
        foreach (var r in trade.Rows)
        {
            var year = trade.Number(r, "year", 1900, 2100);
            if (year != Math.Floor(year)) throw new InputException(new SourceLocation(trade.File, r.Line, "year"), $"{year} is not a whole year");
            if (!tradeYears.Add((int)year)) throw new InputException(new SourceLocation(trade.File, r.Line, "year"), $"year {year} appears twice");
            tradeRows.Add(new TradeInput((int)year, trade.OptionalNumber(r, "grain_exports_mt", 0, 1000), trade.OptionalNumber(r, "grain_imports_mt", 0, 1000)));
        }

        var dis = Read("disasters.csv");
        dis.Require("year", "scope", "region", "disaster_type", "affected_area_mha", "stricken_area_mha",
            "affected_share_of_sown_pct", "stricken_share_of_sown_pct", "severity", "source");
        var disasters = new List<DisasterYear>();
        var droughts = new List<DroughtFragment>();
        var areas = new List<DisasterArea>();
        foreach (var row in dis.Rows)
        {
            var yearText = dis.Text(row, "year");
            // National affected areas, for a year or a span ("1950-1959": a mean a year), of any type.
            if (dis.Text(row, "scope") == "national" && dis.Text(row, "source") != "memory"
                && dis.OptionalNumber(row, "affected_area_mha", 0, 100) is { } area)
            {
                var (first, last) = IsYearSpan(yearText)
                    ? (int.Parse(yearText.AsSpan(0, 4), provider: System.Globalization.CultureInfo.InvariantCulture),
                       int.Parse(yearText.AsSpan(5, 4), provider: System.Globalization.CultureInfo.InvariantCulture))
                    : int.TryParse(yearText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) ? (y, y) : (0, 0);
                if (first > last) throw new InputException(new SourceLocation(dis.File, row.Line, "year"), $"the span {yearText} ends before it starts");
                if (first > 0) areas.Add(new DisasterArea(first, last, dis.Text(row, "disaster_type"), area));
            }
            if (IsYearSpan(yearText)) continue;
            if (!int.TryParse(yearText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year) || year < 1900 || year > 2100)
                throw new InputException(new SourceLocation(dis.File, row.Line, "year"), $"'{yearText}' is not a year (1900-2100) or a span of years such as 1950-1959");
            var scope = dis.Text(row, "scope");
            var type = dis.Text(row, "disaster_type");
            var src = dis.Text(row, "source");
            if (scope == "national" && type == "all" && src != "memory")
            {
                var affShare = dis.OptionalNumber(row, "affected_share_of_sown_pct", 0, 100);
                var strShare = dis.OptionalNumber(row, "stricken_share_of_sown_pct", 0, 100);
                // Areas cannot exceed the sown area (weather.sown_area_mha is at least 100 Mha).
                var aff = dis.OptionalNumber(row, "affected_area_mha", 0, 100);
                var str = dis.OptionalNumber(row, "stricken_area_mha", 0, 100);
                if (affShare is { } a1 && strShare is { } s1 && s1 > a1)
                    throw new InputException(new SourceLocation(dis.File, row.Line, "stricken_share_of_sown_pct"), "stricken land is more than the affected land it is part of");
                if (aff is { } a2 && str is { } s2 && s2 > a2)
                    throw new InputException(new SourceLocation(dis.File, row.Line, "stricken_area_mha"), "stricken land is more than the affected land it is part of");
                if (affShare is { } a && strShare is { } s)
                    disasters.Add(new DisasterYear(year, a / 100, s / 100, "share of sown area"));
                else if (aff is { } am && str is { } sm)
                    disasters.Add(new DisasterYear(year, am, sm, "Mha"));
            }
            // Where a year's droughts were: regional fragments, province rows, and the provinces a national drought
            // row lists in brackets ("20 provinces (Henan, Shandong, ...)"; "all provinces except Tibet" lists none).
            if (type.Contains("drought", StringComparison.Ordinal) && src != "memory")
            {
                var place = dis.Text(row, "region");
                if (scope == "national")
                {
                    var bracket = place.IndexOf('(');
                    var close = place.LastIndexOf(')');
                    place = bracket >= 0 && close > bracket ? place[(bracket + 1)..close] : "";
                }
                if (scope is "region" or "province" or "national" && place.Length > 0)
                    droughts.Add(new DroughtFragment(year, place, dis.Text(row, "severity")));
            }
        }

        return new BaselineInputs
        {
            Provinces = provinces,
            National = national,
            Trade = tradeRows,
            Disasters = disasters,
            Droughts = droughts,
            NationalAreas = areas,
        };
    }

    /// <summary>
    /// The year a first secretary joined the Politburo, from the politburo_1958 column ("member (1956)", "member from
    /// May 1958 …"): the first year 19xx in a text that starts with "member"; null otherwise (not a member, or no year).
    /// </summary>
    public static int? PolitburoSince(string text)
    {
        if (!text.StartsWith("member", StringComparison.OrdinalIgnoreCase)) return null;
        var year = Regex.Match(text, @"\b(19\d\d)\b");
        return year.Success ? int.Parse(year.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static bool IsYearSpan(string text) =>
        text.Length == 9 && text[4] == '-' && text.AsSpan(0, 4).ContainsAnyExceptInRange('0', '9') == false
        && text.AsSpan(5, 4).ContainsAnyExceptInRange('0', '9') == false;
}
