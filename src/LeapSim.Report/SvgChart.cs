using System.Globalization;
using System.Text;

namespace LeapSim.Report;

/// <summary>A line of a chart: x in years (fractional on monthly charts), y in the chart's unit; NaN breaks the line.</summary>
public sealed record ChartLine(string Key, string Label, double[] X, double[] Y, string Color, string? Dash = null, double StrokeWidth = 2, bool Markers = false, double Opacity = 1);

/// <summary>A shaded band between two lines (ensemble quantiles), drawn where both ends are numbers.</summary>
public sealed record ChartRibbon(string Label, double[] X, double[] Low, double[] High, string Color);

/// <summary>
/// A line chart rendered as inline SVG: gridlines, labelled axes with the unit, target bands, ensemble ribbons and
/// lines. The value axis includes 0 unless the axis kind is <see cref="AxisKind.Level"/>, in which case the chart says
/// so. NaN and infinite values never reach the SVG: they break a line into segments (a lone value is drawn as a dot).
/// </summary>
public sealed class SvgChart
{
    public const double Width = 640, Height = 300;
    public const double Left = 66, Right = 14, Top = 14, Bottom = 30;

    public SvgChart(string id, bool monthly, string unit, AxisKind axis, double x0, double x1)
    {
        if (!(x1 > x0)) throw new ArgumentException($"chart {id}: empty x range {x0}..{x1}");
        Id = id;
        Monthly = monthly;
        Unit = unit;
        Axis = axis;
        X0 = x0;
        X1 = x1;
    }

    public string Id { get; }
    public bool Monthly { get; }
    public string Unit { get; }
    public AxisKind Axis { get; }
    public double X0 { get; }
    public double X1 { get; }
    public List<ChartLine> Lines { get; } = [];
    public List<ChartRibbon> Ribbons { get; } = [];
    public List<TargetBand> Bands { get; } = [];

    /// <summary>The value axis: lowest and highest tick and the step, fixed when <see cref="Render"/> runs.</summary>
    public (double Low, double High, double Step) YAxis => ComputeYAxis();

    public double Px(double x) => Left + (x - X0) / (X1 - X0) * (Width - Left - Right);

    public double Py(double y, (double Low, double High, double Step) axis) =>
        Top + (axis.High - y) / (axis.High - axis.Low) * (Height - Top - Bottom);

    /// <param name="hover">With the values of every line for the read-out under the mouse (<c>data-hover</c>, more than
    /// half of a chart's bytes); a page that redraws a chart many times as a run goes on leaves them out until the end.</param>
    public string Render(bool hover = true)
    {
        var axis = ComputeYAxis();
        var sb = new StringBuilder();
        sb.Append(Inv($"<svg class=\"chart\" data-chart=\"{Html.Attr(Id)}\" data-freq=\"{(Monthly ? "month" : "year")}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" preserveAspectRatio=\"xMidYMid meet\""));
        if (hover) sb.Append(" data-hover=\"").Append(Html.Attr(HoverJson())).Append('"');
        sb.Append('>');

        // gridlines and value ticks
        sb.Append("<g class=\"grid\">");
        var decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(axis.Step) + 1e-9));
        for (var v = axis.Low; v <= axis.High + axis.Step * 1e-6; v += axis.Step)
        {
            var y = Py(v, axis);
            var zero = Math.Abs(v) < axis.Step * 1e-6;
            sb.Append(Inv($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:F1}\" y2=\"{y:F1}\" class=\"{(zero && Axis == AxisKind.Signed ? "zero" : "gl")}\"/>"));
            sb.Append(Inv($"<text x=\"{Left - 5}\" y=\"{y + 3.5:F1}\" class=\"yt\">{(zero ? 0 : v).ToString("N" + decimals, CultureInfo.InvariantCulture)}</text>"));
        }
        sb.Append("</g>");

        // time ticks: a tick at every year; on monthly charts the label sits in the middle of its year
        sb.Append("<g class=\"xaxis\">");
        var first = (int)Math.Ceiling(X0 - 1e-9);
        for (var year = first; year <= X1 + 1e-9; year++)
        {
            var x = Px(year);
            if (Monthly)
            {
                sb.Append(Inv($"<line x1=\"{x:F1}\" x2=\"{x:F1}\" y1=\"{Top}\" y2=\"{Height - Bottom + 4}\" class=\"vl\"/>"));
                if (year + 1 <= X1 + 1e-9)
                    sb.Append(Inv($"<text x=\"{Px(year + 0.5):F1}\" y=\"{Height - Bottom + 16}\" class=\"xt\">{year}</text>"));
            }
            else
            {
                sb.Append(Inv($"<line x1=\"{x:F1}\" x2=\"{x:F1}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom + 4}\" class=\"tick\"/>"));
                sb.Append(Inv($"<text x=\"{x:F1}\" y=\"{Height - Bottom + 16}\" class=\"xt\">{year}</text>"));
            }
        }
        sb.Append(Inv($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom}\" class=\"axis\"/>"));
        sb.Append(Inv($"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" class=\"axis\"/>"));
        sb.Append("</g>");
        var mid = Top + (Height - Top - Bottom) / 2;
        sb.Append(Inv($"<text class=\"yl\" transform=\"translate(13 {mid:F1}) rotate(-90)\">{Html.Text(Unit)}</text>"));
        if (Axis == AxisKind.Level)
            sb.Append(Inv($"<text class=\"note\" x=\"{Left + 6}\" y=\"{Top + 11}\">axis does not start at 0</text>"));

        foreach (var band in Bands)
        {
            double xa = Px(Math.Max(band.X0, X0)), xb = Px(Math.Min(band.X1, X1));
            if (!(xb > xa) || !double.IsFinite(band.Low + band.High)) continue;
            double ya = Py(band.High, axis), yb = Py(band.Low, axis), yv = Py(band.Value, axis);
            var tip = $"target {band.Target.Id}: {band.Target.Quantity}, {band.Target.Year}: {Num(band.Value)} ({Num(band.Low)}-{Num(band.High)}) {band.Target.Unit}"
                      + (band.Note.Length > 0 ? $"; {band.Note}" : "") + $". Source: {band.Target.Source}";
            // the border and the line at the target's figure take the colour of the series the target is about
            var color = Lines.FirstOrDefault(l => l.Key == band.Column)?.Color;
            var stroke = color is null ? "" : " style=\"stroke:" + Html.Attr(color) + "\"";
            sb.Append(Inv($"<g class=\"target-band\" data-target=\"{Html.Attr(band.Target.Id)}\" data-series=\"{Html.Attr(band.Column)}\" data-x0=\"{band.X0:0.####}\" data-x1=\"{band.X1:0.####}\">"));
            sb.Append(Inv($"<title>{Html.Text(tip)}</title><rect x=\"{xa:F1}\" y=\"{ya:F1}\" width=\"{xb - xa:F1}\" height=\"{Math.Max(yb - ya, 1):F1}\"{stroke}/>"));
            if (double.IsFinite(yv)) sb.Append(Inv($"<line x1=\"{xa:F1}\" x2=\"{xb:F1}\" y1=\"{yv:F1}\" y2=\"{yv:F1}\"{stroke}/>"));
            sb.Append("</g>");
        }

        foreach (var r in Ribbons)
        {
            foreach (var (from, to) in Runs(r.X.Length, i => double.IsFinite(r.X[i]) && double.IsFinite(r.Low[i]) && double.IsFinite(r.High[i])))
            {
                var d = new StringBuilder();
                for (var i = from; i <= to; i++) d.Append(Inv($"{(i == from ? 'M' : 'L')}{Px(r.X[i]):F1} {Py(r.High[i], axis):F1}"));
                for (var i = to; i >= from; i--) d.Append(Inv($"L{Px(r.X[i]):F1} {Py(r.Low[i], axis):F1}"));
                d.Append('Z');
                sb.Append(Inv($"<path class=\"ribbon\" d=\"{d}\" fill=\"{Html.Attr(r.Color)}\"><title>{Html.Text(r.Label)}</title></path>"));
            }
        }

        foreach (var l in Lines)
        {
            var n = Math.Min(l.X.Length, l.Y.Length);
            var d = new StringBuilder();
            var dots = new StringBuilder();
            foreach (var (from, to) in Runs(n, i => double.IsFinite(l.X[i]) && double.IsFinite(l.Y[i])))
            {
                if (from == to && !l.Markers)
                    dots.Append(Inv($"<circle cx=\"{Px(l.X[from]):F1}\" cy=\"{Py(l.Y[from], axis):F1}\" r=\"2.5\"/>"));
                for (var i = from; i <= to; i++) d.Append(Inv($"{(i == from ? 'M' : 'L')}{Px(l.X[i]):F1} {Py(l.Y[i], axis):F1}"));
            }
            sb.Append(Inv($"<g class=\"series\" data-series=\"{Html.Attr(l.Key)}\" stroke=\"{Html.Attr(l.Color)}\" fill=\"{Html.Attr(l.Color)}\">"));
            if (d.Length > 0)
            {
                var dash = l.Dash is null ? "" : " stroke-dasharray=\"" + Html.Attr(l.Dash) + "\"";
                var opacity = l.Opacity < 1 ? Inv($" opacity=\"{l.Opacity}\"") : "";
                sb.Append(Inv($"<path d=\"{d}\" stroke-width=\"{l.StrokeWidth}\"{dash}{opacity}/>"));
            }
            sb.Append(dots);
            if (l.Markers)
                for (var i = 0; i < n; i++)
                    if (double.IsFinite(l.X[i]) && double.IsFinite(l.Y[i]))
                        sb.Append(Inv($"<circle class=\"pt\" cx=\"{Px(l.X[i]):F1}\" cy=\"{Py(l.Y[i], axis):F1}\" r=\"2.6\"><title>{Html.Text($"{l.Label}, {l.X[i]:0}: {Num(l.Y[i])} {Unit}")}</title></circle>"));
            sb.Append("</g>");
        }
        if (Lines.All(l => !l.Y.Any(double.IsFinite)))
            sb.Append(Inv($"<text class=\"note\" x=\"{Left + 6}\" y=\"{mid:F1}\">no values in this run</text>"));
        if (hover) sb.Append(Inv($"<line class=\"cursor\" x1=\"0\" x2=\"0\" y1=\"{Top}\" y2=\"{Height - Bottom}\" visibility=\"hidden\"/>"));
        sb.Append("</svg>");
        return sb.ToString();
    }

    private (double Low, double High, double Step) ComputeYAxis()
    {
        var values = Lines.SelectMany(l => l.Y)
            .Concat(Ribbons.SelectMany(r => r.Low.Concat(r.High)))
            .Concat(Bands.SelectMany(b => new[] { b.Low, b.High }))
            .Where(double.IsFinite).ToList();
        double lo, hi;
        if (values.Count == 0) (lo, hi) = (0, 1);
        else
        {
            lo = values.Min();
            hi = values.Max();
            if (Axis != AxisKind.Level) { lo = Math.Min(lo, 0); hi = Math.Max(hi, 0); }
            if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi))) { lo -= Axis == AxisKind.Level ? 1 : 0; hi += 1; }
        }
        return NiceAxis(lo, hi);
    }

    /// <summary>Ticks at 1, 2 or 5 × 10^k covering [lo, hi] with about five intervals.</summary>
    public static (double Low, double High, double Step) NiceAxis(double lo, double hi, int intervals = 5)
    {
        var raw = (hi - lo) / intervals;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var f = raw / mag;
        var step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
        var low = Math.Floor(lo / step + 1e-9) * step;
        var high = Math.Ceiling(hi / step - 1e-9) * step;
        if (high <= low) high = low + step;
        return (low, high, step);
    }

    /// <summary>Maximal runs of consecutive indices where <paramref name="ok"/> holds.</summary>
    public static IEnumerable<(int From, int To)> Runs(int n, Func<int, bool> ok)
    {
        var start = -1;
        for (var i = 0; i <= n; i++)
        {
            var good = i < n && ok(i);
            if (good && start < 0) start = i;
            else if (!good && start >= 0) { yield return (start, i - 1); start = -1; }
        }
    }

    private static double? Json(double v) => double.IsFinite(v) ? Math.Round(v, 6) : null;

    /// <summary>The read-out's data: the plot frame and every line's label, colour and points (x, y; null where absent).</summary>
    private string HoverJson() => JsonText.Write(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("x0", X0);
        w.WriteNumber("x1", X1);
        w.WriteNumber("left", Left);
        w.WriteNumber("right", Width - Right);
        w.WriteNumber("width", Width);
        w.WriteBoolean("monthly", Monthly);
        w.WriteString("unit", Unit);
        w.WriteStartArray("s");
        foreach (var line in Lines)
        {
            w.WriteStartObject();
            w.WriteString("l", line.Label);
            w.WriteString("c", line.Color);
            JsonText.Numbers(w, "x", line.X.Select(Json));
            JsonText.Numbers(w, "y", line.Y.Select(Json));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    internal static string Num(double v) =>
        !double.IsFinite(v) ? "n/a"
        : Math.Abs(v) >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 10 ? v.ToString("0.0", CultureInfo.InvariantCulture)
        : v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
