using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CsCheck;
using LeapSim.Core.Inputs;
using LeapSim.Core.Results;
using LeapSim.Report;
using Xunit;

namespace LeapSim.Tests.Report;

public class ReportBuilderTests(SmallRuns runs) : IClassFixture<SmallRuns>
{
    private static double Attr(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    private static XElement ParseSvg(string svg) => XElement.Parse(svg);

    private static IEnumerable<string> InlineSvgs(string html) =>
        Regex.Matches(html, "<svg[\\s\\S]*?</svg>").Select(m => m.Value);

    // ---- map projection ----

    [Theory]
    // Reference values from d3-geo 3 (npm): geoConicEqualArea().parallels([25, 47]).rotate([-105, 0]).center([0, 35]).scale(1).translate([0, 0])
    [InlineData(105, 35, 0, 0)]
    [InlineData(116.4, 39.9, 0.14973861172526273, -0.09569313595217843)]   // Beijing
    [InlineData(87.6, 43.8, -0.215846181014675, -0.17508264615076174)]     // Urumqi
    [InlineData(121.5, 31.2, 0.24176078897408756, 0.047288022180522526)]   // Shanghai
    [InlineData(91.1, 29.65, -0.20776091200867663, 0.08025664428936308)]   // Lhasa
    [InlineData(126.6, 45.75, 0.25980386952018103, -0.21878315320531994)]  // Harbin
    [InlineData(110.3, 20.0, 0.08841288380020412, 0.26066364944640497)]    // Haikou
    public void Albers_projection_matches_d3_geo(double lon, double lat, double x, double y)
    {
        var (px, py) = new AlbersProjection().Project(lon, lat);
        Assert.Equal(x, px, 12);
        Assert.Equal(y, py, 12);
    }

    [Fact]
    public void Map_frame_fits_the_bounds_into_the_box_with_north_up()
    {
        var points = new[] { (73.5, 18.0), (135.0, 53.5), (73.5, 53.5), (135.0, 18.0), (105.0, 35.0) };
        var frame = new MapFrame(new AlbersProjection(), points, 600, 10);
        var projected = points.Select(p => frame.ToPixels(p.Item1, p.Item2)).ToList();
        Assert.Equal(10, projected.Min(p => p.X), 9);
        Assert.Equal(590, projected.Max(p => p.X), 9);
        Assert.Equal(10, projected.Min(p => p.Y), 9);
        Assert.InRange(projected.Max(p => p.Y), frame.Height - 11, frame.Height - 9);
        var (harbinX, harbinY) = frame.ToPixels(126.6, 45.75);
        var (lhasaX, lhasaY) = frame.ToPixels(91.1, 29.65);
        Assert.True(harbinY < lhasaY, "north must be up");
        Assert.True(harbinX > lhasaX, "east must be right");
    }

    [Fact]
    public void Map_draws_every_1957_province_and_nothing_outside_the_model()
    {
        var svg = ParseSvg(ChinaMap.RenderSvg());
        var paths = svg.Elements("path").ToList();
        Assert.Equal(31, paths.Count);
        var drawn = paths.Select(p => p.Attribute("data-province")!.Value).ToHashSet();
        var model = BaselineInputs.Embedded.Provinces.Select(p => p.Name).ToHashSet();
        Assert.Equal(29, model.Count);
        Assert.Equal(model.Order(), drawn.Order());
        Assert.DoesNotContain(paths, p => p.Attribute("data-modern")!.Value is "Taiwan" or "Hong Kong" or "Macau");
        Assert.Equal("Sichuan", paths.Single(p => p.Attribute("data-modern")!.Value == "Chongqing").Attribute("data-province")!.Value);
        Assert.Equal("Guangdong", paths.Single(p => p.Attribute("data-modern")!.Value == "Hainan").Attribute("data-province")!.Value);
        foreach (var p in paths)
            Assert.Matches("^(M[-0-9. ]+(L[-0-9. ]+)*Z)+$", p.Attribute("d")!.Value);
    }

    [Fact]
    public void Map_marks_provinces_the_run_did_not_simulate()
    {
        var svg = ParseSvg(ChinaMap.RenderSvg(640, new HashSet<string>(SmallRuns.Provinces)));
        var active = svg.Elements("path").Where(p => p.Attribute("class")!.Value == "province").Select(p => p.Attribute("data-modern")!.Value).Order().ToList();
        Assert.Equal(["Anhui", "Chongqing", "Shanghai", "Sichuan"], active);
        Assert.Equal(27, svg.Elements("path").Count(p => p.Attribute("class")!.Value == "province absent"));
    }

    // ---- target bands ----

    private static Table National(int from, int to, params (string Name, Func<int, double> Value)[] columns)
    {
        var years = Enumerable.Range(from, to - from + 1).ToArray();
        var cols = new List<Column> { Column.Of("year", years) };
        cols.AddRange(columns.Select(c => Column.Of(c.Name, years.Select(c.Value).ToArray())));
        return new Table("national", cols);
    }

    private static Table Monthly(int from, int to, params (string Name, Func<int, int, double> Value)[] columns)
    {
        var rows = Enumerable.Range(from, to - from + 1).SelectMany(y => Enumerable.Range(1, 12).Select(m => (y, m))).ToArray();
        var cols = new List<Column> { Column.Of("year", rows.Select(r => r.y).ToArray()), Column.Of("month", rows.Select(r => r.m).ToArray()) };
        cols.AddRange(columns.Select(c => Column.Of(c.Name, rows.Select(r => c.Value(r.y, r.m)).ToArray())));
        return new Table("national_monthly", cols);
    }

    [Fact]
    public void Yearly_target_bands_sit_on_their_year_and_their_series()
    {
        var nat = National(1957, 1966, ("crude_death_rate_registered_permille", y => 10 + y % 7), ("crude_death_rate_permille", y => 20));
        var data = new TargetData(nat, Monthly(1957, 1966));
        var bands = TargetCatalog.BandsFor("crude_death_rate_registered_permille", false, data).ToList();
        Assert.Equal(["cdr_registered_1958", "cdr_registered_1959", "cdr_registered_1960", "cdr_registered_1961"], bands.Select(b => b.Target.Id));
        var b59 = bands.Single(b => b.Target.Id == "cdr_registered_1959");
        Assert.Equal((1958.6, 1959.4, 13.5, 16.5, 15.0), (b59.X0, b59.X1, b59.Low, b59.High, b59.Value));
        Assert.Empty(TargetCatalog.BandsFor("crude_death_rate_permille", false, data)); // the targets are registered rates only

        var chart = new SvgChart("t", false, "‰", AxisKind.FromZero, 1956.5, 1966.5);
        chart.Lines.Add(new ChartLine("crude_death_rate_registered_permille", "cdr", nat.Values("year"), nat.Values("crude_death_rate_registered_permille"), "#000"));
        chart.Bands.AddRange(bands);
        var svg = ParseSvg(chart.Render());
        var axis = chart.YAxis;
        var g = svg.Elements("g").Single(e => (string?)e.Attribute("data-target") == "cdr_registered_1959");
        var rect = g.Element("rect")!;
        Assert.Equal(chart.Px(1958.6), Attr(rect, "x"), 0.06);
        Assert.Equal(chart.Px(1959.4) - chart.Px(1958.6), Attr(rect, "width"), 0.11);
        Assert.Equal(chart.Py(16.5, axis), Attr(rect, "y"), 0.06);
        Assert.Equal(chart.Py(13.5, axis) - chart.Py(16.5, axis), Attr(rect, "height"), 0.11);
        // the year's tick label sits in the middle of the band
        var label = svg.Elements("g").Single(e => (string?)e.Attribute("class") == "xaxis").Elements("text").Single(t => t.Value == "1959");
        Assert.Equal(chart.Px(1959), Attr(label, "x"), 0.06);
    }

    [Fact]
    public void Monthly_and_peak_targets_cover_their_months()
    {
        var data = new TargetData(National(1957, 1966, ("national_output_index", y => 100)),
            Monthly(1957, 1966, ("commune_share_pct", (y, m) => 50), ("labour_water_works_m", (y, m) => y * 100 + m == 196001 ? 64 : 10), ("labour_backyard_m", (y, m) => 1)));
        var commune = TargetCatalog.BandsFor("commune_share_pct", true, data).Single();
        Assert.Equal("commune_share_1958", commune.Target.Id);
        Assert.Equal(1958 + 8 / 12.0, commune.X0, 9);
        Assert.Equal(1958 + 9 / 12.0, commune.X1, 9);
        Assert.Empty(TargetCatalog.BandsFor("commune_share_pct", false, data));

        var water = TargetCatalog.BandsFor("labour_water_works_m", true, data).Single();
        Assert.Equal((1959 + 9 / 12.0, 1960 + 3 / 12.0), (water.X0, water.X1));
        var result = TargetCatalog.Evaluate(water.Target, data);
        Assert.Equal(64, result.Simulated);
        Assert.True(result.WithinBand);

        var backyard = TargetCatalog.BandsFor("labour_backyard_m", true, data).Single();
        Assert.Equal((1958.0, 1959.0), (backyard.X0, backyard.X1));
        Assert.False(TargetCatalog.Evaluate(backyard.Target, data).WithinBand);
    }

    [Fact]
    public void Ratio_targets_are_drawn_as_the_index_implied_by_the_simulated_base_year_and_say_so()
    {
        var data = new TargetData(National(1957, 1966, ("national_output_index", y => y == 1957 ? 120 : 100)), Monthly(1957, 1966));
        var band = TargetCatalog.BandsFor("national_output_index", false, data).Single(b => b.Target.Id == "gnp_1962_vs_1957");
        Assert.Equal((1961.6, 1962.4), (band.X0, band.X1));
        Assert.Equal(0.8 * 120, band.Low, 9);
        Assert.Equal(1.1 * 120, band.High, 9);
        Assert.Contains("implies from the run's own 1957 value", band.Note);
        Assert.Equal(100 / 120.0, TargetCatalog.Evaluate(band.Target, data).Simulated!.Value, 12);
    }

    [Fact]
    public void Growth_targets_apply_to_the_derived_percent_change_of_the_index()
    {
        var nat = National(1957, 1962, ("industrial_output_index", y => y switch { 1957 => 100, 1958 => 150, 1959 => 180, 1960 => 200, 1961 => 120, _ => 100 }));
        var change = ReportSeries.WithDerived(nat).Values(ReportSeries.IndustryChange);
        Assert.True(double.IsNaN(change[0]));
        Assert.Equal([50, 20, 100.0 / 9, -40, -100.0 / 6], change.Skip(1).ToArray(), new Tolerance(1e-9));
        var data = new TargetData(nat, Monthly(1957, 1962));
        var ids = TargetCatalog.BandsFor(ReportSeries.IndustryChange, false, data).Select(b => b.Target.Id).ToList();
        Assert.Equal(["industry_growth_1958", "industry_change_1961", "industry_change_1962"], ids);
        var r = TargetCatalog.Evaluate(TargetCatalog.Embedded.Single(t => t.Id == "industry_change_1961"), data);
        Assert.Equal(-40, r.Simulated!.Value, 9);
        Assert.True(r.WithinBand);
    }

    [Fact]
    public void Every_target_of_targets_csv_is_measured_by_some_rule()
    {
        var data = new TargetData(runs.Default.National, runs.Default.Monthly, runs.NoLeap.National);
        var results = TargetCatalog.Evaluate(data);
        Assert.Equal(TargetCatalog.Embedded.Count, results.Count);
        Assert.All(results, r => Assert.DoesNotContain("no rule", r.Measure));
        // (the small world of this fixture may die out in the model as calibrated now, so some figures can be NaN)
        Assert.All(results.Where(r => r.Simulated is null), r => Assert.True(double.IsNaN(SimulatedOrNaN(r.Target, data)), r.Target.Id));
        var excess = results.Single(r => r.Target.Id == "excess_deaths_true");
        var expected = TargetData.Sum(runs.Default.National, "deaths_m", 1958, 1961) - TargetData.Sum(runs.NoLeap.National, "deaths_m", 1958, 1961);
        Assert.Equal(expected, excess.Simulated!.Value, 9);
        var lost = results.Single(r => r.Target.Id == "lost_births");
        Assert.Equal(TargetData.Sum(runs.NoLeap.National, "births_registered_m", 1958, 1961) - TargetData.Sum(runs.Default.National, "births_registered_m", 1958, 1961), lost.Simulated!.Value, 9);
    }

    [Fact]
    public void Report_measures_every_target_as_the_validation_scorecard_does()
    {
        // LeapSim.Core.Calibration.Targets measures from the in-memory series; the report from the written tables.
        var core = LeapSim.Core.Calibration.Targets.Measure(runs.DefaultSeries, runs.NoLeapSeries, LeapSim.Core.Calibration.Targets.Load());
        var report = TargetCatalog.Evaluate(new TargetData(runs.Default.National, runs.Default.Monthly, runs.NoLeap.National));
        Assert.Equal(core.Keys.Order(StringComparer.Ordinal), report.Select(r => r.Target.Id).Order(StringComparer.Ordinal));
        foreach (var r in report)
        {
            var expected = core[r.Target.Id];
            if (!double.IsFinite(expected)) Assert.Null(r.Simulated);
            else Assert.True(r.Simulated is { } v && Math.Abs(v - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)),
                $"{r.Target.Id}: report {r.Simulated}, scorecard {expected}");
        }
    }

    private static double SimulatedOrNaN(Target t, TargetData data) =>
        TargetCatalog.Band(t, data) is { Monthly: false } band && int.TryParse(t.Year, out var year) ? data.Year(band.Column, year) : double.NaN;

    [Fact]
    public void Counterfactual_targets_say_they_need_a_counterfactual_when_none_is_given()
    {
        var data = new TargetData(runs.Default.National, runs.Default.Monthly);
        var r = TargetCatalog.Evaluate(data).Single(r => r.Target.Id == "excess_deaths_registered");
        Assert.Null(r.Simulated);
        Assert.Null(r.WithinBand);
        Assert.Contains("none supplied", r.Measure);
    }

    // ---- chart drawing ----

    [Fact]
    public void NaN_and_infinite_values_break_lines_and_never_reach_the_svg()
    {
        var x = new double[] { 1957, 1958, 1959, 1960, 1961, 1962, 1963 };
        var y = new[] { 1, 2, double.NaN, 4, double.PositiveInfinity, 6, 7 };
        var chart = new SvgChart("nan", false, "M", AxisKind.FromZero, 1956.5, 1963.5);
        chart.Lines.Add(new ChartLine("a", "a", x, y, "#123456"));
        chart.Lines.Add(new ChartLine("b", "b", x, x.Select(_ => double.NaN).ToArray(), "#654321", Markers: true));
        chart.Ribbons.Add(new ChartRibbon("r", x, y.Select(v => v - 0.5).ToArray(), y.Select(v => v + 0.5).ToArray(), "#123456"));
        var text = chart.Render();
        Assert.DoesNotContain("NaN", text);
        Assert.DoesNotContain("Infinity", text);
        Assert.DoesNotContain("∞", text);
        var svg = ParseSvg(text);
        var a = svg.Elements("g").Single(g => (string?)g.Attribute("data-series") == "a");
        var d = a.Element("path")!.Attribute("d")!.Value;
        Assert.Equal(3, d.Count(c => c == 'M')); // 1957-58, 1960 alone, 1962-63
        Assert.Equal(2, d.Count(c => c == 'L'));
        Assert.Single(a.Elements("circle")); // the lone 1960 value is drawn as a dot
        var b = svg.Elements("g").Single(g => (string?)g.Attribute("data-series") == "b");
        Assert.Empty(b.Elements()); // nothing to draw, and no broken path
        Assert.Equal(3, svg.Elements("path").Count(p => (string?)p.Attribute("class") == "ribbon"));
        Assert.Equal(0, chart.YAxis.Low);
    }

    [Fact]
    public void A_chart_of_nothing_but_NaN_says_so_and_stays_valid()
    {
        var chart = new SvgChart("empty", true, "‰", AxisKind.FromZero, 1957, 1967);
        chart.Lines.Add(new ChartLine("a", "a", [1957.5, 1958.5], [double.NaN, double.NaN], "#000"));
        var svg = ParseSvg(chart.Render());
        Assert.Contains(svg.Elements("text"), t => t.Value == "no values in this run");
        Assert.Equal((0.0, 1.0), (chart.YAxis.Low, chart.YAxis.High));
    }

    [Fact]
    public void Stocks_and_rates_start_at_zero_and_levels_say_when_they_do_not()
    {
        var x = new double[] { 1957, 1958, 1959 };
        var stock = new SvgChart("pop", false, "million", AxisKind.FromZero, 1956.5, 1959.5);
        stock.Lines.Add(new ChartLine("p", "p", x, [640, 660, 650], "#000"));
        Assert.Equal(0, stock.YAxis.Low);
        Assert.True(stock.YAxis.High >= 660);
        Assert.DoesNotContain("axis does not start at 0", stock.Render());

        var level = new SvgChart("bmi", false, "kg/m²", AxisKind.Level, 1956.5, 1959.5);
        level.Lines.Add(new ChartLine("b", "b", x, [21, 18, 19.5], "#000"));
        Assert.InRange(level.YAxis.Low, 10, 18);
        Assert.Contains("axis does not start at 0", level.Render());

        var change = new SvgChart("chg", false, "%", AxisKind.Signed, 1956.5, 1959.5);
        change.Lines.Add(new ChartLine("c", "c", x, [30, 20, 10], "#000"));
        Assert.Equal(0, change.YAxis.Low);
        Assert.Single(ParseSvg(change.Render()).Descendants("line"), l => (string?)l.Attribute("class") == "zero");
    }

    [Theory]
    [InlineData(0, 1466.7, 0, 1500, 500)]
    [InlineData(0, 16.5, 0, 20, 5)]
    [InlineData(-38, 99.5, -50, 100, 50)]
    public void Axis_ticks_are_round_numbers_covering_the_data(double lo, double hi, double low, double high, double step)
    {
        Assert.Equal((low, high, step), SvgChart.NiceAxis(lo, hi));
    }

    [Fact]
    public void Axis_ticks_always_cover_the_data_in_a_few_round_steps()
    {
        Gen.Select(Gen.Double[-1e6, 1e6], Gen.Double[1e-3, 1e6]).Sample((lo, span) =>
        {
            var hi = lo + span;
            var (low, high, step) = SvgChart.NiceAxis(lo, hi);
            var mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-12));
            var intervals = (high - low) / step;
            // (a tick within a millionth of a step of the data counts as covering it: floating-point noise is not data)
            return low <= lo + step * 1e-6 && high >= hi - step * 1e-6
                   && new[] { 1, 2, 2.5, 5 }.Any(m => Math.Abs(mantissa - m) < 1e-9)
                   && Math.Abs(intervals - Math.Round(intervals)) < 1e-6 && intervals is >= 2 and <= 11
                   && Math.Abs(low / step - Math.Round(low / step)) < 1e-6;
        });
    }

    // ---- whole report ----

    private ReportInput Input(bool counterfactual = false, QuantileTable? quantiles = null) => new()
    {
        Tables = runs.Default,
        Scenario = runs.DefaultScenario,
        ChangedParameters = runs.DefaultChanged,
        RunJson = "{\n  \"scenario_name\": \"default\",\n  \"seed\": 1,\n  \"resolution\": \"province\"\n}\n",
        Counterfactual = counterfactual ? runs.NoLeap : null,
        Quantiles = quantiles,
    };

    [Fact]
    public void Report_is_one_self_contained_file_of_valid_inline_svg()
    {
        var html = ReportBuilder.Build(Input());
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotMatch("(src|href)\\s*=\\s*\"(https?:)?//", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("<script src", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("url(", html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("NaN", string.Concat(InlineSvgs(html)));
        var svgs = InlineSvgs(html).ToList();
        foreach (var svg in svgs) ParseSvg(svg);
        // 13 yearly and 16 monthly charts, the timeline and the map
        Assert.Equal(13, Regex.Matches(html, "<svg class=\"chart\" data-chart=\"year-").Count);
        Assert.Equal(16, Regex.Matches(html, "<svg class=\"chart\" data-chart=\"month-").Count);
        Assert.Single(svgs, s => s.StartsWith("<svg class=\"timeline\"", StringComparison.Ordinal));
        Assert.Single(svgs, s => s.StartsWith("<svg class=\"map\"", StringComparison.Ordinal));
        Assert.InRange(html.Length, 100_000, 1_000_000);
    }

    [Fact]
    public void Report_shows_every_event_of_the_resolved_scenario_and_the_run_json()
    {
        var html = ReportBuilder.Build(Input());
        var timeline = ParseSvg(InlineSvgs(html).Single(s => s.StartsWith("<svg class=\"timeline\"", StringComparison.Ordinal)));
        var dots = timeline.Elements("circle").Select(c => c.Attribute("data-event")!.Value).Order().ToList();
        Assert.Equal(runs.DefaultScenario.Events.Select(e => e.Id).Order(), dots);
        var lushan = runs.DefaultScenario.Events.Single(e => e.Id == "lushan_purge");
        Assert.Contains("1959-08 lushan_purge (politics): " + lushan.Description, timeline.Elements("circle").Single(c => c.Attribute("data-event")!.Value == "lushan_purge").Value);
        Assert.Contains("&quot;scenario_name&quot;: &quot;default&quot;", html.Replace("\"", "&quot;", StringComparison.Ordinal));
        if (runs.DefaultChanged.Count == 0) Assert.Contains("None: every parameter has its default value.", html);
        foreach (var c in runs.DefaultChanged)
            Assert.Contains($"<tr><td><code>{c.Info.Name}</code></td><td>{c.Value.ToString(CultureInfo.InvariantCulture)}</td>", html);
    }

    [Fact]
    public void Changed_parameters_are_listed_with_their_defaults()
    {
        var set = LeapSim.Core.Engine.ModuleCatalog.NewParameterSet();
        var p = set.Info(set.Values.Keys.Order(StringComparer.Ordinal).First());
        var value = p.Default == p.Max ? p.Min : p.Max;
        var html = ReportBuilder.Build(Input() with { ChangedParameters = [new ParameterChange(p, value)] });
        var row = Regex.Match(html, $"<tr><td><code>{Regex.Escape(p.Name)}</code></td><td>([^<]*)</td><td>([^<]*)</td>");
        Assert.True(row.Success, "the changed parameter has a row");
        Assert.Equal(value.ToString(CultureInfo.InvariantCulture), row.Groups[1].Value);
        Assert.Equal(p.Default.ToString(CultureInfo.InvariantCulture), row.Groups[2].Value);
        Assert.DoesNotContain("None: every parameter has its default value.", html);
    }

    [Fact]
    public void Counterfactual_gives_excess_deaths_and_dotted_lines()
    {
        var without = ReportBuilder.Build(Input());
        Assert.Contains("needs a counterfactual", without);
        Assert.DoesNotContain(":counterfactual\"", without);

        var with = ReportBuilder.Build(Input(counterfactual: true));
        var excess = TargetData.Sum(runs.Default.National, "deaths_m", 1958, 1961) - TargetData.Sum(runs.NoLeap.National, "deaths_m", 1958, 1961);
        Assert.Contains($"{excess.ToString("0.0", CultureInfo.InvariantCulture)} M excess deaths (true)", with);
        Assert.DoesNotContain("needs a counterfactual", with);
        var cfSeries = Regex.Matches(with, "data-series=\"([a-z_]+):counterfactual\"").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("crude_death_rate_permille", cfSeries);
        Assert.Contains("crude_death_rate_registered_permille", cfSeries);
    }

    [Fact]
    public void Quantiles_are_drawn_as_ribbons_on_their_yearly_series_only()
    {
        var years = Enumerable.Range(1957, 10).ToArray();
        var table = new Table("quantiles",
        [
            Column.Of("year", years),
            Column.Of("series", years.Select(_ => "crude_death_rate_permille").ToArray()),
            Column.Of("q05", years.Select(y => 10.0).ToArray()),
            Column.Of("q50", years.Select(y => 15.0).ToArray()),
            Column.Of("q95", years.Select(y => y == 1960 ? double.NaN : 30.0).ToArray()),
        ]);
        var html = ReportBuilder.Build(Input(quantiles: QuantileTable.From(table)));
        var deathRates = InlineSvgs(html).Single(s => s.Contains("data-chart=\"year-death-rates\"", StringComparison.Ordinal));
        Assert.Equal(2, Regex.Matches(deathRates, "class=\"ribbon\"").Count); // 1957-59 and 1961-66: the NaN year breaks it
        Assert.Contains("data-series=\"crude_death_rate_permille:q50\"", deathRates);
        Assert.Single(InlineSvgs(html), s => s.Contains("class=\"ribbon\"", StringComparison.Ordinal));
        Assert.DoesNotContain(InlineSvgs(ReportBuilder.Build(Input())), s => s.Contains("class=\"ribbon\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Quantile_tables_are_checked()
    {
        Table T(params Column[] c) => new("q", c);
        var bad = Assert.Throws<ArgumentException>(() => QuantileTable.From(T(Column.Of("year", [1958]), Column.Of("series", ["x"]), Column.Of("q05", [1.0]), Column.Of("q95", [2.0]))));
        Assert.Contains("no column 'q50'", bad.Message);
        var order = Assert.Throws<ArgumentException>(() => QuantileTable.From(T(Column.Of("year", [1958]), Column.Of("series", ["x"]), Column.Of("q05", [3.0]), Column.Of("q50", [2.0]), Column.Of("q95", [4.0]))));
        Assert.Contains("out of order", order.Message);
        var twice = Assert.Throws<ArgumentException>(() => QuantileTable.From(T(Column.Of("year", [1958, 1958]), Column.Of("series", ["x", "x"]), Column.Of("q05", [1.0, 1]), Column.Of("q50", [2.0, 2]), Column.Of("q95", [3.0, 3]))));
        Assert.Contains("two rows for 1958", twice.Message);
    }

    [Fact]
    public void Map_data_holds_each_simulated_province_by_year_with_procurement_share()
    {
        var html = ReportBuilder.Build(Input());
        var json = Regex.Match(html, "<script type=\"application/json\" id=\"map-data\">([\\s\\S]*?)</script>").Groups[1].Value;
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(Enumerable.Range(1957, 10), root.GetProperty("years").EnumerateArray().Select(e => e.GetInt32()));
        var share = root.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "procurement_share_pct");
        var anhui1958 = share.GetProperty("values").GetProperty("Anhui")[1].GetDouble();
        var p = runs.Default.Provinces;
        var row = Enumerable.Range(0, p.RowCount).Single(i => p.Texts("province")[i] == "Anhui" && p.Ints("year")[i] == 1958);
        Assert.Equal(Math.Round(100 * p.Values("procurement_mt")[row] / p.Values("grain_output_mt")[row], 3), anhui1958, 9);
        Assert.Equal(["Chongqing", "Sichuan"], root.GetProperty("modern").GetProperty("Sichuan").EnumerateArray().Select(e => e.GetString()).Order());
    }

    private sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps;
        public int GetHashCode(double obj) => 0;
    }
}
