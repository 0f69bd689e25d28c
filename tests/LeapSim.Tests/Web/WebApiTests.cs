using System.Net;
using System.Text.Json;
using LeapSim.Core.Engine;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using LeapSim.Web;
using Xunit;

namespace LeapSim.Tests.Web;

/// <summary>
/// The JSON API of `leapsim serve` over real sockets, at province resolution (a run takes well under a second):
/// what it serves, what it refuses, the streamed run and its downloads, the line of waiting runs, cancellation.
/// </summary>
public sealed class WebApiTests
{
    private static readonly WebOptions Options = new() { WarmUp = null, ThreadsPerRun = 1, FrameInterval = TimeSpan.FromMilliseconds(50) };
    private const string Province = "\"resolution\": \"province\"";

    private static async Task<(HttpStatusCode Status, JsonElement Error)> Refused(WebTestServer server, string json, string path = "api/runs")
    {
        using var response = await server.Client.PostAsync(path, WebTestServer.Json(json));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, doc.RootElement.GetProperty("errors")[0].Clone());
    }

    [Fact]
    public async Task The_page_and_the_catalogue_offer_every_event_policy_parameter_and_preset()
    {
        await using var server = await WebTestServer.StartAsync(Options);
        using var page = await server.Client.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<svg class=\"map\"", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal));
        Assert.DoesNotContain("https://", html);

        using var doc = JsonDocument.Parse(await server.Client.GetStringAsync("api/catalog"));
        var c = doc.RootElement;
        Assert.Equal(ScenarioLibrary.BuiltinNames, c.GetProperty("presets").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        var events = c.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        foreach (var name in ScenarioLibrary.BuiltinNames) // an event any built-in adds has a control of its own
            foreach (var e in ScenarioLibrary.Resolve(name).Events) Assert.Contains(e.Id, events);
        Assert.Equal(events.Count, events.Distinct().Count());
        Assert.Equal(ModuleCatalog.Policies().Select(p => p.Key), c.GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("key").GetString()));
        Assert.Equal(ModuleCatalog.AllParameters().Count(), c.GetProperty("parameters").GetArrayLength());
        var campaign = c.GetProperty("policies").EnumerateArray().Single(p => p.GetProperty("key").GetString() == "backyard_steel")
            .GetProperty("settings").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "campaign");
        Assert.Equal(0, campaign.GetProperty("min").GetDouble());
        Assert.Equal(1, campaign.GetProperty("max").GetDouble());
    }

    [Theory]
    [InlineData("\"events\": {\"backyard_steel\": {\"settings\": {\"campaign\": 5}}}", "events.backyard_steel.campaign", "outside the range [0, 1]")]
    [InlineData("\"events\": {\"backyard_steel\": {\"settings\": {\"campaign\": -0.1}}}", "events.backyard_steel.campaign", "outside the range")]
    [InlineData("\"parameters\": {\"labour.water_works_share\": 99}", "parameters.labour.water_works_share", "outside the range")]
    [InlineData("\"events\": {\"lushan_purge\": {\"date\": \"1970-01\"}}", "events.lushan_purge.date", "1966-12")]
    [InlineData("\"events\": {\"backyard_steel\": {\"settings\": {\"campaign\": \"lots\"}}}", "events.backyard_steel.campaign", "expected a number")]
    [InlineData("\"events\": {\"backyard_steel\": {\"settings\": {\"speed\": 1}}}", "events.backyard_steel.speed", "has no setting")]
    [InlineData("\"events\": {\"my_event\": {\"date\": \"1959-01\"}}", "events.my_event", "needs a 'policy:'")]
    [InlineData("\"parameters\": {\"no.such_parameter\": 1}", "parameters.no.such_parameter", "unknown parameter")]
    [InlineData("\"seed\": -1", "seed", "whole number")]
    [InlineData("\"resolution\": \"team\"", "resolution", "not one of province, county, commune")]
    [InlineData("\"name\": \"a b\"", "name", "letters, digits")]
    [InlineData("\"preset\": \"/etc/passwd\"", "preset", "not a built-in scenario")]
    [InlineData("\"preset\": \"../src/LeapSim.Core/Scenarios/Builtin/default.yaml\"", "preset", "not a built-in scenario")]
    public async Task A_bad_value_is_refused_naming_its_control_and_nothing_runs(string fields, string key, string fragment)
    {
        await using var server = await WebTestServer.StartAsync(Options);
        foreach (var path in new[] { "api/runs", "api/scenario" })
        {
            var (status, error) = await Refused(server, "{" + fields + "}", path);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(key, error.GetProperty("key").GetString());
            Assert.Contains(fragment, error.GetProperty("message").GetString());
        }
        var s = await server.StatusAsync();
        Assert.Equal(0, s.GetProperty("accepted").GetInt32());
        Assert.Equal(0, s.GetProperty("running").GetInt32());
    }

    [Fact]
    public async Task Request_bodies_are_bounded_and_must_be_json()
    {
        await using var server = await WebTestServer.StartAsync(Options);
        var big = "{\"name\": \"" + new string('a', 100_000) + "\"}";
        var (status, error) = await Refused(server, big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("too large", error.GetProperty("message").GetString());

        using (var text = await server.Client.PostAsync("api/runs", new StringContent("{}")))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        (status, error) = await Refused(server, "{\"preset\": ");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not valid JSON", error.GetProperty("message").GetString());
        (status, _) = await Refused(server, "{\"preset\": \"default\", \"extra\": 1}");
        Assert.Equal(HttpStatusCode.BadRequest, status);

        // a request addressed to another host name (DNS rebinding) is refused
        using var other = new HttpRequestMessage(HttpMethod.Get, "");
        other.Headers.Host = "attacker.example";
        using var response = await server.Client.SendAsync(other);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_scenario_file_reads_back_as_the_scenario_that_runs()
    {
        await using var server = await WebTestServer.StartAsync(Options);
        const string body = "{\"preset\": \"default\", \"name\": \"heeded\", \"parameters\": {\"labour.water_works_share\": 0.1}, \"events\": {\"lushan_purge\": {\"enabled\": false}, "
                            + "\"backyard_steel\": {\"date\": \"1958-10\", \"settings\": {\"campaign\": 0.5}}, \"added_grain_trade_1\": {\"policy\": \"grain_trade\", \"date\": \"1959-04\", \"settings\": {\"extra_imports_mt\": 5}}}}";
        using var response = await server.Client.PostAsync("api/scenario", WebTestServer.Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("heeded.yaml", response.Content.Headers.ContentDisposition?.FileName);
        var yaml = await response.Content.ReadAsStringAsync();
        var resolved = ScenarioLibrary.Resolve(ScenarioReader.Parse(yaml, "heeded.yaml"));
        Assert.Equal(["calibrated", "default", "heeded"], resolved.Chain);
        Assert.False(resolved.Events.Single(e => e.Id == "lushan_purge").Enabled);
        var steel = resolved.Events.Single(e => e.Id == "backyard_steel");
        Assert.Equal("1958-10", steel.Date.ToString());
        Assert.Equal(0.5, steel.Settings["campaign"]);
        Assert.Equal(0.3, steel.Settings["usable_share"]); // what the change did not touch stays as in default
        Assert.Equal(5, resolved.Events.Single(e => e.Id == "added_grain_trade_1").Settings["extra_imports_mt"]);
        Assert.Equal(0.1, resolved.Parameters.Single(p => p.Name == "labour.water_works_share").Value);
        Assert.Contains("leapsim run --scenario heeded.yaml --resolution commune --seed 1", yaml);
    }

    [Fact]
    public async Task A_run_streams_every_month_into_charts_and_its_tables_download_as_csv()
    {
        await using var server = await WebTestServer.StartAsync(Options);
        const string body = "{\"preset\": \"default\", " + Province + ", \"seed\": 3, \"name\": \"no-purge\", \"events\": {\"lushan_purge\": {\"enabled\": false}}}";
        using var response = await server.PostRunAsync(body);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new EventReader(await response.Content.ReadAsStreamAsync());
        var seen = new List<(string Name, JsonElement Data)>();
        var done = await reader.UntilAsync("done", seen);
        Assert.NotNull(done);

        var months = seen.Where(e => e.Name == "month").Select(e => e.Data).ToList();
        Assert.Equal(Enumerable.Range(1, 120), months.Select(m => m.GetProperty("m").GetInt32()));
        Assert.Equal("1957-01", months[0].GetProperty("date").GetString());
        Assert.Equal("1966-12", months[^1].GetProperty("date").GetString());
        var frames = seen.Where(e => e.Name == "frame").Select(e => e.Data).ToList();
        Assert.Equal(1, frames[0].GetProperty("monthsDone").GetInt32());
        Assert.Equal(120, frames[^1].GetProperty("monthsDone").GetInt32());
        Assert.Equal(LiveFrames.MonthlyCharts.Count(), frames[^1].GetProperty("monthly").EnumerateObject().Count());
        Assert.Contains("<svg class=\"chart\"", frames[^1].GetProperty("monthly").GetProperty("grain").GetString());
        Assert.Contains("historical default", frames[^1].GetProperty("monthly").GetProperty("grain").GetString());
        // the values for the read-out under the mouse come with the last frame only (they are most of a frame's bytes)
        Assert.True(frames.Count >= 2, $"{frames.Count} frames");
        foreach (var f in frames.SkipLast(1)) Assert.DoesNotContain("data-hover", f.GetRawText());
        Assert.All(frames[^1].GetProperty("monthly").EnumerateObject(), c => Assert.Contains("data-hover", c.Value.GetString()));
        Assert.All(frames[^1].GetProperty("yearly").EnumerateObject(), c => Assert.Contains("data-hover", c.Value.GetString()));
        Assert.Equal(10, frames.Where(f => f.TryGetProperty("map", out _)).Select(f => f.GetProperty("map").GetProperty("years").GetArrayLength()).Last());
        // a frame carries only what changed: the first month has no complete year, so no yearly charts and no map
        Assert.False(frames[0].TryGetProperty("yearly", out _));
        Assert.False(frames[0].TryGetProperty("map", out _));
        // a month event carries what the counter and the progress bar show, and nothing empty
        Assert.Equal(["m", "date", "excessDeathsM", "historicalExcessDeathsM", "elapsedMs"], months[1].EnumerateObject().Select(p => p.Name));

        // the tables are those of the same scenario run directly, byte for byte
        var direct = new Simulation(ScenarioLibrary.Resolve(ScenarioReader.Parse("name: no-purge\nextends: default\nevents:\n  lushan_purge: { enabled: false }\n", "x.yaml")),
            new RunOptions { Resolution = Resolution.Province, Seed = 3, Threads = 1 });
        direct.Run();
        var tables = OutputTables.All(direct.Results, 1957);
        foreach (var link in done.Value.Data.GetProperty("csv").EnumerateArray())
        {
            var name = link.GetProperty("name").GetString()!;
            using var csv = await server.Client.GetAsync(link.GetProperty("href").GetString());
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            Assert.Equal("no-purge-" + name, csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            Assert.Equal(CsvTableWriter.ToCsv(tables.Single(t => t.Name + ".csv" == name)), await csv.Content.ReadAsStringAsync());
        }

        // the counter: true deaths of this run minus those of the no-Leap run with the same seed, summed so far
        var noLeap = new Simulation(ScenarioLibrary.Resolve("no-leap"), new RunOptions { Resolution = Resolution.Province, Seed = 3, Threads = 1 });
        noLeap.Run();
        double Deaths(Simulation s, int months) => s.Results.Path("deaths", s.Results.National).Take(months).Sum();
        foreach (var m in new[] { 12, 48, 120 })
            // The event rounds to 4 decimals (100 deaths): within half of that, not "equal to 3 places" (11.29148 and
            // 11.2915 round apart).
            Assert.Equal((Deaths(direct, m) - Deaths(noLeap, m)) * 1e-6, months[m - 1].GetProperty("excessDeathsM").GetDouble(), 0.5e-4 + 1e-9);
        Assert.True(months[^1].GetProperty("excessDeathsM").GetDouble() > 1, "the Leap's deaths show in the counter");
        Assert.NotEqual(months[^1].GetProperty("excessDeathsM").GetDouble(), months[^1].GetProperty("historicalExcessDeathsM").GetDouble());

        var status = await server.WaitForStatusAsync(s => s.GetProperty("running").GetInt32() == 0);
        Assert.Equal(1, status.GetProperty("finished").GetInt32());
        using var gone = await server.Client.GetAsync("api/runs/0000000000000000/national.csv");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Each_world_is_built_once_and_copied_for_every_run_that_starts_from_it()
    {
        await using var server = await WebTestServer.StartAsync(Options);
        async Task<JsonElement> Run(string fields)
        {
            using var response = await server.PostRunAsync("{" + Province + ", \"seed\": 5" + fields + "}");
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            using var reader = new EventReader(await response.Content.ReadAsStreamAsync());
            var seen = new List<(string Name, JsonElement Data)>();
            Assert.True(await reader.UntilAsync("done", seen) is not null, $"{response.StatusCode}: " + string.Join("; ", seen.Where(e => e.Name != "month" && e.Name != "frame").Select(e => e.Name + " " + e.Data)));
            return await server.WaitForStatusAsync(s => s.GetProperty("running").GetInt32() == 0);
        }
        // the comparison runs (default and no-leap, the same world) and a run that changes events: one world
        Assert.Equal(1, (await Run(", \"events\": {\"lushan_purge\": {\"enabled\": false}}")).GetProperty("worldsBuilt").GetInt32());
        Assert.Equal(1, (await Run(", \"events\": {\"backyard_steel\": {\"settings\": {\"campaign\": 0.5}}}")).GetProperty("worldsBuilt").GetInt32());
        // another parameter value is another world, built once
        Assert.Equal(2, (await Run(", \"parameters\": {\"world.zeal_cv\": 0.5}")).GetProperty("worldsBuilt").GetInt32());
        Assert.Equal(2, (await Run(", \"parameters\": {\"world.zeal_cv\": 0.5}")).GetProperty("worldsBuilt").GetInt32());
    }

    [Fact]
    public async Task An_unchanged_preset_counts_the_same_deaths_as_the_historical_default()
    {
        await using var server = await WebTestServer.StartAsync(Options);
        using var response = await server.PostRunAsync("{" + Province + "}");
        using var reader = new EventReader(await response.Content.ReadAsStreamAsync());
        var seen = new List<(string Name, JsonElement Data)>();
        Assert.NotNull(await reader.UntilAsync("done", seen));
        var months = seen.Where(e => e.Name == "month").Select(e => e.Data).ToList();
        Assert.Equal(120, months.Count);                    // 1957-1966, every month compared
        foreach (var m in months)
            Assert.Equal(m.GetProperty("historicalExcessDeathsM").GetDouble(), m.GetProperty("excessDeathsM").GetDouble(), 6);
        var deaths = months[^1].GetProperty("excessDeathsM").GetDouble();
        Assert.True(deaths > 1, $"the default counts {deaths} million excess deaths by 1966: the months compared are hardly more than zeros");
    }

    [Fact]
    public async Task A_fifth_run_waits_in_line_with_its_place_shown_and_moves_up()
    {
        await using var server = await WebTestServer.StartAsync(Options with { MaxConcurrentRuns = 4 });
        // the comparison runs first, so that the page runs below go straight to the line
        using (var warm = await server.PostRunAsync("{" + Province + "}"))
        using (var r = new EventReader(await warm.Content.ReadAsStreamAsync()))
            Assert.NotNull(await r.UntilAsync("done"));

        // four simulations hold the four slots
        var held = new List<IDisposable>();
        for (var i = 0; i < 4; i++) held.Add(await server.Queue.EnterAsync(null, default));
        Assert.Equal(4, server.Queue.Running);

        using var fifth = await server.PostRunAsync("{" + Province + "}");
        using var fifthEvents = new EventReader(await fifth.Content.ReadAsStreamAsync());
        var queued = await fifthEvents.UntilAsync("queued");
        Assert.Equal(1, queued!.Value.Data.GetProperty("position").GetInt32());

        using var sixth = await server.PostRunAsync("{" + Province + "}");
        using var sixthEvents = new EventReader(await sixth.Content.ReadAsStreamAsync());
        Assert.Equal(2, (await sixthEvents.UntilAsync("queued"))!.Value.Data.GetProperty("position").GetInt32());
        var status = await server.StatusAsync();
        Assert.Equal(4, status.GetProperty("running").GetInt32());
        Assert.Equal(2, status.GetProperty("waiting").GetInt32());

        // a slot frees: the fifth starts, the sixth moves up to first in line
        held[0].Dispose();
        Assert.NotNull(await fifthEvents.UntilAsync("started"));
        Assert.Equal(1, (await sixthEvents.UntilAsync("queued"))!.Value.Data.GetProperty("position").GetInt32());
        Assert.NotNull(await fifthEvents.UntilAsync("done"));
        Assert.NotNull(await sixthEvents.UntilAsync("done"));
        foreach (var h in held) h.Dispose();
        status = await server.WaitForStatusAsync(s => s.GetProperty("running").GetInt32() == 0);
        Assert.Equal(0, status.GetProperty("running").GetInt32());
        Assert.Equal(3, status.GetProperty("finished").GetInt32());
    }

    [Fact]
    public async Task Closing_the_connection_cancels_the_run_and_frees_its_slot()
    {
        // the run is held after its second month until it is cancelled, so the connection closes while it runs
        var reachedMonth2 = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Options with
        {
            AfterMonth = (month, cancel) =>
            {
                if (month != 2) return;
                reachedMonth2.TrySetResult();
                cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(60));
                cancel.ThrowIfCancellationRequested();
            },
        };
        await using var server = await WebTestServer.StartAsync(options);
        var response = await server.PostRunAsync("{" + Province + "}");
        var reader = new EventReader(await response.Content.ReadAsStreamAsync());
        Assert.NotNull(await reader.UntilAsync("month"));
        await reachedMonth2.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, (await server.StatusAsync()).GetProperty("running").GetInt32());

        reader.Dispose();
        response.Dispose(); // the client goes away mid-run
        var status = await server.WaitForStatusAsync(s => s.GetProperty("cancelled").GetInt32() == 1 && s.GetProperty("running").GetInt32() == 0);
        Assert.Equal(1, status.GetProperty("cancelled").GetInt32());
        Assert.Equal(0, status.GetProperty("running").GetInt32());
        Assert.Equal(0, status.GetProperty("finished").GetInt32());
    }

    [Fact]
    public async Task A_run_abandoned_while_waiting_leaves_the_line()
    {
        await using var server = await WebTestServer.StartAsync(Options with { MaxConcurrentRuns = 1 });
        using (var warm = await server.PostRunAsync("{" + Province + "}"))
        using (var r = new EventReader(await warm.Content.ReadAsStreamAsync()))
            Assert.NotNull(await r.UntilAsync("done"));
        using var slot = await server.Queue.EnterAsync(null, default);
        var response = await server.PostRunAsync("{" + Province + "}");
        var reader = new EventReader(await response.Content.ReadAsStreamAsync());
        Assert.NotNull(await reader.UntilAsync("queued"));
        Assert.Equal(1, server.Queue.Waiting);
        reader.Dispose();
        response.Dispose();
        var status = await server.WaitForStatusAsync(s => s.GetProperty("waiting").GetInt32() == 0 && s.GetProperty("cancelled").GetInt32() == 1);
        Assert.Equal(0, status.GetProperty("waiting").GetInt32());
        Assert.Equal(1, status.GetProperty("cancelled").GetInt32());
        Assert.Equal(0, status.GetProperty("started").GetInt32() - 1); // only the warm-up run ever started
    }
}
