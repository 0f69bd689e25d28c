using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using LeapSim.Core.Engine;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;

namespace LeapSim.Web;

/// <summary>A server-sent event: its name and its JSON data.</summary>
public readonly record struct ServerEvent(string Name, string Json);

/// <summary>
/// Runs a page's simulation and tells the page what happens, as events on a channel the endpoint streams:
/// <c>accepted</c>; <c>preparing</c> while the comparison runs are computed; <c>queued</c> with the place in line
/// while the concurrent runs are all taken; <c>started</c>; a <c>month</c> after every month (the deaths above the
/// no-Leap world so far, and the historical default's at the same month); a <c>frame</c> with the charts and map at
/// most every <see cref="WebOptions.FrameInterval"/> (less often when drawing is slow) and after the first and last month; <c>done</c> with the links
/// of the CSV downloads, or <c>error</c>. Cancelling the token (the page closed the connection) stops the run
/// within a month's chunk of work and frees its slot.
/// </summary>
public sealed class RunService(WebOptions options, RunQueue queue, Baselines baselines, Worlds worlds, RunStore store, RunStats stats)
{
    public RunQueue Queue => queue;
    public RunStats Stats => stats;
    public Worlds Worlds => worlds;

    /// <param name="clock">Started when the request arrived: the events give their times from then.</param>
    public async Task ExecuteAsync(RunRequest request, string yaml, ResolvedScenario scenario, ChannelWriter<ServerEvent> events, Stopwatch clock, CancellationToken cancel)
    {
        stats.Accept();
        try
        {
            await events.WriteAsync(Event("accepted", new { scenario = scenario.Name, preset = request.Preset, resolution = request.Resolution.ToString().ToLowerInvariant(), seed = request.Seed, checkedMs = clock.ElapsedMilliseconds }), cancel);
            if (!baselines.IsReady(request.Resolution, request.Seed))
                await events.WriteAsync(Event("preparing", new { text = $"computing the historical default and the no-Leap run at {request.Resolution.ToString().ToLowerInvariant()} resolution, seed {request.Seed}, to compare with" }), cancel);
            var pair = await baselines.GetAsync(request.Resolution, request.Seed, cancel);
            using var lease = await queue.EnterAsync(position => events.TryWrite(Event("queued", new { position })), cancel);
            stats.Start();
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            await events.WriteAsync(Event("started", new { run = id, months = new RunOptions().Years.MonthCount, waitedMs = clock.ElapsedMilliseconds }), cancel);
            // The run has a thread of its own: a month's work blocks it (and its chunks take pool threads), while the
            // stream to the page must never wait for a free pool thread.
            var tables = await Task.Factory.StartNew(() => Simulate(request, scenario, pair, events, clock, cancel), cancel,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            store.Add(new FinishedRun(id, scenario.Name, yaml, tables));
            stats.Finish();
            await events.WriteAsync(Event("done", new
            {
                run = id,
                seconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
                csv = tables.Select(t => new { name = t.Name + ".csv", href = $"api/runs/{id}/{t.Name}.csv" }),
            }), cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            stats.Cancel();
            throw;
        }
        catch (QueueFullException e)
        {
            stats.Fail();
            events.TryWrite(Event("error", new { message = e.Message })); // never wait on a page that does not read
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stats.Fail();
            events.TryWrite(Event("error", new { message = $"the run failed: {e.GetType().Name}: {e.Message}" }));
        }
    }

    /// <summary>The simulation itself, on a worker thread: a month event after every month, a frame when one is due.</summary>
    private IReadOnlyList<Table> Simulate(RunRequest request, ResolvedScenario scenario, BaselinePair pair, ChannelWriter<ServerEvent> events, Stopwatch clock, CancellationToken cancel)
    {
        var built = clock.ElapsedMilliseconds;
        var sim = worlds.NewSimulation(scenario, request.Options(options.ThreadsPerRun));
        built = clock.ElapsedMilliseconds - built;
        var national = sim.Results.National;
        var deaths = sim.Results.IndexOf("deaths");
        var population = sim.Results.IndexOf("population");
        double excess = 0;
        var lastFrame = TimeSpan.MinValue;
        var gap = options.FrameInterval;
        var lastYears = 0;
        void Post(ServerEvent e) => events.WriteAsync(e, cancel).AsTask().GetAwaiter().GetResult();
        sim.Run(new MonthReport(done =>
        {
            var m = done - 1;
            excess += sim.Results.Row(deaths, m)[national] - pair.NoLeap.Deaths[m];
            Post(Event("month", new
            {
                m = done,
                date = new Month(sim.First.Index + m).ToString(),
                excessDeathsM = Math.Round(excess * 1e-6, 4),
                historicalExcessDeathsM = Math.Round(pair.HistoricalExcess(done) * 1e-6, 4),
                populationM = Math.Round(sim.Results.Row(population, m)[national] * 1e-6, 3),
                elapsedMs = clock.ElapsedMilliseconds,
                buildMs = done == 1 ? built : (long?)null,
            }));
            var years = done / 12;
            if (done == 1 || sim.Finished || clock.Elapsed - lastFrame >= gap)
            {
                // the yearly charts and the map change only when a year is complete
                var start = clock.Elapsed;
                Post(new ServerEvent("frame", LiveFrames.Render(sim.Results, done, pair, withYears: years > lastYears).ToJson()));
                lastFrame = clock.Elapsed;
                lastYears = years;
                // drawing takes at most a tenth of the run: on a busy machine the frames come less often
                gap = TimeSpan.FromTicks(Math.Max(options.FrameInterval.Ticks, 9 * (lastFrame - start).Ticks));
            }
            options.AfterMonth?.Invoke(done, cancel);
        }), cancel);
        return OutputTables.All(sim.Results, sim.First.Year);
    }

    /// <summary>
    /// Makes the first page run as quick as the later ones: computes the comparison runs of <paramref name="resolution"/>
    /// (seed 1), which builds its world, then goes once through everything a run does before its first months reach
    /// the page (reading a request, writing and reading its scenario, copying the world, a year of months, a frame of
    /// charts and map), so that none of it waits for the JIT compiler when someone presses Run.
    /// </summary>
    public async Task WarmUpAsync(Resolution resolution, CancellationToken cancel)
    {
        var pair = await baselines.GetAsync(resolution, Catalog.DefaultSeed, cancel);
        using var lease = await queue.EnterAsync(null, cancel);
        await Task.Run(() =>
        {
            using var doc = JsonDocument.Parse($"{{\"resolution\": \"{resolution.Name()}\", \"events\": {{\"lushan_purge\": {{\"enabled\": false}}}}}}");
            var request = RunRequest.Parse(doc.RootElement);
            var (_, scenario) = request.Prepare();
            var sim = worlds.NewSimulation(scenario, request.Options(options.ThreadsPerRun));
            for (var m = 0; m < 12; m++)
            {
                cancel.ThrowIfCancellationRequested();
                sim.Step();
            }
            _ = LiveFrames.Render(sim.Results, 12, pair, withYears: true).ToJson();
        }, cancel);
        WarmedUp = true;
    }

    /// <summary>Whether <see cref="WarmUpAsync"/> has finished.</summary>
    public bool WarmedUp { get; private set; }

    public static ServerEvent Event(string name, object data) => new(name, JsonSerializer.Serialize(data, Json));

    /// <summary>
    /// The events are read by the page's script with JSON.parse, never placed in HTML as text, so markup characters
    /// need no escaping (which would make a frame a third larger).
    /// </summary>
    internal static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reports on the simulation's own thread, between months (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class MonthReport(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

/// <summary>Writes events to a response as text/event-stream, flushing after each.</summary>
public static class EventStream
{
    public static async Task PumpAsync(ChannelReader<ServerEvent> events, Stream body, CancellationToken cancel)
    {
        await foreach (var e in events.ReadAllAsync(cancel))
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"event: {e.Name}\ndata: {e.Json}\n\n");
            await body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancel);
            await body.FlushAsync(cancel);
        }
    }
}
