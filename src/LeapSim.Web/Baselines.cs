using System.Collections.Concurrent;
using LeapSim.Core.Engine;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Web;

/// <summary>A finished run the page compares with: its tables and its true deaths month by month.</summary>
public sealed record BaselineRun(string Scenario, Table National, Table Monthly, double[] Deaths);

/// <summary>The two runs every page run is measured against, with the same resolution and seed.</summary>
public sealed record BaselinePair(BaselineRun Historical, BaselineRun NoLeap)
{
    /// <summary>Deaths of the historical default above the no-Leap world, summed over the first <paramref name="months"/> months.</summary>
    public double HistoricalExcess(int months)
    {
        double sum = 0;
        for (var m = 0; m < months; m++) sum += Historical.Deaths[m] - NoLeap.Deaths[m];
        return sum;
    }
}

/// <summary>
/// The historical default and the no-Leap run for each (resolution, seed), computed once and kept (the same every
/// time: runs are reproducible from their seed). Each run takes a slot of the <see cref="RunQueue"/> like any other.
/// A computation belongs to the request that started it: if that request goes away, the computation stops and the
/// next request starts it again. At most <see cref="Capacity"/> pairs are kept; the least recently used goes first.
/// </summary>
public sealed class Baselines(RunQueue queue, Worlds worlds, int threads, int capacity = 8)
{
    private readonly ConcurrentDictionary<(Resolution, ulong), Entry> _entries = new();
    private long _clock;

    public int Capacity { get; } = capacity;

    /// <summary>Whether the pair for this resolution and seed is ready now.</summary>
    public bool IsReady(Resolution resolution, ulong seed) =>
        _entries.TryGetValue((resolution, seed), out var e) && e.Task.IsCompletedSuccessfully;

    public async Task<BaselinePair> GetAsync(Resolution resolution, ulong seed, CancellationToken cancel)
    {
        var key = (resolution, seed);
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            var entry = _entries.GetOrAdd(key, k => new Entry(() => Compute(k.Item1, k.Item2, cancel)));
            entry.LastUsed = Interlocked.Increment(ref _clock);
            try
            {
                var pair = await entry.Task.WaitAsync(cancel);
                Trim();
                return pair;
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                // The request that started it went away: forget it, and start it again for this one.
                _entries.TryRemove(new KeyValuePair<(Resolution, ulong), Entry>(key, entry));
            }
            catch (Exception) when (entry.Task.IsFaulted)
            {
                _entries.TryRemove(new KeyValuePair<(Resolution, ulong), Entry>(key, entry));
                throw;
            }
        }
    }

    private void Trim()
    {
        while (_entries.Count > Capacity)
        {
            var oldest = _entries.Where(e => e.Value.Task.IsCompleted).OrderBy(e => e.Value.LastUsed).FirstOrDefault();
            if (oldest.Value is null || !_entries.TryRemove(oldest)) return;
        }
    }

    private async Task<BaselinePair> Compute(Resolution resolution, ulong seed, CancellationToken cancel)
    {
        await Task.Yield();
        var options = new RunOptions { Resolution = resolution, Seed = seed, Threads = threads };
        var runs = await Task.WhenAll(RunAsync("default", options, cancel), RunAsync("no-leap", options, cancel));
        return new BaselinePair(runs[0], runs[1]);
    }

    private async Task<BaselineRun> RunAsync(string scenario, RunOptions options, CancellationToken cancel)
    {
        using var lease = await queue.EnterAsync(null, cancel);
        return await Task.Run(() =>
        {
            var sim = worlds.NewSimulation(ScenarioLibrary.Resolve(scenario), options);
            sim.Run(null, cancel);
            var national = sim.Results.National;
            return new BaselineRun(scenario,
                OutputTables.National(sim.Results, sim.First.Year),
                OutputTables.NationalMonthly(sim.Results, sim.First.Year),
                sim.Results.Path("deaths", national));
        }, cancel);
    }

    /// <summary>A cache entry; its computation starts on first use, so an entry that loses a race to be added never runs.</summary>
    private sealed class Entry(Func<Task<BaselinePair>> start)
    {
        private readonly Lazy<Task<BaselinePair>> _task = new(start);
        public Task<BaselinePair> Task => _task.Value;
        public long LastUsed { get; set; }
    }
}
