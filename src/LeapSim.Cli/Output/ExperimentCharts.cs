using System.Globalization;
using LeapSim.Core.Experiments;
using ScottPlot;
using Table = LeapSim.Core.Results.Table;

namespace LeapSim.Cli.Output;

/// <summary>
/// The charts of the experiment commands (ScottPlot, with the style of <c>leapsim plot</c>): the yearly differences
/// of a comparison with their intervals, and the Shapley shares of an attribution with theirs.
/// </summary>
public static class ExperimentCharts
{
    private static Plot NewPlot()
    {
        var plt = new Plot();
        plt.Font.Set("DejaVu Sans");
        return plt;
    }

    /// <summary>Panels in a grid, the first one replacing the empty plot a new multiplot starts with.</summary>
    private static byte[] Render(IReadOnlyList<Plot> panels, int columns, int width, int height)
    {
        var multi = new Multiplot();
        multi.Reset(panels[0]);
        foreach (var p in panels.Skip(1)) multi.AddPlot(p);
        multi.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: (panels.Count + columns - 1) / columns, columns: columns);
        return multi.Render(width, height).GetImageBytes(ImageFormat.Png);
    }

    private static void YearTicks(Plot plt, IEnumerable<double> years)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var y in years) ticks.AddMajor(y, y.ToString("0", CultureInfo.InvariantCulture));
        plt.Axes.Bottom.TickGenerator = ticks;
    }

    /// <summary>Writes a chart as PNG, atomically.</summary>
    public static void WritePng(string path, Func<int, int, byte[]> render, int width, int height) =>
        AtomicDirectory.WriteFileAtomically(path, s => s.Write(render(width, height)));

    /// <summary>
    /// One panel per outcome: the mean yearly difference A − B, the 90 % band of the paired differences (same seeds)
    /// and, paler, the band the same runs give unpaired (different seeds): the narrowing is the common random numbers' work.
    /// </summary>
    public static byte[] Comparison(Table comparison, string a, string b, int width, int height)
    {
        var outcomes = comparison["outcome"].Texts!;
        var periods = comparison["period"].Texts!;
        var panels = new List<Plot>();
        foreach (var outcome in Core.Experiments.Comparison.Outcomes)
        {
            var rows = Enumerable.Range(0, comparison.RowCount)
                .Where(r => outcomes[r] == outcome.Name && int.TryParse(periods[r], NumberStyles.None, CultureInfo.InvariantCulture, out _)).ToArray();
            if (rows.Length == 0) continue;
            double[] Col(string name) => rows.Select(r => comparison[name].Numbers![r]).ToArray();
            var xs = rows.Select(r => double.Parse(periods[r], CultureInfo.InvariantCulture)).ToArray();
            var plt = NewPlot();
            var unpaired = plt.Add.FillY(xs, Col("difference_q05_unpaired"), Col("difference_q95_unpaired"));
            unpaired.FillColor = Color.FromHex("#9ecae1").WithAlpha(0.45);
            unpaired.LineWidth = 0;
            unpaired.LegendText = "90 % of runs, different seeds";
            var paired = plt.Add.FillY(xs, Col("difference_q05"), Col("difference_q95"));
            paired.FillColor = Color.FromHex("#1f4e79").WithAlpha(0.45);
            paired.LineWidth = 0;
            paired.LegendText = "90 % of runs, same seeds";
            var mean = plt.Add.Scatter(xs, Col("difference_mean"), Color.FromHex("#1f4e79"));
            mean.LineWidth = 2;
            mean.MarkerSize = 5;
            mean.LegendText = "mean difference";
            plt.Add.HorizontalLine(0, 1, Colors.Black);
            plt.Title($"{outcome.Name.Replace('_', ' ')}: {a} − {b}");
            plt.YLabel(outcome.Unit);
            YearTicks(plt, xs);
            if (panels.Count == 0) plt.ShowLegend(Edge.Bottom);
            else plt.HideLegend();
            panels.Add(plt);
        }
        return Render(panels, 2, width, height);
    }

    /// <summary>One panel per outcome: each switch's Shapley value as a bar with its 90 % interval, and the total.</summary>
    public static byte[] Attribution(IReadOnlyList<Core.Experiments.Attribution.Share> shares, int width, int height)
    {
        var panels = new List<Plot>();
        foreach (var outcome in Core.Experiments.Attribution.Outcomes)
        {
            var rows = shares.Where(s => s.Outcome == outcome.Name && s.Switch != "reference").ToList();
            if (rows.Count == 0) continue;
            var plt = NewPlot();
            var bars = rows.Select((s, i) => new Bar
            {
                Position = i,
                Value = s.Mean,
                Error = 0,
                FillColor = Color.FromHex(s.Switch == "total" ? "#444444" : s.Mean >= 0 ? "#b2182b" : "#2166ac"),
            }).ToList();
            plt.Add.Bars(bars);
            for (var i = 0; i < rows.Count; i++)
            {
                var whisker = plt.Add.Line(i, rows[i].Low, i, rows[i].High);
                whisker.LineColor = Colors.Black;
                whisker.LineWidth = 1.5f;
            }
            plt.Add.HorizontalLine(0, 1, Colors.Black);
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            for (var i = 0; i < rows.Count; i++) ticks.AddMajor(i, rows[i].Switch.Replace('_', '\n'));
            plt.Axes.Bottom.TickGenerator = ticks;
            plt.Axes.Bottom.TickLabelStyle.FontSize = 10;
            plt.Title($"{outcome.Name.Replace('_', ' ')} ({outcome.Unit}): Shapley values, 90 % intervals");
            plt.YLabel(outcome.Unit);
            panels.Add(plt);
        }
        return Render(panels, 1, width, height);
    }

    /// <summary>One panel per outcome: the most influential parameters' μ* as horizontal bars with their 90 % bootstrap intervals.</summary>
    public static byte[] Sensitivity(Table table, IReadOnlyList<string> outcomes, int top, int width, int height)
    {
        var panels = new List<Plot>();
        foreach (var outcome in outcomes)
        {
            var rows = Enumerable.Range(0, table.RowCount)
                .Where(r => table["outcome"].Texts![r] == outcome && table["rank"].Integers![r] <= top)
                .OrderByDescending(r => table["rank"].Integers![r]).ToList();
            if (rows.Count == 0) continue;
            var plt = NewPlot();
            var bars = rows.Select((r, i) => new Bar { Position = i, Value = table["mu_star"].Numbers![r], FillColor = Color.FromHex("#1f4e79") }).ToList();
            var series = plt.Add.Bars(bars);
            series.Horizontal = true;
            for (var i = 0; i < rows.Count; i++)
            {
                var whisker = plt.Add.Line(table["mu_star_ci90_low"].Numbers![rows[i]], i, table["mu_star_ci90_high"].Numbers![rows[i]], i);
                whisker.LineColor = Colors.Black;
                whisker.LineWidth = 1.5f;
            }
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            for (var i = 0; i < rows.Count; i++) ticks.AddMajor(i, table["parameter"].Texts![rows[i]]);
            plt.Axes.Left.TickGenerator = ticks;
            plt.Axes.Left.TickLabelStyle.FontSize = 10;
            plt.Title($"{outcome}: Morris μ* (90 % bootstrap interval)");
            plt.XLabel("mean |change of the outcome| over the parameter's range");
            panels.Add(plt);
        }
        return Render(panels, 2, width, height);
    }
}
