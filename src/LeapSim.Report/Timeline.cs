using System.Globalization;
using System.Text;
using LeapSim.Core.Scenarios;

namespace LeapSim.Report;

/// <summary>The scenario's policy events as an SVG timeline: a row per policy, a dot per event at its month.</summary>
public static class Timeline
{
    public const double Width = 960, LabelWidth = 150, RowHeight = 18, AxisHeight = 24, RightPad = 12;

    /// <summary>x of the middle of an event's month on a time axis from <paramref name="x0"/> to <paramref name="x1"/> (years).</summary>
    public static double X(PolicyEvent e, double x0, double x1) =>
        LabelWidth + (e.Date.Year + (e.Date.MonthOfYear - 0.5) / 12 - x0) / (x1 - x0) * (Width - LabelWidth - RightPad);

    public static string Render(IReadOnlyList<PolicyEvent> events, int firstYear, int endYear)
    {
        var policies = events.Select(e => e.Policy).Distinct(StringComparer.Ordinal).ToList();
        var height = AxisHeight + RowHeight * Math.Max(1, policies.Count) + 6;
        var sb = new StringBuilder();
        sb.Append(Inv($"<svg class=\"timeline\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"policy events by date\">"));
        double Px(double year) => LabelWidth + (year - firstYear) / (endYear - firstYear) * (Width - LabelWidth - RightPad);
        for (var y = firstYear; y <= endYear; y++)
        {
            sb.Append(Inv($"<line class=\"vl\" x1=\"{Px(y):F1}\" x2=\"{Px(y):F1}\" y1=\"{AxisHeight - 6}\" y2=\"{height - 4}\"/>"));
            if (y < endYear) sb.Append(Inv($"<text class=\"xt\" x=\"{Px(y + 0.5):F1}\" y=\"{AxisHeight - 10}\">{y}</text>"));
        }
        for (var r = 0; r < policies.Count; r++)
        {
            var cy = AxisHeight + RowHeight * r + RowHeight / 2;
            if (r % 2 == 0) sb.Append(Inv($"<rect class=\"row\" x=\"0\" y=\"{cy - RowHeight / 2:F1}\" width=\"{Width}\" height=\"{RowHeight}\"/>"));
            sb.Append(Inv($"<text class=\"pl\" x=\"{LabelWidth - 8}\" y=\"{cy + 4:F1}\">{Html.Text(policies[r])}</text>"));
            foreach (var e in events.Where(e => e.Policy == policies[r]))
            {
                var x = X(e, firstYear, endYear);
                if (x < LabelWidth - 1 || x > Width - RightPad + 1) continue;
                var tip = $"{e.Date} {e.Id} ({e.Policy}){(e.Enabled ? "" : ", switched off")}: {e.Description}";
                sb.Append(Inv($"<circle class=\"event{(e.Enabled ? "" : " off")}\" data-event=\"{Html.Attr(e.Id)}\" cx=\"{x:F1}\" cy=\"{cy:F1}\" r=\"5\"><title>{Html.Text(tip)}</title></circle>"));
            }
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
