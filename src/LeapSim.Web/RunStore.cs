using LeapSim.Core.Results;

namespace LeapSim.Web;

/// <summary>A finished page run, kept in memory for its downloads (nothing is written to disk).</summary>
public sealed record FinishedRun(string Id, string ScenarioName, string ScenarioYaml, IReadOnlyList<Table> Tables);

/// <summary>The last few finished runs by id, for the CSV downloads; the oldest is forgotten first.</summary>
public sealed class RunStore(int capacity)
{
    private readonly object _gate = new();
    private readonly LinkedList<FinishedRun> _runs = new();

    public void Add(FinishedRun run)
    {
        lock (_gate)
        {
            _runs.AddFirst(run);
            while (_runs.Count > capacity) _runs.RemoveLast();
        }
    }

    public FinishedRun? Find(string id)
    {
        lock (_gate) return _runs.FirstOrDefault(r => r.Id == id);
    }
}

/// <summary>Counts of page runs by outcome, for /api/status (and the tests).</summary>
public sealed class RunStats
{
    private int _accepted, _started, _finished, _cancelled, _failed;

    public int Accepted => Volatile.Read(ref _accepted);
    public int Started => Volatile.Read(ref _started);
    public int Finished => Volatile.Read(ref _finished);
    public int Cancelled => Volatile.Read(ref _cancelled);
    public int Failed => Volatile.Read(ref _failed);

    internal void Accept() => Interlocked.Increment(ref _accepted);
    internal void Start() => Interlocked.Increment(ref _started);
    internal void Finish() => Interlocked.Increment(ref _finished);
    internal void Cancel() => Interlocked.Increment(ref _cancelled);
    internal void Fail() => Interlocked.Increment(ref _failed);
}
