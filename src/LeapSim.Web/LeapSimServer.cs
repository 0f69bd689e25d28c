using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using LeapSim.Core.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LeapSim.Web;

/// <summary>
/// The `leapsim serve` app: one page (GET /), the catalogue of controls (GET /api/catalog), a run streamed as
/// server-sent events (POST /api/runs), the scenario file of the page's settings (POST /api/scenario), a finished
/// run's tables as CSV (GET /api/runs/ID/TABLE.csv) and the server's load (GET /api/status).
/// </summary>
/// <remarks>
/// Safety: it listens on the loopback address unless told otherwise, and then answers only requests addressed to
/// localhost (no DNS rebinding); POST bodies must be JSON (so another site cannot post to it without a CORS
/// preflight, which it never grants) and at most <see cref="WebOptions.MaxRequestBodyBytes"/>; values are checked
/// against their declared ranges before anything runs; at most <see cref="WebOptions.MaxConcurrentRuns"/>
/// simulations run at once; a run whose page goes away is cancelled. The page never names a file: scenarios extend
/// only built-ins, inputs are the embedded tables, downloads are made in memory; nothing is read or written on disk.
/// </remarks>
public static class LeapSimServer
{
    public static WebApplication Build(WebOptions options, Action<ILoggingBuilder>? logging = null)
    {
        // Simulations block pool threads for their chunked work; with the pool's default minimum (one thread a core)
        // the requests and streams of the other pages would wait for the pool to grow, half a second a thread.
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = Math.Max(workers, (options.MaxConcurrentRuns + 2) * Math.Max(2, options.ThreadsPerRun) + 4);
        ThreadPool.SetMinThreads(wanted, io);

        // An empty content root: the app serves nothing from disk, wherever it is started from.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Address, options.Port);
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });
        builder.Services.AddHostFiltering(h =>
        {
            h.AllowedHosts = options.IsLoopback ? ["localhost", "127.0.0.1", "[::1]"] : ["*"];
            h.AllowEmptyHosts = false;
        });
        var queue = new RunQueue(options.MaxConcurrentRuns, options.MaxWaitingRuns);
        var worlds = new Worlds(options.KeptWorlds);
        var baselines = new Baselines(queue, worlds, options.ThreadsPerRun, options.KeptBaselines);
        var store = new RunStore(options.KeptRuns);
        var service = new RunService(options, queue, baselines, worlds, store, new RunStats());
        builder.Services.AddSingleton(options).AddSingleton(queue).AddSingleton(worlds).AddSingleton(baselines).AddSingleton(store).AddSingleton(service);

        var app = builder.Build();
        app.UseHostFiltering();
        app.Use(async (http, next) =>
        {
            var h = http.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "no-referrer";
            h.ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            await next(http);
        });

        var page = new Lazy<byte[]>(() => Encoding.UTF8.GetBytes(PageBuilder.Build(Catalog.Current, options)));
        var catalogJson = new Lazy<string>(() => Catalog.Current.ToJson());

        app.MapGet("/", () => Results.Bytes(page.Value, "text/html; charset=utf-8"));
        app.MapGet("/api/catalog", () => Results.Text(catalogJson.Value, "application/json"));
        app.MapGet("/api/status", () => Results.Json(new
        {
            running = queue.Running,
            waiting = queue.Waiting,
            slots = queue.Slots,
            accepted = service.Stats.Accepted,
            started = service.Stats.Started,
            finished = service.Stats.Finished,
            cancelled = service.Stats.Cancelled,
            failed = service.Stats.Failed,
            comparisonReady = baselines.IsReady(Catalog.DefaultResolution, Catalog.DefaultSeed),
            warmedUp = service.WarmedUp,
            worldsBuilt = worlds.Built,
        }));

        app.MapPost("/api/scenario", async (HttpContext http) =>
        {
            var (request, problem) = await ReadRequest(http);
            if (problem is not null) return problem;
            try
            {
                var (yaml, _) = request!.Prepare();
                return Results.File(Encoding.UTF8.GetBytes(yaml), "application/yaml; charset=utf-8", request.Name + ".yaml");
            }
            catch (RequestException e) { return Refuse(e); }
        });

        app.MapPost("/api/runs", async (HttpContext http) =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (request, problem) = await ReadRequest(http);
            var readMs = clock.ElapsedMilliseconds;
            if (problem is not null) { await problem.ExecuteAsync(http); return; }
            string yaml;
            Core.Scenarios.ResolvedScenario scenario;
            try { (yaml, scenario) = request!.Prepare(); }
            catch (RequestException e) { await Refuse(e).ExecuteAsync(http); return; }

            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            http.Response.ContentType = "text/event-stream; charset=utf-8";
            http.Response.Headers.CacheControl = "no-store";
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, app.Lifetime.ApplicationStopping);
            var events = Channel.CreateBounded<ServerEvent>(new BoundedChannelOptions(16) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
            var pump = EventStream.PumpAsync(events.Reader, http.Response.Body, cancel.Token)
                .ContinueWith(t => { if (!t.IsCompletedSuccessfully) cancel.Cancel(); }, TaskScheduler.Default);
            try
            {
                await service.ExecuteAsync(request, yaml, scenario, events.Writer, clock, cancel.Token, readMs);
            }
            catch (OperationCanceledException) { }
            finally
            {
                events.Writer.TryComplete();
                await pump;
            }
        });

        app.MapGet("/api/runs/{id}/{table}.csv", (string id, string table) =>
        {
            var run = store.Find(id);
            var t = run?.Tables.FirstOrDefault(x => x.Name == table);
            if (run is null || t is null) return Results.NotFound(new { message = "no such finished run or table (runs are kept in memory, the last few only)" });
            using var ms = new MemoryStream();
            CsvTableWriter.Write(t, ms);
            return Results.File(ms.ToArray(), "text/csv; charset=utf-8", $"{run.ScenarioName}-{t.Name}.csv");
        });

        if (options.WarmUp is { } warm)
            app.Lifetime.ApplicationStarted.Register(() => _ = WarmUpAsync(app, service, warm)
                .ContinueWith(t => _ = t.Exception, TaskScheduler.Default)); // a failed warm-up only leaves the first run slower
        return app;
    }

    /// <summary>
    /// Warms up the way a request takes before it reaches the simulation (Kestrel, the body read as JSON, the checks,
    /// the scenario file written and read back) with a request to the server's own scenario download, then the
    /// rest of a run (<see cref="RunService.WarmUpAsync"/>).
    /// </summary>
    private static async Task WarmUpAsync(WebApplication app, RunService service, Core.World.Resolution resolution)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        var url = new UriBuilder(app.Urls.First());
        if (url.Host is "0.0.0.0") url.Host = "127.0.0.1";
        else if (url.Host is "[::]" or "::") url.Host = "[::1]";
        try
        {
            using var client = new HttpClient { BaseAddress = url.Uri, Timeout = TimeSpan.FromMinutes(1) };
            const string body = """
                {"preset": "default", "resolution": "commune", "seed": 1, "name": "warm-up", "parameters": {"labour.water_works_share": 0.1},
                 "events": {"lushan_purge": {"enabled": false}, "backyard_steel": {"date": "1958-10", "settings": {"campaign": 0.5}},
                 "added_grain_trade_1": {"policy": "grain_trade", "date": "1959-04", "settings": {"extra_imports_mt": 5}}}}
                """;
            using var response = await client.PostAsync("api/scenario", new StringContent(body, Encoding.UTF8, "application/json"), stopping);
            await response.Content.ReadAsByteArrayAsync(stopping);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stopping.IsCancellationRequested)
        {
            // the server cannot reach itself (a firewall, an address it cannot connect to): the first request warms it instead
        }
        await service.WarmUpAsync(resolution, stopping);
    }

    /// <summary>Reads and checks a request body: JSON, within the size limit, a <see cref="RunRequest"/>.</summary>
    private static async Task<(RunRequest? Request, IResult? Problem)> ReadRequest(HttpContext http)
    {
        if (!(http.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Results.Json(Errors("<request>", "the request must be JSON (Content-Type: application/json)"), statusCode: StatusCodes.Status415UnsupportedMediaType));
        try
        {
            using var doc = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = 8 }, http.RequestAborted);
            return (RunRequest.Parse(doc.RootElement), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Results.Json(Errors("<request>", "the request is too large"), statusCode: StatusCodes.Status413PayloadTooLarge));
        }
        catch (JsonException e)
        {
            return (null, Results.Json(Errors("<request>", "the request is not valid JSON: " + e.Message), statusCode: StatusCodes.Status400BadRequest));
        }
        catch (RequestException e)
        {
            return (null, Refuse(e));
        }
    }

    private static IResult Refuse(RequestException e) => Results.Json(Errors(e.Key, e.Message), statusCode: StatusCodes.Status400BadRequest);

    private static object Errors(string key, string message) => new { errors = new[] { new { key, message } } };
}
