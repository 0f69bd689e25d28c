using System.Xml.Linq;
using LeapSim.Cli.Commands;
using LeapSim.Cli.Output;
using LeapSim.Core.Results;
using LeapSim.Tests.Output;
using ScottPlot.Plottables;
using SkiaSharp;
using Xunit;

namespace LeapSim.Tests.Report;

/// <summary>`leapsim run` writes report.html; `leapsim plot` draws run folders. Both through the CLI in process.</summary>
public sealed class PlotCommandTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var code = LeapSim.Cli.Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string SmallRun(string scenario)
    {
        var dir = _tmp[scenario];
        var (code, _, err) = Cli("run", "-q", "-s", scenario, "--provinces", "Anhui,Sichuan,Shanghai", "--threads", "1", "--out", dir);
        Assert.True(code == 0, err);
        return dir;
    }

    [Fact]
    public void Run_writes_report_html_beside_its_tables_and_leaves_no_temporary_folder()
    {
        var dir = SmallRun("default");
        Assert.Equal(["default"], _tmp.Entries());
        Assert.Contains("report.html", Directory.EnumerateFiles(dir).Select(Path.GetFileName));
        var html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("<h1>LeapSim run: <span class=\"scenario\">default</span></h1>", html);
        Assert.Contains(File.ReadAllText(Path.Combine(dir, "run.json")).Replace("\"", "&quot;", StringComparison.Ordinal)[..40], html.Replace("\"", "&quot;", StringComparison.Ordinal));
    }

    [Fact]
    public void Csv_tables_read_back_as_written()
    {
        var dir = SmallRun("default");
        var national = CsvTableReader.Read(Path.Combine(dir, "national.csv"));
        var provinces = CsvTableReader.Read(Path.Combine(dir, "provinces.csv"));
        Assert.Equal(LeapSim.Core.Results.OutputTables.NationalColumns, national.Columns.Select(c => c.Name));
        Assert.Equal(Enumerable.Range(1957, 10), national["year"].Integers!);
        Assert.Equal(["Anhui", "Sichuan", "Shanghai"], provinces["province"].Texts!.Distinct());
        Assert.Equal(CsvTableWriter.ToCsv(national), File.ReadAllText(Path.Combine(dir, "national.csv")));
    }

    [Fact]
    public void Plot_writes_png_and_svg_of_several_runs()
    {
        var a = SmallRun("default");
        var b = SmallRun("no-leap");
        var png = _tmp["fig.png"];
        var (code, output, err) = Cli("plot", a, b, "--series", "crude_death_rate_permille,crude_death_rate_registered_permille", "--out", png, "--width", "800", "--height", "500");
        Assert.True(code == 0, err);
        Assert.Contains("default, no-leap", output);
        using (var bitmap = SKBitmap.Decode(png))
        {
            Assert.Equal((800, 500), (bitmap.Width, bitmap.Height));
            var dark = 0;
            for (var y = 0; y < bitmap.Height; y += 2)
                for (var x = 0; x < bitmap.Width; x += 2)
                    if (bitmap.GetPixel(x, y).Red < 128) dark++;
            Assert.InRange(dark, 500, bitmap.Width * bitmap.Height / 8); // text, axes and lines, not a blank or black image
        }

        var svg = _tmp["fig.svg"];
        (code, _, err) = Cli("plot", a, "--series", "labour_backyard_m", "--monthly", "--out", svg);
        Assert.True(code == 0, err);
        var doc = XDocument.Load(svg);
        Assert.Equal("svg", doc.Root!.Name.LocalName);
        Assert.Contains(doc.Descendants(), e => e.Name.LocalName == "text" && e.Value.Contains("million workers, mean of the month"));
    }

    [Fact]
    public void Plot_places_target_bands_on_their_years()
    {
        var run = PlotCommand.Load(SmallRun("default"), monthly: false);
        var plot = PlotCommand.Build([run], ["crude_death_rate_registered_permille"], monthly: false, title: null, targets: true);
        var bands = plot.GetPlottables().OfType<Rectangle>().OrderBy(r => r.X1).ToList();
        Assert.Equal(4, bands.Count);
        Assert.Equal([1957.6, 1958.6, 1959.6, 1960.6], bands.Select(r => Math.Round(Math.Min(r.X1, r.X2), 9)));
        Assert.Equal([13.5, 16.5], new[] { bands[1].Y1, bands[1].Y2 }.Order());
        Assert.Empty(PlotCommand.Build([run], ["crude_death_rate_permille"], false, null, true).GetPlottables().OfType<Rectangle>());
        Assert.Equal(0, plot.Axes.GetLimits().Bottom);
    }

    [Theory]
    [InlineData("nonsense_series", "unknown series 'nonsense_series'")]
    [InlineData("births_m,crude_birth_rate_permille", "different units")]
    [InlineData("rural_bmi", "monthly only: add --monthly")]
    public void Plot_refuses_bad_series_with_exit_2_and_names_them(string series, string message)
    {
        var run = SmallRun("default");
        var (code, _, err) = Cli("plot", run, "--series", series, "--out", _tmp["x.png"]);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.False(File.Exists(_tmp["x.png"]));
    }

    [Fact]
    public void Plot_names_a_missing_run_folder_and_a_bad_format()
    {
        var missing = _tmp["no-such-run"];
        var (code, _, err) = Cli("plot", missing, "--series", "births_m", "--out", _tmp["x.png"]);
        Assert.Equal(2, code);
        Assert.Contains(missing, err);
        Assert.Contains("no such run folder", err);

        (code, _, err) = Cli("plot", SmallRun("default"), "--series", "births_m", "--out", _tmp["x.gif"]);
        Assert.Equal(2, code);
        Assert.Contains("must end in .png or .svg", err);
    }
}
