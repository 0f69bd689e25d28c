using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using LeapSim.Tests.Report;
using LeapSim.Web;
using Microsoft.Playwright;
using SkiaSharp;
using Xunit;
using Xunit.Abstractions;

namespace LeapSim.Tests.Web;

/// <summary>
/// The `leapsim serve` page end to end in headless Chromium (Debian's, scripts/install-chromium.sh) against the real
/// server on a loopback port, at commune resolution: change controls, run, watch the charts fill and the counter
/// move, follow the shared link, refuse a value out of range, queue a fifth run, cancel runs by closing their pages.
/// The time from pressing Run to the first month on the page and to the end of the ten years is measured on both
/// runs (the historical default, then a changed scenario) and printed (not asserted beyond generous bounds: the
/// machine is shared). Nothing stands between the page and the
/// server while it is timed: requests are watched, not intercepted (an intercepted request waits for the test's
/// handler), and every host but the server's is unresolvable.
/// </summary>
public sealed class WebBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Where the screenshots are kept after the test: the README's figure is made from the first.</summary>
    public static readonly string ScreenshotPath = Path.Combine(Path.GetTempPath(), "leapsim-tests", "web-browser", "serve.png");
    public static readonly string FullScreenshotPath = Path.Combine(Path.GetTempPath(), "leapsim-tests", "web-browser", "serve-full.png");
    /// <summary>The page after the run with two policies changed.</summary>
    public static readonly string ChangedScreenshotPath = Path.Combine(Path.GetTempPath(), "leapsim-tests", "web-browser", "serve-changed.png");

    private sealed class PageErrors
    {
        public ConcurrentQueue<string> Errors { get; } = new();
        public void Watch(IPage page, string name)
        {
            page.Console += (_, m) => { if (m.Type is "error" or "warning") Errors.Enqueue($"{name}: console {m.Type}: {m.Text}"); };
            page.PageError += (_, e) => Errors.Enqueue($"{name}: page error: {e}");
        }
    }

    [Fact]
    public async Task The_page_runs_a_changed_scenario_shares_it_refuses_bad_values_queues_and_cancels()
    {
        ReportBrowserTests.EnsureChromium();
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run 'bash scripts/install-chromium.sh' first");

        // From the queue part on, page runs are held after their second month until their page closes (which cancels
        // them): four runs must be running at once whatever the machine's load, and none may finish before its page
        // closes (under load 4-5 two of four commune runs had finished before the fourth started).
        var holdRuns = 0;
        await using var server = await WebTestServer.StartAsync(new WebOptions
        {
            MaxConcurrentRuns = 4,
            AfterMonth = (month, cancel) =>
            {
                if (month != 2 || Volatile.Read(ref holdRuns) == 0) return;
                cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(300));
                cancel.ThrowIfCancellationRequested();
            },
        });
        var ready = await server.WaitForStatusAsync(s => s.GetProperty("warmedUp").GetBoolean(), seconds: 600);
        Assert.True(ready.GetProperty("warmedUp").GetBoolean(), "the comparison runs (historical default, no-Leap) and the warm-up were not done within 10 minutes");
        var origin = server.Url.GetLeftPart(UriPartial.Authority);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, AcceptDownloads = true });
        var elsewhere = new ConcurrentQueue<string>();
        context.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal) && !request.Url.StartsWith("blob:", StringComparison.Ordinal))
                elsewhere.Enqueue(request.Url);
        };
        // What the reader sees as the run goes on, recorded in the page by the test (not by the page's script): each
        // new text of the counter, and each new drawing of the run's grain line by month, with their times.
        await context.AddInitScriptAsync("""
            window.addEventListener('DOMContentLoaded', () => {
              const seen = window.leapsimSeen = { counter: [], grain: [] };
              const excess = document.getElementById('excess');
              new MutationObserver(() => seen.counter.push([performance.now(), excess.textContent])).observe(excess, { childList: true, characterData: true, subtree: true });
              const slot = document.getElementById('slot-month-grain');
              new MutationObserver(() => {
                const path = slot.querySelector("g.series[data-series='grain_output_mt'] path");
                if (path) seen.grain.push([performance.now(), path.getAttribute('d').split('L').length]);
              }).observe(slot, { childList: true, subtree: true });
            });
            """);
        var errors = new PageErrors();

        // ---- the page: a control for every event of the presets, the catalogue's parameters
        var page = await context.NewPageAsync();
        errors.Watch(page, "page");
        await page.GotoAsync(server.Url.AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.Equal(Catalog.Current.Events.Count, await page.Locator("#events .event").CountAsync());
        Assert.Equal(Catalog.Current.Parameters.Count, await page.Locator("#parameters .param").CountAsync());
        Assert.Equal(Catalog.Current.Presets.Count, await page.Locator("#preset option").CountAsync());
        Assert.Equal("commune", await page.Locator("#resolution").InputValueAsync());

        // ---- the historical default as it stands: its counter is the historical default's, its picture the README's
        var (_, historicalExcess) = await RunAsync(page, "the historical default");
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"historical default by then: {historicalExcess:F2} million"), await page.Locator("#historical-counter").TextContentAsync());
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.Mouse.MoveAsync(0, 0);
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = FullScreenshotPath, FullPage = true });

        // ---- change two controls: the Lushan purge off, the steel campaign at half strength; the address follows
        var lushan = page.Locator("[data-key='events.lushan_purge.enabled']");
        var steel = page.Locator("[data-key='events.backyard_steel.campaign']");
        Assert.True(await lushan.IsCheckedAsync());
        Assert.Equal("1", await steel.InputValueAsync());
        await lushan.UncheckAsync();
        await steel.FillAsync("0.5");
        await page.WaitForFunctionAsync("() => location.search.includes('ev:lushan_purge:on=0') && location.search.includes('ev:backyard_steel:campaign=0.5')");
        var shared = page.Url;
        output.WriteLine($"shared link: {shared}");
        Assert.Equal(server.Url.AbsoluteUri + "?preset=default&res=commune&seed=1&ev:lushan_purge:on=0&ev:backyard_steel:campaign=0.5", shared);

        // ---- run it: the counter moves, the charts fill month by month
        var (_, excess) = await RunAsync(page, "lushan_purge off, backyard_steel at 0.5");
        Assert.True(excess > 0, $"deaths above the no-Leap world: {excess}");
        Assert.NotEqual(excess, historicalExcess); // the two changes moved the counter away from the historical default's

        // the report's charts, month by month and by year, each with the historical default dotted beside the run
        Assert.Equal(LiveFrames.MonthlyCharts.Count(), await page.Locator(".panel[data-panel=month] svg.chart").CountAsync());
        Assert.Equal(LiveFrames.YearlyCharts.Count(), await page.Locator(".panel[data-panel=year] svg.chart").CountAsync());
        Assert.Equal(1, await page.Locator("#slot-month-grain g.series[data-series='grain_output_mt'] path").CountAsync());
        Assert.Equal(1, await page.Locator("#slot-month-grain g.series[data-series='grain_output_mt:counterfactual'] path").CountAsync());
        // the map is coloured by the run's provinces
        await page.Locator("#map-year").FillAsync("1960");
        var fill = await page.Locator("svg.map path[data-modern=Anhui]").EvaluateAsync<string>("p => getComputedStyle(p).fill");
        Assert.NotEqual("rgb(227, 229, 232)", fill);
        // the run's tables
        Assert.Equal(3, await page.Locator("#downloads a").CountAsync());
        var csv = await context.APIRequest.GetAsync(origin + "/" + await page.Locator("#downloads a").First.GetAttributeAsync("href"));
        Assert.StartsWith("year,", await csv.TextAsync());
        // the scenario file
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#save-scenario").ClickAsync());
        var yamlPath = Path.Combine(Path.GetTempPath(), "leapsim-tests", "web-browser", "my-scenario.yaml");
        await download.SaveAsAsync(yamlPath);
        var yaml = await File.ReadAllTextAsync(yamlPath);
        Assert.Contains("extends: default", yaml);
        Assert.Contains("lushan_purge:\n    enabled: false", yaml);
        Assert.Contains("backyard_steel:\n    campaign: 0.5", yaml);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ChangedScreenshotPath });

        // ---- the shared link restores the controls
        var linked = await context.NewPageAsync();
        errors.Watch(linked, "linked");
        await linked.GotoAsync(shared, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.False(await linked.Locator("[data-key='events.lushan_purge.enabled']").IsCheckedAsync());
        Assert.Equal("0.5", await linked.Locator("[data-key='events.backyard_steel.campaign']").InputValueAsync());
        Assert.True(await linked.Locator(".event[data-event=lushan_purge]").EvaluateAsync<bool>("e => e.classList.contains('changed')"));
        Assert.Equal("default", await linked.Locator("#preset").InputValueAsync());
        Assert.Equal(shared, linked.Url);

        // ---- a value out of its range is refused, with the message next to its control
        var accepted = (await server.StatusAsync()).GetProperty("accepted").GetInt32();
        var linkedSteel = linked.Locator("[data-key='events.backyard_steel.campaign']");
        await linkedSteel.FillAsync("5");
        var message = linked.Locator("[data-msg-for='events.backyard_steel.campaign']");
        Assert.Contains("outside the range [0, 1]", await message.TextContentAsync());
        await message.EvaluateAsync("m => m.textContent = ''"); // what follows must come from the server
        await linked.Locator("#run").ClickAsync();
        await linked.WaitForFunctionAsync("() => document.getElementById('status').textContent.startsWith('Not run')");
        Assert.Contains("5 is outside the range [0, 1]", await message.TextContentAsync());
        Assert.True(await linkedSteel.EvaluateAsync<bool>("i => i.classList.contains('invalid')"));
        Assert.Equal(accepted, (await server.StatusAsync()).GetProperty("accepted").GetInt32());
        // ---- an event the preset does not have: grain imports from April 1959; the link carries it too
        await linkedSteel.FillAsync("0.5");
        await linked.Locator("fieldset[data-policy=grain_trade] button.add").ClickAsync();
        await linked.Locator("[data-key='events.added_grain_trade_1.date']").FillAsync("1959-04");
        await linked.Locator("[data-key='events.added_grain_trade_1.extra_imports_mt']").FillAsync("5");
        await linked.WaitForFunctionAsync("() => location.search.includes('ev:added_grain_trade_1:date=1959-04')");
        Assert.Contains("ev:added_grain_trade_1:policy=grain_trade", linked.Url);
        Assert.Contains("ev:added_grain_trade_1:extra_imports_mt=5", linked.Url);
        var withImports = linked.Url;
        var reopened = await context.NewPageAsync();
        errors.Watch(reopened, "reopened");
        await reopened.GotoAsync(withImports, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.True(await reopened.Locator("[data-key='events.added_grain_trade_1.enabled']").IsCheckedAsync());
        Assert.Equal("1959-04", await reopened.Locator("[data-key='events.added_grain_trade_1.date']").InputValueAsync());
        Assert.Equal("5", await reopened.Locator("[data-key='events.added_grain_trade_1.extra_imports_mt']").InputValueAsync());
        Assert.Equal(withImports, reopened.Url);
        await reopened.CloseAsync();

        // ---- a preset sets every control: the no-Leap world has no Lushan purge and no backyard furnaces
        await linked.Locator("#preset").SelectOptionAsync("no-leap");
        await linked.WaitForFunctionAsync("() => location.search.startsWith('?preset=no-leap&')");
        Assert.False(await linked.Locator("[data-key='events.lushan_purge.enabled']").IsCheckedAsync());
        var noLeap = Catalog.Current.Preset("no-leap")!.Scenario.Events;
        foreach (var id in new[] { "backyard_steel", "dining_halls", "anti_rightist_campaign" })
            Assert.Equal(noLeap.Single(e => e.Id == id).Enabled, await linked.Locator($"[data-key='events.{id}.enabled']").IsCheckedAsync());
        Assert.DoesNotContain("ev:", linked.Url);
        Assert.Equal("", await linked.Locator("[data-msg-for='events.backyard_steel.campaign']").TextContentAsync());
        await linked.CloseAsync();

        // ---- five pages press Run: four run, the fifth waits first in line; closing a page cancels its run
        Volatile.Write(ref holdRuns, 1);
        var pages = new List<IPage>();
        for (var i = 0; i < 5; i++)
        {
            var p = await context.NewPageAsync();
            errors.Watch(p, $"runner {i + 1}");
            await p.GotoAsync(server.Url.AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            pages.Add(p);
        }
        for (var i = 0; i < 4; i++)
        {
            await pages[i].Locator("#run").ClickAsync();
            await pages[i].WaitForFunctionAsync("() => window.leapsimTimings.started !== undefined", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        }
        var status = await server.StatusAsync();
        Assert.Equal(4, status.GetProperty("running").GetInt32());
        await pages[4].Locator("#run").ClickAsync();
        var queue = pages[4].Locator("#queue");
        await queue.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 30_000 });
        Assert.Contains("position 1", await queue.TextContentAsync());
        Assert.Equal(1, (await server.StatusAsync()).GetProperty("waiting").GetInt32());
        var cancelledBefore = (await server.StatusAsync()).GetProperty("cancelled").GetInt32();

        await pages[0].CloseAsync(); // its run is cancelled and the fifth takes its slot
        await pages[4].WaitForFunctionAsync("() => window.leapsimTimings.started !== undefined", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        Assert.True(await queue.IsHiddenAsync());
        status = await server.WaitForStatusAsync(s => s.GetProperty("cancelled").GetInt32() == cancelledBefore + 1);
        Assert.Equal(cancelledBefore + 1, status.GetProperty("cancelled").GetInt32());
        foreach (var p in pages.Skip(1)) await p.CloseAsync();
        status = await server.WaitForStatusAsync(s => s.GetProperty("running").GetInt32() == 0 && s.GetProperty("cancelled").GetInt32() == cancelledBefore + 5);
        output.WriteLine($"after closing the five pages: {status}");
        Assert.Equal(0, status.GetProperty("running").GetInt32());
        Assert.Equal(cancelledBefore + 5, status.GetProperty("cancelled").GetInt32());
        Assert.Equal(2, status.GetProperty("finished").GetInt32()); // the historical default and the changed scenario

        await browser.CloseAsync();
        var unexpected = errors.Errors.Where(e => !(e.StartsWith("linked:", StringComparison.Ordinal) && e.Contains("status of 400", StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, "console or page errors:\n" + string.Join("\n", unexpected));
        Assert.True(elsewhere.IsEmpty, "requests to other places than the server:\n" + string.Join("\n", elsewhere));

        using var bitmap = SKBitmap.Decode(ScreenshotPath);
        var (colour, pixels) = (0, 0);
        for (var y = 0; y < bitmap.Height; y += 3)
            for (var x = 0; x < bitmap.Width; x += 3, pixels++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 60) colour++;
            }
        output.WriteLine($"screenshots: {ScreenshotPath} ({bitmap.Width}×{bitmap.Height}, {100.0 * colour / pixels:F1} % coloured), {FullScreenshotPath}");
        Assert.True(colour > pixels / 200, "the screenshot shows coloured lines");
    }

    /// <summary>
    /// Presses Run on <paramref name="page"/> and waits for the end: prints the times from the click to the first month on
    /// the page (the counter), the first month in the charts and the end of the ten years, with the load average; checks
    /// what the test's observers saw: the counter moving and the run's grain line growing month by month in the chart.
    /// Returns the page's timings and the counter at the end (million deaths above the no-Leap world).
    /// </summary>
    private async Task<(JsonElement Timings, double Excess)> RunAsync(IPage page, string what)
    {
        await page.EvaluateAsync("() => { window.leapsimSeen.counter = []; window.leapsimSeen.grain = []; }");
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        await page.Locator("#run").ClickAsync();
        await page.WaitForFunctionAsync("() => window.leapsimTimings.done !== undefined || /failed|Not run/.test(document.getElementById('status').textContent)",
            null, new PageWaitForFunctionOptions { Timeout = 300_000, PollingInterval = 100 });
        Assert.DoesNotContain("failed", await page.Locator("#status").TextContentAsync(), StringComparison.OrdinalIgnoreCase);
        var t = await page.EvaluateAsync<JsonElement>("() => window.leapsimTimings");
        double Ms(string key) => t.GetProperty(key).GetDouble() - t.GetProperty("clicked").GetDouble();
        var (firstMonth, firstFrame, total) = (Ms("firstMonthEvent"), Ms("firstFrame"), Ms("done"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}, commune resolution, {Environment.ProcessorCount} cores: Run pressed -> first month on the page {firstMonth:F0} ms, first month in the charts {firstFrame:F0} ms, ten years done {total:F0} ms ({t.GetProperty("frames").GetInt32()} chart frames drawn); load average {load} before, {File.ReadAllText("/proc/loadavg").Split(' ')[0]} after"));
        output.WriteLine($"  server side: {t.GetProperty("server")}; response headers on the page after {Ms("headers"):F0} ms, first frame {Ms("firstFrameEvent"):F0} ms; chart drawing (ms a frame): {t.GetProperty("drawMs")}");
        Assert.True(firstFrame < 10_000, $"the first month took {firstFrame:F0} ms to reach the charts");
        Assert.True(total < 180_000, $"the ten years took {total:F0} ms");

        var seen = await page.EvaluateAsync<JsonElement>("() => window.leapsimSeen");
        var counters = seen.GetProperty("counter").EnumerateArray().Select(c => c[1].GetString()!).Where(c => c != "–").ToList();
        var grain = seen.GetProperty("grain").EnumerateArray().Select(g => g[1].GetInt32()).ToList();
        output.WriteLine($"  the counter showed {counters.Count} values ({counters.FirstOrDefault()} ... {counters.LastOrDefault()}); the grain line was drawn {grain.Count} times with {string.Join(", ", grain)} points");
        Assert.True(counters.Distinct().Count() >= 5, "the counter moved while the run went on: " + string.Join(" ", counters));
        Assert.True(grain.Count >= 3 && grain[0] < 60 && grain.SequenceEqual(grain.Order()) && grain[^1] == 120,
            "the grain chart filled month by month (points of the run's line at each drawing): " + string.Join(" ", grain));
        Assert.Equal(120, (int)await page.Locator("#progress").EvaluateAsync<double>("p => p.value"));
        Assert.Contains("historical default by then", await page.Locator("#historical-counter").TextContentAsync());
        return (t, double.Parse((await page.Locator("#excess").TextContentAsync())!, CultureInfo.InvariantCulture));
    }
}
