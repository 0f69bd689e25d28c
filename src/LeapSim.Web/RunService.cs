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

    /// <param name="clock">Started when the request arrived: the events give their times from then.</param>
    /// <param name="readMs">When the request's body had been read (the rest of <c>checkedMs</c> is checking it).</param>
    public async Task ExecuteAsync(RunRequest request, string yaml, ResolvedScenario scenario, ChannelWriter<ServerEvent> events, Stopwatch clock, CancellationToken cancel, long? readMs = null)
    {
        stats.Accept();
        try
        {
            await events.WriteAsync(Event("accepted", new { scenario = scenario.Name, preset = request.Preset, resolution = request.Resolution.ToString().ToLowerInvariant(), seed = request.Seed, readMs, checkedMs = clock.ElapsedMilliseconds }), cancel);
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

    /// <summary>
    /// The simulation itself, on a worker thread: a month event after every month, a frame when one is due. Frames are
    /// drawn beside the simulation, from a copy of its results taken between months, one at a time: the simulation
    /// waits for a drawing only at its last month (so that the last frame goes out before <c>done</c>).
    /// </summary>
    private IReadOnlyList<Table> Simulate(RunRequest request, ResolvedScenario scenario, BaselinePair pair, ChannelWriter<ServerEvent> events, Stopwatch clock, CancellationToken cancel)
    {
        var paused = GC.GetTotalPauseDuration(); // the garbage collector's pauses in the first month, for the page's record of timings
        var built = clock.ElapsedMilliseconds;
        var sim = worlds.NewSimulation(scenario, request.Options(options.ThreadsPerRun));
        built = clock.ElapsedMilliseconds - built;
        var national = sim.Results.National;
        var deaths = sim.Results.IndexOf("deaths");
        double excess = 0;
        var lastFrame = TimeSpan.MinValue;
        var gapTicks = options.FrameInterval.Ticks;
        var lastYears = 0;
        var snapshot = new MonthlySeries(sim.Results.Series, sim.Results.Provinces, sim.First, sim.MonthCount);
        var drawing = Task.CompletedTask;
        void Post(ServerEvent e) => events.WriteAsync(e, cancel).AsTask().GetAwaiter().GetResult();
        try
        {
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
                    elapsedMs = clock.ElapsedMilliseconds,
                    buildMs = done == 1 ? built : (long?)null,
                    gcPauseMs = done == 1 ? (long)(GC.GetTotalPauseDuration() - paused).TotalMilliseconds : (long?)null,
                }));
                var years = done / 12;
                if (done == 1 || sim.Finished || drawing.IsCompleted && (clock.Elapsed - lastFrame).Ticks >= Volatile.Read(ref gapTicks))
                {
                    drawing.GetAwaiter().GetResult(); // the last month waits for the drawing before it; a drawing that failed fails the run
                    sim.Results.RawValues.CopyTo(snapshot.RawValues, 0);
                    var (monthsDone, withYears) = (done, years > lastYears); // the yearly charts and the map change only when a year is complete
                    lastYears = years;
                    lastFrame = clock.Elapsed;
                    drawing = Task.Run(() =>
                    {
                        var start = clock.Elapsed;
                        var frame = LiveFrames.Render(snapshot, monthsDone, pair, withYears);
                        var end = clock.Elapsed;
                        Post(new ServerEvent("frame", frame.ToJson((long)end.TotalMilliseconds, (long)(end - start).TotalMilliseconds)));
                        // drawing takes at most its share of the time: on a busy machine the frames come less often
                        var wanted = (long)((end - start).Ticks / options.DrawingShare);
                        Volatile.Write(ref gapTicks, Math.Clamp(wanted, options.FrameInterval.Ticks, 4 * options.FrameInterval.Ticks));
                    }, cancel);
                }
                options.AfterMonth?.Invoke(done, cancel);
            }), cancel);
            drawing.GetAwaiter().GetResult(); // the last frame is out before "done"
        }
        finally
        {
            _ = drawing.ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // a drawing cut short by cancelling is nobody's error
            worlds.PrepareCopy(scenario, sim.Options); // for the next run, now that this one is over
        }
        return OutputTables.All(sim.Results, sim.First.Year);
    }

    /// <summary>
    /// Makes the first page run as quick as the later ones: computes the comparison runs of <paramref name="resolution"/>
    /// (seed 1), which builds its world, then rehearses a page run through the same code as any other (reading a
    /// request, writing and reading its scenario, taking a copy of the world, the months, their events and frames of
    /// charts and map) until its first frame with the yearly charts, and cancels it; so that none of it waits for the
    /// JIT compiler when someone presses Run. The rehearsal counts in no statistics and keeps no tables.
    /// </summary>
    public async Task WarmUpAsync(Resolution resolution, CancellationToken cancel)
    {
        await baselines.GetAsync(resolution, Catalog.DefaultSeed, cancel);
        var rehearsal = new RunService(options, queue, baselines, worlds, new RunStore(1), new RunStats());
        using var doc = JsonDocument.Parse("""
            {"resolution": "RESOLUTION", "name": "rehearsal", "events": {"lushan_purge": {"enabled": false}, "backyard_steel": {"settings": {"campaign": 0.5}},
             "added_grain_trade_1": {"policy": "grain_trade", "date": "1959-04", "settings": {"extra_imports_mt": 5}}}}
            """.Replace("RESOLUTION", resolution.Name(), StringComparison.Ordinal));
        var request = RunRequest.Parse(doc.RootElement);
        var (yaml, scenario) = request.Prepare();
        var events = Channel.CreateUnbounded<ServerEvent>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var run = rehearsal.ExecuteAsync(request, yaml, scenario, events.Writer, Stopwatch.StartNew(), stop.Token);
        await foreach (var e in events.Reader.ReadAllAsync(cancel))
        {
            _ = EventStream.Format(e);
            if (e.Name == "frame" && e.Json.Contains("\"yearly\":{", StringComparison.Ordinal) || e.Name is "done" or "error") break;
        }
        await stop.CancelAsync();
        try { await run; }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        cancel.ThrowIfCancellationRequested();
        WarmedUp = true;
    }

    /// <summary>Whether <see cref="WarmUpAsync"/> has finished.</summary>
    public bool WarmedUp { get; private set; }

    public static ServerEvent Event(string name, object data) => new(name, JsonSerializer.Serialize(data, Json));

    /// <summary>
    /// The events are read by the page's script with JSON.parse, never placed in HTML as text, so markup characters
    /// need no escaping (which would make a frame a third larger).
    /// </summary>
    internal static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull, // what is absent is not sent
    };

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
            await body.WriteAsync(Format(e), cancel);
            await body.FlushAsync(cancel);
        }
    }

    /// <summary>An event as the bytes of text/event-stream.</summary>
    public static byte[] Format(ServerEvent e) =>
        System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"event: {e.Name}\ndata: {e.Json}\n\n"));
}
