using System.Collections.Concurrent;
using LeapSim.Report;
using LeapSim.Tests.Output;
using Microsoft.Playwright;
using SkiaSharp;
using Xunit;
using Xunit.Abstractions;

namespace LeapSim.Tests.Report;

/// <summary>
/// Opens the report.html of a small run in headless Chromium from file:// with the network off, and checks that it
/// renders: no script errors, the charts and the map present, the map and tabs working, a screenshot that is not blank.
/// Needs Debian's chromium (scripts/install-chromium.sh); without it the test fails, it is never skipped.
/// </summary>
public sealed class ReportBrowserTests(ITestOutputHelper output) : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly TempFolder _tmp = new();

    /// <summary>Where the screenshot is kept after the test, to be looked at: the same path on every run.</summary>
    public static readonly string ScreenshotPath = Path.Combine(Path.GetTempPath(), "leapsim-tests", "report-browser", "report.png");

    public void Dispose() => _tmp.Dispose();

    /// <summary>
    /// A fresh machine has no chromium: the project installs it with its own script (apt, one retry), so that the
    /// README's `dotnet test` works as it stands. Serialised across test processes by the script being idempotent.
    /// </summary>
    internal static void EnsureChromium()
    {
        if (File.Exists(Chromium)) return;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeapSim.slnx"))) dir = dir.Parent;
        if (dir is null) return;
        var script = Path.Combine(dir.FullName, "scripts", "install-chromium.sh");
        if (!File.Exists(script)) return;
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        p.StandardOutput.ReadToEndAsync();
        p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10))) p.Kill(entireProcessTree: true);
    }

    [Fact]
    public async Task Report_renders_offline_with_charts_map_and_no_errors()
    {
        EnsureChromium();
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run 'bash scripts/install-chromium.sh' first (the browser test of report.html needs Debian's chromium)");

        var runDir = _tmp["default"];
        using (var o = new StringWriter())
        using (var e = new StringWriter())
        {
            var code = LeapSim.Cli.Cli.Run(["run", "-q", "--provinces", "Anhui,Sichuan,Shanghai", "--threads", "1", "--out", runDir], o, e);
            Assert.True(code == 0, e.ToString());
        }
        var reportPath = Path.Combine(runDir, "report.html");
        Assert.True(File.Exists(reportPath), "leapsim run wrote no report.html");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, Offline = true });
        var attempted = new ConcurrentQueue<string>();
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal)) await route.ContinueAsync();
            else
            {
                attempted.Enqueue(route.Request.Url);
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") errors.Enqueue($"console {m.Type}: {m.Text}"); };
        page.PageError += (_, e) => errors.Enqueue($"page error: {e}");
        page.Request += (_, r) => { if (!r.Url.StartsWith("file:", StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)) attempted.Enqueue(r.Url); };

        var response = await page.GotoAsync(new Uri(reportPath).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.NotNull(response);

        // every chart, the timeline and the map are in the page; the yearly tab is the one shown
        Assert.Equal(13, await page.Locator("svg.chart[data-freq=year]").CountAsync());
        Assert.Equal(16, await page.Locator("svg.chart[data-freq=month]").CountAsync());
        Assert.Equal(13, await page.Locator("svg.chart:visible").CountAsync());
        Assert.True(await page.Locator("svg.chart .series path").CountAsync() >= 29, "chart lines are drawn");
        Assert.True(await page.Locator("svg.chart .target-band").CountAsync() >= 19, "target bands are drawn");
        Assert.Equal(1, await page.Locator("svg.timeline").CountAsync());
        Assert.Equal(ChinaMap.Provinces.Count, await page.Locator("svg.map path.province").CountAsync());
        Assert.Equal(31, ChinaMap.Provinces.Count);
        Assert.Equal(27, await page.Locator("svg.map path.province.absent").CountAsync());

        // the script coloured the simulated provinces, and the year slider recolours them
        var anhui = page.Locator("svg.map path[data-modern=Anhui]");
        async Task<string> Fill() => await anhui.EvaluateAsync<string>("p => getComputedStyle(p).fill");
        await page.Locator("#map-year").FillAsync("1957");
        var fill1957 = await Fill();
        Assert.Equal("1957", await page.Locator("#map-year-label").TextContentAsync());
        await page.Locator("#map-year").FillAsync("1960");
        var fill1960 = await Fill();
        Assert.NotEqual(fill1957, fill1960);
        Assert.NotEqual("rgb(227, 229, 232)", fill1960); // the CSS grey of a province without data
        Assert.Equal(3, await page.Locator("#map-table tbody tr").CountAsync());

        // hovering a province shows its figures
        await anhui.HoverAsync();
        var tip = page.Locator("#tooltip");
        Assert.True(await tip.IsVisibleAsync(), "hovering a province shows the tooltip");
        Assert.Contains("Anhui", await tip.TextContentAsync());

        // the month tab shows the monthly charts
        await page.Locator(".tabs button[data-tab=month]").ClickAsync();
        Assert.Equal(16, await page.Locator("svg.chart:visible").CountAsync());
        await page.Locator(".tabs button[data-tab=year]").ClickAsync();
        await page.Mouse.MoveAsync(0, 0);

        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
        await browser.CloseAsync();

        Assert.True(errors.IsEmpty, "console or page errors:\n" + string.Join("\n", errors));
        Assert.True(attempted.IsEmpty, "network requests were attempted:\n" + string.Join("\n", attempted));

        var size = new FileInfo(ScreenshotPath).Length;
        using var bitmap = SKBitmap.Decode(ScreenshotPath);
        var (ink, colour, total) = (0, 0, 0);
        double sum = 0, sumSq = 0;
        for (var y = 0; y < bitmap.Height; y += 3)
            for (var x = 0; x < bitmap.Width; x += 3)
            {
                var c = bitmap.GetPixel(x, y);
                var lum = 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
                sum += lum;
                sumSq += lum * lum;
                total++;
                if (lum < 235) ink++;
                if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 60) colour++;
            }
        var sd = Math.Sqrt(sumSq / total - sum * sum / total / total);
        output.WriteLine($"screenshot: {ScreenshotPath} ({size:N0} bytes, {bitmap.Width}×{bitmap.Height}; {100.0 * ink / total:F1} % non-white, {100.0 * colour / total:F1} % coloured, luminance s.d. {sd:F1})");
        Assert.True(bitmap.Width == 1400 && bitmap.Height > 4000, $"a full-page screenshot is {bitmap.Width}×{bitmap.Height}");
        Assert.InRange(100.0 * ink / total, 3, 60);
        Assert.True(colour > total / 200, "the screenshot has coloured pixels (lines, bands, map)");
        Assert.True(sd > 15, $"the screenshot is not blank (luminance s.d. {sd:F1})");
    }
}
