using System.Text;
using LeapSim.Report;

namespace LeapSim.Web;

/// <summary>
/// The one page of `leapsim serve`: the controls (built by its script from the catalogue inlined as JSON), the
/// headline counter, a slot for every chart of the report by month and by year, and the report's province map.
/// Styles and scripts are inline (the report's and the page's own): the page loads nothing else.
/// </summary>
public static class PageBuilder
{
    public static string Build(Catalog catalog, WebOptions options)
    {
        var sb = new StringBuilder(1 << 18);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<link rel=\"icon\" href=\"data:,\">\n<title>LeapSim: what if?</title>\n<style>\n").Append(ChinaMap.ReadAsset("report.css")).Append('\n')
            .Append(ReadAsset("web.css")).Append("\n</style>\n</head>\n<body data-max-runs=\"").Append(options.MaxConcurrentRuns).Append("\">\n");
        sb.Append("""
            <header class="bar">
            <h1>LeapSim <span class="sub">what if? China's Great Leap Forward, 1957-1966</span></h1>
            <div class="runbar">
            <label>Start from <select id="preset"></select></label>
            <label>Resolution <select id="resolution"></select></label>
            <label>Seed <input id="seed" type="number" min="0" step="1" inputmode="numeric"></label><span class="msg" data-msg-for="seed"></span>
            <label>Scenario name <input id="name" type="text" maxlength="64" spellcheck="false"></label><span class="msg" data-msg-for="name"></span>
            <button type="button" id="run" class="primary">Run</button>
            <button type="button" id="stop" disabled>Stop</button>
            <button type="button" id="save-scenario" title="the scenario file of these settings, for leapsim run --scenario">Download scenario</button>
            </div>
            <p id="preset-description" class="desc"></p>
            <p class="statusline"><span id="status" role="status" class="status">Change the policies on the left, then press Run. The link in the address bar keeps your settings.</span> <span id="downloads"></span></p>
            <p class="msg" data-msg-for="preset"></p><p class="msg" data-msg-for="resolution"></p><p class="msg" data-msg-for="&lt;request&gt;"></p>
            </header>
            <div class="layout">
            <aside id="controls">
            <h2>Policies</h2>
            <p class="hint">Every dated policy event of the scenario: switch it off, move it, or change how hard it is pushed. Ranges are the model's declared ranges. <span id="changes"></span></p>
            <div id="events"></div>
            <details id="params"><summary>Model parameters</summary><p class="hint">Every parameter with its unit, range and source (<code>leapsim params</code>). Change them with care: the calibrated ones were fitted together.</p><div id="parameters"></div></details>
            </aside>
            <main>
            <section id="headline">
            <div class="counter-box"><div class="counter"><span id="excess">–</span> <span class="unit">million</span></div>
            <p class="counter-label">deaths above the no-Leap world <span id="counter-month"></span></p>
            <p id="historical-counter" class="counter-note"></p></div>
            <div class="progress-box"><progress id="progress" max="120" value="0"></progress> <span id="progress-label"></span><p id="queue" class="queue" hidden></p></div>
            <p class="caption">True deaths of this run minus those of the no-Leap scenario with the same resolution and seed, summed from January 1957 to the month shown. Dotted lines in the charts: the historical default (the built-in default scenario, same resolution and seed). Model output, not historical data; orange bands are the figures of the source texts.</p>
            </section>
            <section id="charts"><h2>National series</h2>
            <div class="tabs" role="tablist"><button type="button" data-tab="month" class="active">By month</button><button type="button" data-tab="year">By year</button></div>
            """);
        sb.Append("<div class=\"panel\" data-panel=\"month\"><div class=\"grid\">\n");
        foreach (var spec in LiveFrames.MonthlyCharts) Slot(sb, "month", spec);
        sb.Append("</div></div>\n<div class=\"panel\" data-panel=\"year\" hidden><div class=\"grid\">\n");
        foreach (var spec in LiveFrames.YearlyCharts) Slot(sb, "year", spec);
        sb.Append("</div></div>\n</section>\n");
        sb.Append(ReportBuilder.MapSection(null, 1957, 1966, 1957, "this run's provinces.csv (complete years only)"));
        sb.Append("<p class=\"caption\">LeapSim ").Append(Html.Text(typeof(PageBuilder).Assembly.GetName().Version?.ToString(3) ?? "")).Append(". At most ")
            .Append(options.MaxConcurrentRuns).Append(" simulations run at once on this server; more wait in line. Nothing you do here is written on the server.</p>\n");
        sb.Append("</main>\n</div>\n<div id=\"tooltip\" class=\"tooltip\" hidden></div>\n");
        sb.Append("<script type=\"application/json\" id=\"catalog\">").Append(Html.ScriptJson(catalog.ToJson())).Append("</script>\n");
        sb.Append("<script>\n").Append(ChinaMap.ReadAsset("leapsim.js")).Append('\n').Append(ReadAsset("web.js")).Append("\n</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Slot(StringBuilder sb, string freq, ChartSpec spec) =>
        sb.Append("<div class=\"slot\" id=\"slot-").Append(freq).Append('-').Append(Html.Attr(spec.Id)).Append("\"><figure class=\"fig empty\"><h3>")
            .Append(Html.Text(spec.Title)).Append("</h3><p class=\"caption\">Press Run: the chart fills as the months pass.</p></figure></div>\n");

    public static string ReadAsset(string fileName)
    {
        using var s = typeof(PageBuilder).Assembly.GetManifestResourceStream("LeapSim.Web.Assets." + fileName)
            ?? throw new InvalidOperationException($"embedded asset {fileName} is missing from LeapSim.Web");
        using var r = new StreamReader(s, Encoding.UTF8);
        return r.ReadToEnd();
    }
}
