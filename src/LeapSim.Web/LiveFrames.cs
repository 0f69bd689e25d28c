using System.Text.Json;
using LeapSim.Core.Results;
using LeapSim.Report;

namespace LeapSim.Web;

/// <summary>
/// What the page shows of a run in progress, drawn with the report's own pieces (<see cref="ReportBuilder.Figure"/>,
/// <see cref="ReportBuilder.MapData"/>): the monthly charts up to the last month done, the yearly charts and the
/// province map for the years complete, each beside the historical default of the same resolution and seed.
/// Months and years not yet simulated are NaN, so the lines grow along fixed axes of time.
/// </summary>
public static class LiveFrames
{
    public const string ComparisonLabel = "historical default";

    /// <summary>The report's charts the page shows by month and by year (all of them, as in report.html).</summary>
    public static IEnumerable<ChartSpec> MonthlyCharts => ReportBuilder.Charts.Where(c => !c.YearlyOnly);
    public static IEnumerable<ChartSpec> YearlyCharts => ReportBuilder.Charts.Where(c => !c.MonthlyOnly);

    /// <summary>The monthly national table with the months from <paramref name="monthsDone"/> on blanked (NaN).</summary>
    public static Table Monthly(MonthlySeries results, int monthsDone) =>
        Blank(OutputTables.NationalMonthly(results, results.First.Year), monthsDone);

    /// <summary>The yearly national table (with the report's derived columns) with the incomplete years blanked.</summary>
    public static Table Yearly(MonthlySeries results, int monthsDone) =>
        ReportSeries.WithDerived(Blank(OutputTables.National(results, results.First.Year), monthsDone / 12));

    /// <summary>The province table of the complete years only.</summary>
    public static Table Provinces(MonthlySeries results, int monthsDone)
    {
        var full = OutputTables.Provinces(results, results.First.Year);
        var lastYear = results.First.Year + monthsDone / 12 - 1;
        var years = full.Columns[0].Integers!;
        var keep = Enumerable.Range(0, full.RowCount).Where(i => years[i] <= lastYear).ToArray();
        return new Table(full.Name, full.Columns.Select(c =>
            c.Numbers is { } n ? Column.Of(c.Name, keep.Select(i => n[i]).ToArray())
            : c.Integers is { } k ? Column.Of(c.Name, keep.Select(i => k[i]).ToArray())
            : Column.Of(c.Name, keep.Select(i => c.Texts![i]).ToArray())).ToList());
    }

    /// <summary>Every number column with its rows from <paramref name="rows"/> on set to NaN; year and month stay.</summary>
    public static Table Blank(Table t, int rows) =>
        rows >= t.RowCount ? t : new Table(t.Name, t.Columns.Select(c =>
        {
            if (c.Numbers is not { } n) return c;
            var copy = (double[])n.Clone();
            Array.Fill(copy, double.NaN, Math.Max(0, rows), copy.Length - Math.Max(0, rows));
            return Column.Of(c.Name, copy);
        }).ToList());

    /// <summary>
    /// One frame: the monthly charts' figures (HTML by chart id), and when <paramref name="withYears"/> also the yearly
    /// charts and the map data. <paramref name="baselines"/> gives the dotted comparison lines. The charts carry the
    /// values for the read-out under the mouse only in the frame of the last month: they are more than half of a
    /// frame's bytes, and the page redraws the charts several times a second while the run goes on.
    /// </summary>
    public static Frame Render(MonthlySeries results, int monthsDone, BaselinePair baselines, bool withYears)
    {
        var monthly = Monthly(results, monthsDone);
        var yearly = Yearly(results, monthsDone);
        var data = new TargetData(yearly, monthly, baselines.NoLeap.National);
        var targets = TargetCatalog.Embedded;
        var monthCharts = new Dictionary<string, string>(StringComparer.Ordinal);
        var comparison = new ChartComparison(baselines.Historical.Monthly, ComparisonLabel, OnEveryChart: true);
        var hover = monthsDone >= results.MonthCount;
        foreach (var spec in MonthlyCharts)
            if (ReportBuilder.Figure(spec, true, monthly, comparison, null, data, targets, hover) is { } html) monthCharts[spec.Id] = html;
        Dictionary<string, string>? yearCharts = null;
        string? map = null;
        if (withYears)
        {
            yearCharts = new Dictionary<string, string>(StringComparer.Ordinal);
            var yearlyComparison = new ChartComparison(ReportSeries.WithDerived(baselines.Historical.National), ComparisonLabel, OnEveryChart: true);
            foreach (var spec in YearlyCharts)
                if (ReportBuilder.Figure(spec, false, yearly, yearlyComparison, null, data, targets, hover) is { } html) yearCharts[spec.Id] = html;
            map = ReportBuilder.MapData(Provinces(results, monthsDone), results.First.Year + Math.Max(0, monthsDone / 12 - 1));
        }
        return new Frame(monthsDone, monthCharts, yearCharts, map);
    }
}

/// <summary>A frame of a run in progress: chart figures by id and the map's data (JSON), for the page to swap in.</summary>
public sealed record Frame(int MonthsDone, IReadOnlyDictionary<string, string> Monthly, IReadOnlyDictionary<string, string>? Yearly, string? MapJson)
{
    /// <param name="elapsedMs">When the frame was ready, in ms since the run's request arrived; <paramref name="renderMs"/>:
    /// how long it took to draw (both for the page's record of timings).</param>
    public string ToJson(long? elapsedMs = null, long? renderMs = null) => JsonSerializer.Serialize(new
    {
        monthsDone = MonthsDone,
        elapsedMs,
        renderMs,
        monthly = Monthly,
        yearly = Yearly,
        map = MapJson is null ? (JsonElement?)null : JsonDocument.Parse(MapJson).RootElement,
    }, RunService.Json);
}
