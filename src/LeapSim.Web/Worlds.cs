using System.Collections.Concurrent;
using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;

namespace LeapSim.Web;

/// <summary>
/// The worlds the server's runs start from, each built once (<see cref="WorldTemplate"/>) and copied for every run
/// that needs it: runs that change only policy events share the world of their resolution and seed, so pressing Run
/// copies a world (a few milliseconds at commune resolution) instead of building one (tens of milliseconds, more on
/// a busy machine). A run that changes a parameter gets the world of its parameter values, built on first use. At
/// most <see cref="Capacity"/> worlds are kept (the page offers province, county and commune resolution, about
/// 10 MB a commune world); the least recently used goes first.
/// </summary>
public sealed class Worlds(int capacity = 8)
{
    private readonly ConcurrentDictionary<WorldKey, Entry> _entries = new();
    private long _clock;
    private int _built;

    public int Capacity { get; } = capacity;

    /// <summary>Worlds built so far (a run that finds its world kept builds none).</summary>
    public int Built => Volatile.Read(ref _built);

    /// <summary>A new simulation of <paramref name="scenario"/> on a copy of its world (the one made ahead of time, if ready).</summary>
    public Simulation NewSimulation(ResolvedScenario scenario, RunOptions options) =>
        new(scenario, options, template: Template(scenario, options));

    /// <summary>
    /// Makes the copy of its world that the next run like this one will take at once (<see cref="WorldTemplate.PrepareCopy"/>):
    /// called when a run is over, so that copying is off the way between pressing Run and the first month.
    /// </summary>
    public void PrepareCopy(ResolvedScenario scenario, RunOptions options) => Template(scenario, options).PrepareCopy();

    /// <summary>The world a run of <paramref name="scenario"/> with <paramref name="options"/> starts from, built if it is not kept.</summary>
    public WorldTemplate Template(ResolvedScenario scenario, RunOptions options)
    {
        var key = WorldKey.Of(scenario, options);
        // Lazy: two runs that need the same new world at once build it once.
        var entry = _entries.GetOrAdd(key, _ => new Entry(new Lazy<WorldTemplate>(() =>
        {
            Interlocked.Increment(ref _built);
            return WorldTemplate.Build(scenario, options);
        })));
        entry.LastUsed = Interlocked.Increment(ref _clock);
        try
        {
            var template = entry.Template.Value;
            Trim();
            return template;
        }
        catch
        {
            _entries.TryRemove(new KeyValuePair<WorldKey, Entry>(key, entry)); // a failed build is not kept
            throw;
        }
    }

    private void Trim()
    {
        while (_entries.Count > Capacity)
        {
            var oldest = _entries.Where(e => e.Value.Template.IsValueCreated).OrderBy(e => e.Value.LastUsed).FirstOrDefault();
            if (oldest.Value is null || !_entries.TryRemove(oldest)) return;
        }
    }

    private sealed class Entry(Lazy<WorldTemplate> template)
    {
        public Lazy<WorldTemplate> Template { get; } = template;
        public long LastUsed { get; set; }
    }
}
