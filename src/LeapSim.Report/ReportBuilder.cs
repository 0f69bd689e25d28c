using System.Globalization;
using System.Text;
using System.Text.Json;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;

namespace LeapSim.Report;

/// <summary>A chart of the report: which columns, its title and what its caption must say.</summary>
public sealed record ChartSpec(string Id, string Title, string[] Columns, string Caption, bool ShowCounterfactual = false, bool YearlyOnly = false, bool MonthlyOnly = false);

/// <summary>
/// Another run drawn beside the main one as thin dotted lines: the no-Leap counterfactual in the report (only on the
/// charts whose spec asks for it), the historical default in the web page (on every chart).
/// </summary>
public sealed record ChartComparison(Table Table, string Label, bool OnEveryChart = false);

/// <summary>
/// Builds report.html: one self-contained HTML file (styles, script, data and map inline; no network) with a summary,
/// the scenario's policy events on a timeline, every national series by year and by month with the targets of
/// targets.csv as bands, a map of the provinces, and the changed parameters and run.json.
/// </summary>
public static class ReportBuilder
{
    private const string Registered = "Registered figures are what the registration system counted (it missed many births and deaths); true figures are the model's actual events.";

    /// <summary>The charts, in page order. Columns missing from a run's tables are left out; a chart with none is skipped.</summary>
    public static IReadOnlyList<ChartSpec> Charts { get; } =
    [
        new("population", "Population", ["population_yearend_m", "urban_population_m", "rural_population_m"], "Population at the end of each year (month).", ShowCounterfactual: true),
        new("births-deaths", "Births and deaths, true and registered", ["births_m", "births_registered_m", "deaths_m", "deaths_registered_m"], Registered, ShowCounterfactual: true),
        new("death-rates", "Crude death rate, true and registered", ["crude_death_rate_permille", "crude_death_rate_registered_permille"], Registered + " The death-rate targets of the source texts are registered rates and are drawn on the registered line only.", ShowCounterfactual: true),
        new("birth-rates", "Crude birth rate, true and registered", ["crude_birth_rate_permille", "crude_birth_rate_registered_permille"], Registered, ShowCounterfactual: true),
        new("urban-rural-death-rates", "Registered death rates, cities and villages", ["urban_crude_death_rate_permille", "rural_crude_death_rate_permille"], "Both lines are registered rates (deaths as registered per 1000 mid-year urban or rural population)."),
        new("grain", "Grain: real harvest, reported harvest and procurement", ["grain_output_mt", "grain_reported_mt", "procurement_mt"], "Real output is unhusked grain including private plots; reported output is what went up the hierarchy; procurement is what the state took from the villages.", ShowCounterfactual: true),
        new("grain-trade", "Grain exports and imports", ["grain_exports_mt", "grain_imports_mt"], "Grain trade of the centre."),
        new("food", "Grain eaten per rural person", ["rural_food_per_capita_kg"], "Grain eaten in the villages (families and dining halls) per rural person, unhusked weight.", ShowCounterfactual: true),
        new("intake", "Food intake in the villages", ["rural_intake_kcal"], "Mean food intake per person in the villages.", MonthlyOnly: true),
        new("bmi", "Adult body-mass index in the villages", ["rural_bmi"], "Mean adult body-mass index in the villages; the axis fits the data.", MonthlyOnly: true),
        new("labour", "Rural and industrial labour by use", ["labour_farming_m", "labour_backyard_m", "labour_water_works_m", "labour_industry_m"], "Workers by what they worked at. The labour targets are peaks of monthly values and are drawn on the monthly chart."),
        new("steel", "Steel: made and fit for use", ["steel_output_mt", "steel_usable_mt"], "Steel from modern plants and backyard furnaces, and the part of it fit for use. The target on the unusable share (1958-60) is in the targets table above."),
        new("output-index", "Output indices", ["agricultural_output_index", "industrial_output_index", "national_output_index"], "Gross output indices, 1957 = 100."),
        new("output-change", "Output change against the previous year", [ReportSeries.AgriChange, ReportSeries.IndustryChange, ReportSeries.NationalChange], "Computed from the simulated yearly indices: 100 × (index / previous year's index - 1). The growth targets of the source texts are stated this way and are drawn as they are written.", YearlyOnly: true),
        new("communes", "Communes and private plots", ["commune_share_pct", "private_share_pct"], "Share of the rural population in people's communes, and food from private plots as a share of grain output."),
        new("stocks", "Grain stocks", ["state_grain_stock_mt", "rural_grain_stock_mt"], "Grain held by the state and in the villages at the end of each month.", MonthlyOnly: true),
        new("pressure", "Political pressure on cadres", ["political_pressure"], "The model's political pressure on cadres, 0 (none) to 1 (the height of a campaign).", MonthlyOnly: true),
    ];

    /// <summary>The map's choices: key, label, unit, whether low values are the bad end of the colour scale.</summary>
    public static IReadOnlyList<(string Key, string Label, string Unit, bool LowIsBad)> MapSeries { get; } =
    [
        ("crude_death_rate_permille", "crude death rate, true", "‰", false),
        ("crude_death_rate_registered_permille", "crude death rate, registered", "‰", false),
        ("rural_food_per_capita_kg", "grain eaten per rural person", "kg per person a year", true),
        ("procurement_share_pct", "procurement share (procurement / grain output)", "% of grain output", false),
    ];

    public static string Build(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var national = ReportSeries.WithDerived(input.Tables.National);
        var monthly = input.Tables.Monthly;
        var cf = input.Counterfactual is null ? null : ReportSeries.WithDerived(input.Counterfactual.National);
        var targets = input.Targets ?? TargetCatalog.Embedded;
        var data = new TargetData(input.Tables.National, monthly, input.Counterfactual?.National);
        var facts = RunFacts.Parse(input.RunJson);
        var scenario = input.Scenario;

        var sb = new StringBuilder(1 << 20);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>LeapSim report: ").Append(Html.Text(scenario.Name)).Append("</title>\n<style>\n")
            .Append(ChinaMap.ReadAsset("report.css")).Append("\n</style>\n</head>\n<body>\n");

        // ---- summary ----
        sb.Append("<header><h1>LeapSim run: <span class=\"scenario\">").Append(Html.Text(scenario.Name)).Append("</span></h1>\n");
        if (scenario.Description.Length > 0) sb.Append("<p class=\"desc\">").Append(Html.Text(scenario.Description)).Append("</p>\n");
        sb.Append("<p class=\"facts\">").Append(Html.Text(facts.Describe(scenario, national))).Append("</p>\n");
        sb.Append("<p class=\"warn\">Model output, not historical data. Orange bands are the figures of the source texts (targets.csv) with their tolerance; the model is never told them.</p>\n");
        sb.Append("<nav><a href=\"#summary\">Summary</a><a href=\"#events\">Policy events</a><a href=\"#targets\">Targets</a><a href=\"#charts\">Charts</a><a href=\"#map\">Provinces</a><a href=\"#parameters\">Parameters and run.json</a><a href=\"#sources\">Sources</a></nav>\n</header>\n<main>\n");

        sb.Append("<section id=\"summary\"><h2>Summary</h2>\n<div class=\"cards\">\n");
        foreach (var card in Headline.Cards(national, cf, input.CounterfactualLabel, data, targets)) sb.Append(card);
        sb.Append("</div>\n</section>\n");

        // ---- events ----
        sb.Append("<section id=\"events\"><h2>Policy events of the scenario</h2>\n");
        var (first, last) = YearSpan(national);
        sb.Append(Timeline.Render(scenario.Events, first, last + 1));
        sb.Append("<p class=\"caption\">Each dot is a dated event of the resolved scenario (hover for its description); rows are policies. Hollow grey dots are events the scenario switches off.</p>\n");
        sb.Append(EventsTable(scenario.Events)).Append("</section>\n");

        // ---- targets ----
        sb.Append("<section id=\"targets\"><h2>Targets: how this run compares</h2>\n");
        sb.Append(TargetsTable(TargetCatalog.Evaluate(data, targets))).Append("</section>\n");

        // ---- charts ----
        sb.Append("<section id=\"charts\"><h2>National series</h2>\n<div class=\"tabs\" role=\"tablist\"><button type=\"button\" data-tab=\"year\" class=\"active\">By year</button><button type=\"button\" data-tab=\"month\">By month</button></div>\n");
        foreach (var monthlyPanel in new[] { false, true })
        {
            sb.Append("<div class=\"panel\" data-panel=\"").Append(monthlyPanel ? "month\" hidden" : "year\"").Append(">\n");
            if (monthlyPanel) sb.Append("<p class=\"caption\">Monthly values: stocks at the end of the month; flows (births, deaths, grain, steel) in the month; rates and indices at a yearly rate (× 12). Grain is harvested in a few months of the year, so its monthly line is spiky.</p>\n");
            sb.Append("<div class=\"grid\">\n");
            foreach (var spec in Charts)
            {
                if (monthlyPanel ? spec.YearlyOnly : spec.MonthlyOnly) continue;
                var comparison = monthlyPanel || cf is null ? null : new ChartComparison(cf, input.CounterfactualLabel);
                var fig = Figure(spec, monthlyPanel, monthlyPanel ? monthly : national, comparison, input.Quantiles, data, targets);
                if (fig is not null) sb.Append(fig);
            }
            sb.Append("</div>\n</div>\n");
        }
        sb.Append("</section>\n");

        // ---- map ----
        sb.Append(MapSection(input.Tables.Provinces, national));
        sb.Append("<script type=\"application/json\" id=\"map-data\">").Append(Html.ScriptJson(MapData(input.Tables.Provinces, WorstYear(national)))).Append("</script>\n");

        // ---- parameters and run.json ----
        sb.Append("<section id=\"parameters\"><h2>Parameters changed from their defaults</h2>\n").Append(ParametersTable(input.ChangedParameters));
        sb.Append("<h3>run.json</h3>\n");
        sb.Append(input.RunJson is null ? "<p>No run.json was given to the report.</p>\n" : "<pre class=\"json\">" + Html.Text(input.RunJson) + "</pre>\n");
        sb.Append("</section>\n");

        // ---- sources ----
        sb.Append("<section id=\"sources\"><h2>Sources and notes</h2>\n<ul>\n");
        sb.Append("<li>All lines are this run's tables (national.csv, national_monthly.csv, provinces.csv) written next to this file.</li>\n");
        sb.Append("<li>Targets: targets.csv; sources named in each band's tooltip and in the targets table: ")
            .Append(Html.Text(string.Join("; ", targets.Select(t => t.Source).Distinct(StringComparer.Ordinal)))).Append(".</li>\n");
        sb.Append("<li>").Append(Html.Text(ChinaMap.Attribution)).Append("</li>\n");
        if (input.Quantiles is not null) sb.Append("<li>Shaded ribbons: 5-95 % of the ensemble's runs, with the median as a thin line.</li>\n");
        if (input.Counterfactual is not null) sb.Append("<li>Dotted lines: the ").Append(Html.Text(input.CounterfactualLabel)).Append(" (counterfactual).</li>\n");
        sb.Append("</ul>\n</section>\n</main>\n");
        sb.Append("<div id=\"tooltip\" class=\"tooltip\" hidden></div>\n<script>\n").Append(ChinaMap.ReadAsset("leapsim.js")).Append("\n").Append(ChinaMap.ReadAsset("report.js")).Append("\n</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static (int First, int Last) YearSpan(Table national)
    {
        var years = national.Ints("year");
        return years.Length == 0 ? (1957, 1966) : (years.Min(), years.Max());
    }

    /// <summary>
    /// One chart with its legend and caption (a &lt;figure&gt; with id fig-year-ID or fig-month-ID), or null when the
    /// table has none of its columns. <paramref name="table"/> is a yearly table (national.csv) or, when
    /// <paramref name="monthly"/>, a monthly one (national_monthly.csv); NaN values (months not yet simulated) break
    /// the lines. The comparison must have the same frequency; quantiles are drawn on yearly charts only.
    /// <paramref name="hover"/>: with the values for the read-out under the mouse (<see cref="SvgChart.Render"/>).
    /// </summary>
    public static string? Figure(ChartSpec spec, bool monthly, Table table, ChartComparison? comparison, QuantileTable? quantiles, TargetData data, IReadOnlyList<Target> targets, bool hover = true)
    {
        var columns = spec.Columns.Where(table.Has).ToList();
        if (columns.Count == 0 || table.RowCount == 0) return null;
        var years = table.Ints("year");
        var xs = TimeAxis(table, monthly);
        var (first, last) = (years.Min(), years.Max());
        var info = columns.Select(ReportSeries.Get).ToList();
        var chart = new SvgChart((monthly ? "month-" : "year-") + spec.Id, monthly, info[0].Unit(monthly), info.Any(i => i.Axis == AxisKind.Signed) ? AxisKind.Signed : info[0].Axis,
            monthly ? first : first - 0.5, monthly ? last + 1 : last + 0.5);

        var legend = new StringBuilder();
        foreach (var s in info)
        {
            if (!monthly && quantiles?.For(s.Column) is { } q)
            {
                var qx = q.Years.Select(y => (double)y).ToArray();
                chart.Ribbons.Add(new ChartRibbon($"{s.Label}: 5-95 % of the ensemble", qx, q.Q05, q.Q95, s.Color));
                chart.Lines.Add(new ChartLine(s.Column + ":q50", $"{s.Label}, ensemble median", qx, q.Q50, s.Color, null, 1, Opacity: 0.7));
                legend.Append(LegendItem(s.Color, null, $"{s.Label}: ensemble 5-95 % and median", ribbon: true));
            }
        }
        foreach (var s in info)
        {
            var dash = s.Dashed ? "6 4" : null;
            chart.Lines.Add(new ChartLine(s.Column, s.Label, xs, table.Values(s.Column), s.Color, dash, 2, Markers: !monthly));
            legend.Append(LegendItem(s.Color, dash, s.Label));
        }
        if (comparison is not null && (spec.ShowCounterfactual || comparison.OnEveryChart))
        {
            var cx = TimeAxis(comparison.Table, monthly);
            foreach (var s in info.Where(s => comparison.Table.Has(s.Column)))
            {
                chart.Lines.Add(new ChartLine(s.Column + ":counterfactual", $"{s.Label}, {comparison.Label}", cx, comparison.Table.Values(s.Column), s.Color, "2 3", 1.5, Opacity: 0.75));
                legend.Append(LegendItem(s.Color, "2 3", $"{s.Label}, {comparison.Label}"));
            }
        }
        foreach (var s in info)
            chart.Bands.AddRange(TargetCatalog.BandsFor(s.Column, monthly, data, targets));
        var bands = chart.Bands.Where(b => b.X1 > chart.X0 && b.X0 < chart.X1).ToList();
        if (bands.Count > 0)
            legend.Append("<li><span class=\"swatch band\"></span>target band (targets.csv)")
                .Append(bands.Select(b => b.Column).Distinct().Count() > 1 ? "; its edge has the colour of its series" : "").Append("</li>");

        var caption = new StringBuilder(Html.Text(spec.Caption));
        caption.Append(" Unit: ").Append(Html.Text(chart.Unit)).Append(". Source: this run's ").Append(monthly ? "national_monthly.csv" : "national.csv").Append('.');
        if (bands.Count > 0)
        {
            caption.Append(" Orange bands: ").Append(Html.Text(string.Join(", ", bands.Select(b => b.Target.Id))))
                .Append(" (").Append(Html.Text(string.Join("; ", bands.Select(b => b.Target.Source).Distinct(StringComparer.Ordinal)))).Append("); hover a band for its figure.");
            const string peak = TargetCatalog.PeakNote;
            foreach (var b in bands.Where(b => b.Note.Length > 0 && b.Note != peak))
                caption.Append(' ').Append(Html.Text($"{b.Target.Id}: {b.Note}."));
            if (bands.Any(b => b.Note == peak))
                caption.Append(" Peak targets: the highest monthly value in the shaded span should fall in the band.");
        }
        var id = (monthly ? "fig-month-" : "fig-year-") + spec.Id;
        return $"<figure class=\"fig\" id=\"{id}\"><h3>{Html.Text(spec.Title)}</h3>{chart.Render(hover)}<ul class=\"legend\">{legend}</ul><figcaption>{caption}</figcaption></figure>\n";
    }

    /// <summary>x of each row in years: the year on yearly tables, the middle of the month on monthly ones.</summary>
    private static double[] TimeAxis(Table table, bool monthly)
    {
        var years = table.Ints("year");
        return monthly
            ? years.Zip(table.Ints("month"), (y, m) => y + (m - 1) / 12.0 + 1 / 24.0).ToArray()
            : years.Select(y => (double)y).ToArray();
    }

    private static string LegendItem(string color, string? dash, string label, bool ribbon = false) =>
        ribbon
            ? $"<li><svg class=\"sw\" viewBox=\"0 0 28 10\"><rect x=\"0\" y=\"1\" width=\"28\" height=\"8\" fill=\"{Html.Attr(color)}\" opacity=\"0.2\"/><line x1=\"0\" x2=\"28\" y1=\"5\" y2=\"5\" stroke=\"{Html.Attr(color)}\" stroke-width=\"1\"/></svg>{Html.Text(label)}</li>"
            : $"<li><svg class=\"sw\" viewBox=\"0 0 28 10\"><line x1=\"0\" x2=\"28\" y1=\"5\" y2=\"5\" stroke=\"{Html.Attr(color)}\" stroke-width=\"2.5\"{(dash is null ? "" : $" stroke-dasharray=\"{Html.Attr(dash)}\"")}/></svg>{Html.Text(label)}</li>";

    private static string EventsTable(IReadOnlyList<PolicyEvent> events)
    {
        var sb = new StringBuilder("<details><summary>All ");
        sb.Append(events.Count.ToString(CultureInfo.InvariantCulture)).Append(" events as a table</summary>\n<table class=\"events\"><thead><tr><th>date</th><th>id</th><th>policy</th><th>description</th><th>settings</th><th>on</th></tr></thead><tbody>\n");
        foreach (var e in events.OrderBy(e => e.Date).ThenBy(e => e.Id, StringComparer.Ordinal))
        {
            var settings = string.Join(", ", e.Settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} = {s.Value.ToString(CultureInfo.InvariantCulture)}"));
            sb.Append(e.Enabled ? "<tr>" : "<tr class=\"off\">")
                .Append("<td>").Append(e.Date.ToString()).Append("</td><td><code>").Append(Html.Text(e.Id)).Append("</code></td><td>")
                .Append(Html.Text(e.Policy)).Append("</td><td>").Append(Html.Text(e.Description)).Append("</td><td>").Append(Html.Text(settings))
                .Append("</td><td>").Append(e.Enabled ? "yes" : "off").Append("</td></tr>\n");
        }
        return sb.Append("</tbody></table></details>\n").ToString();
    }

    private static string TargetsTable(IReadOnlyList<TargetResult> results)
    {
        var sb = new StringBuilder("<table class=\"targets\"><thead><tr><th>target</th><th>quantity</th><th>when</th><th>source figure (band)</th><th>this run</th><th>in band</th><th>how the run's figure is measured</th></tr></thead><tbody>\n");
        foreach (var r in results)
        {
            var t = r.Target;
            var mark = r.WithinBand switch { true => "<td class=\"ok\">yes</td>", false => "<td class=\"bad\">no</td>", null => "<td class=\"na\">-</td>" };
            sb.Append("<tr><td><code>").Append(Html.Text(t.Id)).Append("</code></td><td>").Append(Html.Text(t.Quantity)).Append("</td><td>").Append(Html.Text(t.Year))
                .Append("</td><td>").Append(Html.Text($"{SvgChart.Num(t.Value)} ({SvgChart.Num(t.Low)}-{SvgChart.Num(t.High)}) {t.Unit}")).Append("</td><td>")
                .Append(r.Simulated is { } v ? Html.Text(SvgChart.Num(v)) : "n/a").Append("</td>").Append(mark).Append("<td>").Append(Html.Text(r.Measure))
                .Append(r.Where.Length > 0 ? Html.Text($"; drawn on the {r.Where}") : "").Append("</td></tr>\n");
        }
        return sb.Append("</tbody></table>\n<p class=\"caption\">Source figures and bands: targets.csv (the digest of the two source texts). The run's figure is read from its tables as the how_measured column of targets.csv says.</p>\n").ToString();
    }

    private static string ParametersTable(IReadOnlyList<ParameterChange> changed)
    {
        if (changed.Count == 0) return "<p>None: every parameter has its default value.</p>\n";
        var sb = new StringBuilder("<table class=\"params\"><thead><tr><th>parameter</th><th>value</th><th>default</th><th>unit</th><th>range</th><th>description</th><th>source</th></tr></thead><tbody>\n");
        foreach (var (info, value) in changed.OrderBy(c => c.Info.Name, StringComparer.Ordinal))
            sb.Append("<tr><td><code>").Append(Html.Text(info.Name)).Append("</code></td><td>").Append(value.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(info.Default.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(Html.Text(info.Unit))
                .Append("</td><td>").Append(Html.Text($"{info.Min.ToString(CultureInfo.InvariantCulture)} to {info.Max.ToString(CultureInfo.InvariantCulture)}"))
                .Append("</td><td>").Append(Html.Text(info.Description)).Append("</td><td>").Append(Html.Text(info.Source)).Append("</td></tr>\n");
        return sb.Append("</tbody></table>\n").ToString();
    }

    /// <summary>
    /// The map's data (JSON for the page's script): for every map series, each simulated 1957 province's values by year
    /// (the years of <paramref name="provinces"/>, which may be a run's first years only).
    /// </summary>
    public static string MapData(Table provinces, int defaultYear)
    {
        var years = provinces.RowCount == 0 ? [] : provinces.Ints("year").Distinct().Order().ToArray();
        var names = provinces.RowCount == 0 ? [] : provinces.Texts("province").Distinct(StringComparer.Ordinal).ToArray();
        var rowYears = provinces.RowCount == 0 ? [] : provinces.Ints("year");
        var rowNames = provinces.RowCount == 0 ? [] : provinces.Texts("province");
        double[] Column(string key)
        {
            if (key == "procurement_share_pct")
            {
                var p = provinces.Values("procurement_mt");
                var g = provinces.Values("grain_output_mt");
                return p.Zip(g, (a, b) => b > 0 ? 100 * a / b : double.NaN).ToArray();
            }
            return provinces.Has(key) ? provinces.Values(key) : Enumerable.Repeat(double.NaN, provinces.RowCount).ToArray();
        }
        var series = MapSeries.Select(s =>
        {
            var v = Column(s.Key);
            var values = names.ToDictionary(n => n, _ => new double?[years.Length], StringComparer.Ordinal);
            for (var i = 0; i < provinces.RowCount; i++)
                values[rowNames[i]][Array.IndexOf(years, rowYears[i])] = double.IsFinite(v[i]) ? Math.Round(v[i], 3) : null;
            return (s.Key, s.Label, s.Unit, s.LowIsBad, Values: values);
        }).ToList();
        var modern = ChinaMap.Mapping.Where(m => m.Province1957.Length > 0).GroupBy(m => m.Province1957, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(m => m.ModernName).ToArray(), StringComparer.Ordinal);
        var notes = ChinaMap.Mapping.Where(m => m.Province1957.Length > 0 && m.Note.Length > 0)
            .ToDictionary(m => m.ModernName, m => m.Note, StringComparer.Ordinal);
        return JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("years");
            foreach (var y in years) w.WriteNumberValue(y);
            w.WriteEndArray();
            w.WriteNumber("defaultYear", defaultYear);
            w.WriteStartArray("series");
            foreach (var s in series)
            {
                w.WriteStartObject();
                w.WriteString("key", s.Key);
                w.WriteString("label", s.Label);
                w.WriteString("unit", s.Unit);
                w.WriteBoolean("lowIsBad", s.LowIsBad);
                w.WriteStartObject("values");
                foreach (var (name, byYear) in s.Values) JsonText.Numbers(w, name, byYear);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("modern");
            foreach (var (province, modernNames) in modern)
            {
                w.WriteStartArray(province);
                foreach (var m in modernNames) w.WriteStringValue(m);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteStartObject("notes");
            foreach (var (name, note) in notes) w.WriteString(name, note);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>The year the map opens on: the one with the highest true crude death rate.</summary>
    private static int WorstYear(Table national)
    {
        var years = national.Ints("year");
        var cdr = national.Has("crude_death_rate_permille") ? national.Values("crude_death_rate_permille") : [];
        return years.Length == 0 ? 1957 : years[Enumerable.Range(0, years.Length).OrderByDescending(i => double.IsFinite(cdr.ElementAtOrDefault(i)) ? cdr[i] : double.MinValue).First()];
    }

    private static string MapSection(Table provinces, Table national)
    {
        var simulated = provinces.RowCount == 0 ? new HashSet<string>() : provinces.Texts("province").ToHashSet(StringComparer.Ordinal);
        var years = national.Ints("year");
        return MapSection(simulated, years.DefaultIfEmpty(1957).Min(), years.DefaultIfEmpty(1957).Max(), WorstYear(national), "this run's provinces.csv");
    }

    /// <summary>
    /// The province map's section without its data: the series choice, the year slider, the map (provinces not in
    /// <paramref name="simulated"/> drawn grey), its legend and table. The page's script (LeapSim.provinceMap in
    /// leapsim.js) colours it from the JSON of <see cref="MapData"/>.
    /// </summary>
    public static string MapSection(IReadOnlySet<string>? simulated, int firstYear, int lastYear, int year, string source)
    {
        var sb = new StringBuilder("<section id=\"map\"><h2>Provinces</h2>\n");
        sb.Append("<div class=\"map-controls\"><label>Colour by <select id=\"map-series\">");
        foreach (var s in MapSeries) sb.Append("<option value=\"").Append(Html.Attr(s.Key)).Append("\">").Append(Html.Text(s.Label)).Append("</option>");
        sb.Append("</select></label><label>Year <input type=\"range\" id=\"map-year\" min=\"").Append(firstYear)
            .Append("\" max=\"").Append(lastYear).Append("\" step=\"1\" value=\"").Append(year).Append("\"></label><output id=\"map-year-label\">")
            .Append(year).Append("</output><button type=\"button\" id=\"map-play\">play</button></div>\n");
        sb.Append("<div class=\"map-wrap\"><div class=\"map-box\">").Append(ChinaMap.RenderSvg(640, simulated)).Append("<div id=\"map-legend\" class=\"map-legend\"></div></div>");
        sb.Append("<div class=\"map-side\"><table id=\"map-table\" class=\"map-table\"></table></div></div>\n");
        sb.Append("<p class=\"caption\">Colour: the chosen series in the chosen year, on one scale from 0 to its largest value over all provinces and years (so years can be compared). Hover a province for its figures. Grey: not simulated in this run. ")
            .Append("Source: ").Append(Html.Text(source)).Append(". Registered and true death rates are separate choices. ").Append(Html.Text(ChinaMap.Attribution)).Append("</p>\n</section>\n");
        return sb.ToString();
    }
}
