using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LeapSim.Cli.Output;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Report;
using ScottPlot;
using Table = LeapSim.Core.Results.Table;

namespace LeapSim.Cli.Commands;

/// <summary>
/// `leapsim plot RUN_DIR... --series a,b --out fig.png`: a PNG or SVG chart of national series from one or more run
/// folders on shared axes, with the targets of targets.csv as bands where they apply (ScottPlot).
/// </summary>
public static class PlotCommand
{
    /// <summary>One run folder as read for plotting.</summary>
    public sealed record PlotRun(string Folder, string Label, Table National, Table? Monthly);

    public static Command Create(CliContext ctx)
    {
        var runs = new Argument<string[]>("runs") { Description = "run folders written by 'leapsim run' (one or more)", Arity = ArgumentArity.OneOrMore };
        var series = new Option<string>("--series", "-s") { Description = "national.csv columns to draw, comma-separated (same unit)", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "image to write: .png or .svg", Required = true };
        var monthly = new Option<bool>("--monthly") { Description = "draw national_monthly.csv instead of national.csv" };
        var title = new Option<string?>("--title") { Description = "chart title (default: the series' labels)" };
        var width = new Option<string>("--width") { Description = "image width in pixels", DefaultValueFactory = _ => "900" };
        var height = new Option<string>("--height") { Description = "image height in pixels", DefaultValueFactory = _ => "540" };
        var noTargets = new Option<bool>("--no-targets") { Description = "do not draw the target bands" };
        var cmd = new Command("plot", "Draw national series of one or more runs as a PNG or SVG chart, with target bands");
        cmd.Add(runs);
        cmd.Add(series);
        cmd.Add(output);
        cmd.Add(monthly);
        cmd.Add(title);
        cmd.Add(width);
        cmd.Add(height);
        cmd.Add(noTargets);
        cmd.SetAction(p =>
        {
            var names = (p.GetValue(series) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var outPath = p.GetValue(output)!;
            var format = Path.GetExtension(outPath).ToLowerInvariant();
            if (format != ".png" && format != ".svg")
                throw Bad("--out", $"'{outPath}' must end in .png or .svg");
            var w = Pixels("--width", p.GetValue(width)!);
            var h = Pixels("--height", p.GetValue(height)!);
            var isMonthly = p.GetValue(monthly);
            var loaded = (p.GetValue(runs) ?? []).Select(f => Load(f, isMonthly)).ToList();
            LabelRuns(loaded);
            var plot = Build(loaded, names, isMonthly, p.GetValue(title), !p.GetValue(noTargets), svg: format == ".svg");
            AtomicDirectory.WriteFileAtomically(outPath, s =>
            {
                var bytes = format == ".png"
                    ? plot.GetImageBytes(w, h, ImageFormat.Png)
                    : new UTF8Encoding(false).GetBytes(plot.GetSvgXml(w, h));
                s.Write(bytes);
            });
            ctx.Out.WriteLine($"wrote {Path.GetFullPath(outPath)} ({w}×{h}, {string.Join(", ", names)} from {string.Join(", ", loaded.Select(r => r.Label))})");
            return Cli.Ok;
        });
        return cmd;
    }

    private static InputException Bad(string key, string problem) => new(new SourceLocation("<command line>", 0, key), problem);

    private static int Pixels(string key, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 100 && v <= 10000 ? v
            : throw Bad(key, $"'{text}' is not a whole number of pixels from 100 to 10000");

    /// <summary>Reads national.csv (and national_monthly.csv when drawing months) of a run folder.</summary>
    public static PlotRun Load(string folder, bool monthly)
    {
        if (!Directory.Exists(folder))
            throw new InputException(new SourceLocation(folder, 0, "<folder>"), "no such run folder");
        var national = Path.Combine(folder, "national.csv");
        if (!File.Exists(national))
            throw new InputException(new SourceLocation(folder, 0, "<folder>"), "not a run folder: it has no national.csv");
        var monthlyPath = Path.Combine(folder, "national_monthly.csv");
        if (monthly && !File.Exists(monthlyPath))
            throw new InputException(new SourceLocation(folder, 0, "<folder>"), "it has no national_monthly.csv (needed by --monthly)");
        var label = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        var runJson = Path.Combine(folder, "run.json");
        if (File.Exists(runJson))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(runJson));
                if (doc.RootElement.TryGetProperty("scenario_name", out var n) && n.GetString() is { Length: > 0 } name) label = name;
            }
            catch (JsonException) { }
        }
        return new PlotRun(folder, label, ReportSeries.WithDerived(CsvTableReader.Read(national, "national")),
            File.Exists(monthlyPath) ? CsvTableReader.Read(monthlyPath, "national_monthly") : null);
    }

    /// <summary>Runs with the same scenario name are told apart by their folder.</summary>
    private static void LabelRuns(List<PlotRun> runs)
    {
        var dup = runs.GroupBy(r => r.Label, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < runs.Count; i++)
            if (dup.Contains(runs[i].Label)) runs[i] = runs[i] with { Label = $"{runs[i].Label} ({runs[i].Folder})" };
    }

    private static readonly string[] RunColors = ["#1f4e79", "#b2182b", "#5b8c3a", "#6a3d9a", "#d08c00", "#444444", "#2a9d8f", "#8c6d1f"];

    /// <summary>
    /// The chart: every (run, series) a line; target bands of the series from targets.csv; axes with units.
    /// Registered (and other dashed) series are dashed in a PNG. ScottPlot's SVG export (Skia's SVG canvas) cannot
    /// draw dashes, so for <paramref name="svg"/> they are solid lines with open square markers instead, so that true
    /// and registered lines stay distinguishable.
    /// </summary>
    public static Plot Build(IReadOnlyList<PlotRun> runs, IReadOnlyList<string> series, bool monthly, string? title, bool targets, bool svg = false)
    {
        if (series.Count == 0) throw Bad("--series", "give at least one series, e.g. --series crude_death_rate_permille");
        foreach (var s in series)
            foreach (var r in runs)
            {
                var table = monthly ? r.Monthly! : r.National;
                if (table.Has(s)) continue;
                var hint = !monthly && r.Monthly?.Has(s) == true ? " (it is monthly only: add --monthly)"
                    : $" (known: {string.Join(", ", table.Columns.Select(c => c.Name).Where(n => n is not "year" and not "month"))})";
                throw Bad("--series", $"unknown series '{s}' in {Path.Combine(r.Folder, monthly ? "national_monthly.csv" : "national.csv")}{hint}");
            }
        var infos = series.Select(ReportSeries.Get).ToList();
        var units = infos.Select(i => i.Unit(monthly)).Distinct(StringComparer.Ordinal).ToList();
        if (units.Count > 1)
            throw Bad("--series", $"the series have different units ({string.Join("; ", infos.Select(i => $"{i.Column}: {i.Unit(monthly)}"))}); plot them separately");

        var plt = new Plot();
        plt.Font.Set("DejaVu Sans");
        var values = new List<double>();
        var (xMin, xMax) = (double.MaxValue, double.MinValue);
        for (var ri = 0; ri < runs.Count; ri++)
        {
            var run = runs[ri];
            var table = monthly ? run.Monthly! : run.National;
            var years = table.Ints("year");
            var xs = monthly
                ? years.Zip(table.Ints("month"), (y, m) => y + (m - 1) / 12.0 + 1 / 24.0).ToArray()
                : years.Select(y => (double)y).ToArray();
            if (xs.Length > 0) { xMin = Math.Min(xMin, xs.Min()); xMax = Math.Max(xMax, xs.Max()); }
            for (var si = 0; si < infos.Count; si++)
            {
                var info = infos[si];
                var ys = table.Values(info.Column);
                var color = Color.FromHex(runs.Count == 1 ? info.Color : RunColors[(ri * infos.Count + si) % RunColors.Length]);
                var label = runs.Count == 1 ? info.Label : $"{run.Label}: {info.Label}";
                var first = true;
                // NaN breaks the line: each run of finite values is its own line, with the legend entry on the first.
                foreach (var (from, to) in SvgChart.Runs(ys.Length, i => double.IsFinite(ys[i])))
                {
                    var line = plt.Add.Scatter(xs[from..(to + 1)], ys[from..(to + 1)], color);
                    line.LineWidth = 2;
                    line.MarkerSize = monthly ? 0 : 5;
                    line.LinePattern = info.Dashed && !svg ? LinePattern.Dashed : LinePattern.Solid;
                    if (info.Dashed && svg)
                    {
                        line.LineWidth = 1.2f;
                        line.MarkerShape = MarkerShape.OpenSquare;
                        line.MarkerSize = monthly ? 4 : 7;
                    }
                    if (first) line.LegendText = label;
                    first = false;
                    values.AddRange(ys[from..(to + 1)]);
                }
            }
        }
        if (xMin > xMax) (xMin, xMax) = (1957, 1966);

        var bandIds = new List<string>();
        if (targets && runs.Count > 0)
        {
            var data = new TargetData(runs[0].National, runs[0].Monthly ?? EmptyMonthly);
            var bands = infos.SelectMany(i => TargetCatalog.BandsFor(i.Column, monthly, data)).ToList();
            var legendDone = false;
            foreach (var b in bands)
            {
                var rect = plt.Add.Rectangle(b.X0, b.X1, b.Low, b.High);
                rect.FillColor = Color.FromHex("#f2a541").WithAlpha(0.3);
                rect.LineColor = Color.FromHex("#c77700");
                rect.LinePattern = svg ? LinePattern.Solid : LinePattern.Dotted;
                rect.LineWidth = 1;
                var mid = plt.Add.Line(b.X0, b.Value, b.X1, b.Value);
                mid.LineColor = Color.FromHex("#c77700");
                mid.LineWidth = 1.5f;
                if (!legendDone) rect.LegendText = "target band (targets.csv, source texts)";
                legendDone = true;
                values.Add(b.Low);
                values.Add(b.High);
                bandIds.Add(b.Target.Id);
            }
        }

        // axes: rates, counts, stocks and indices start at 0; changes include 0; levels fit the data (and say so)
        var axis = infos.Any(i => i.Axis == AxisKind.Signed) ? AxisKind.Signed : infos[0].Axis;
        var finite = values.Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        double lo = finite.Min(), hi = finite.Max();
        if (axis != AxisKind.Level) { lo = Math.Min(0, lo); hi = Math.Max(0, hi); }
        var pad = (hi - lo) * 0.05 + (hi == lo ? 1 : 0);
        plt.Axes.SetLimitsY(axis == AxisKind.FromZero && lo >= 0 ? 0 : lo - pad, hi + pad);
        plt.Axes.SetLimitsX(monthly ? Math.Floor(xMin) : xMin - 0.5, monthly ? Math.Ceiling(xMax) : xMax + 0.5);
        if (axis == AxisKind.Signed)
        {
            var zero = plt.Add.HorizontalLine(0, 1, Colors.Black);
            zero.LinePattern = LinePattern.Solid;
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var y = monthly ? (int)Math.Floor(xMin) : (int)Math.Ceiling(xMin - 0.5); y <= xMax + 0.5; y++) ticks.AddMajor(y, y.ToString(CultureInfo.InvariantCulture));
        plt.Axes.Bottom.TickGenerator = ticks;

        plt.Title(title ?? string.Join("; ", infos.Select(i => i.Label)));
        plt.YLabel(units[0] + (axis == AxisKind.Level ? " (axis does not start at 0)" : ""));
        var source = $"source: LeapSim run{(runs.Count > 1 ? "s" : "")} {string.Join(", ", runs.Select(r => r.Label))}"
                     + (bandIds.Count > 0 ? "; orange bands: targets.csv (figures of the source texts)" : "");
        plt.XLabel((monthly ? "year (ticks at 1 January)" : "year") + "\n" + source);
        plt.Axes.Bottom.Label.FontSize = 13;
        plt.ShowLegend(Alignment.UpperRight);
        plt.Legend.SymbolWidth = 40; // long enough to show a dash
        return plt;
    }

    private static readonly Table EmptyMonthly = new("national_monthly", [Column.Of("year", Array.Empty<int>()), Column.Of("month", Array.Empty<int>())]);
}
