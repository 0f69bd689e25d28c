using LeapSim.Core.Parameters;
using LeapSim.Core.Random;
using LeapSim.Core.Time;
using LeapSim.Core.World;

namespace LeapSim.Core.Engine;

/// <summary>
/// What a module sees: the world, the parameter values, the levers, the current month, and two services that keep
/// runs reproducible at any thread count: <see cref="ForEachChunk"/> (fixed chunk boundaries) and
/// <see cref="Rng"/> (random streams keyed to identity).
/// </summary>
public sealed class SimContext
{
    public SimContext(SimWorld world, Inputs.BaselineInputs inputs, ParameterSet parameters, LeverTable levers, Month first, int months, int threads)
    {
        World = world;
        Inputs = inputs;
        Parameters = parameters;
        Levers = levers;
        FirstMonth = first;
        MonthCount = months;
        Threads = Math.Max(1, threads);
        Month = first;
        // Chunk boundaries depend only on the unit count, never on the thread count: per-chunk partial sums added
        // in chunk order give the same bits on 1 thread and on 64.
        var n = world.Units.Count;
        ChunkSize = Math.Max(512, (n + 255) / 256);
        ChunkCount = Math.Max(1, (n + ChunkSize - 1) / ChunkSize);
    }

    public SimWorld World { get; }
    /// <summary>The inputs this run was built from (embedded copies of ../shared/data, or a caller's).</summary>
    public Inputs.BaselineInputs Inputs { get; }
    public RuralUnits Units => World.Units;
    public ParameterSet Parameters { get; }
    public LeverTable Levers { get; }
    public Month FirstMonth { get; }
    public int MonthCount { get; }
    public int Threads { get; }
    public Month Month { get; internal set; }
    public int MonthIndex => Month - FirstMonth;
    public int ChunkSize { get; }
    public int ChunkCount { get; }
    public CancellationToken Cancellation { get; internal set; }

    /// <summary>A random stream for (stream, entity) in the current month.</summary>
    public CounterRng Rng(ulong stream, long entity) => new(World.Seed, stream, (ulong)entity, Month.Index);

    /// <summary>The same numbers as <see cref="Rng(ulong, long)"/>, from a stream opened once with <see cref="Stream"/>.</summary>
    public CounterRng Rng(in RngStream stream, long entity) => stream.For(entity, Month.Index);

    /// <summary>A stream of this run's seed, for a module to open once (in Initialise) and draw from per unit.</summary>
    public RngStream Stream(ulong stream) => new(World.Seed, stream);

    /// <summary>
    /// Runs <paramref name="body"/>(chunk, firstUnit, endUnit) over fixed chunks of the units, in parallel when the
    /// run has more than one thread. Bodies must write only to their own units and their own chunk's slots.
    /// </summary>
    /// <remarks>
    /// Checks <see cref="Cancellation"/> before each chunk, so that a long month stops within a chunk's work; a month
    /// stopped part-way leaves the world inconsistent (see <see cref="Simulation.Step()"/>). In parallel, the calling
    /// thread and up to <see cref="Threads"/> − 1 thread-pool helpers take chunks in turn from a shared counter; the
    /// helpers are reused work items, so a month allocates nothing here (a module that passes a cached delegate
    /// allocates nothing at all). The caller waits only for the chunks, never for a helper that has not started, so a
    /// busy thread pool slows a month but cannot stall it.
    /// A module's body must not capture the locals of its Step (that makes a closure every month): it is a delegate
    /// kept in a field (<c>_body ??= (c, a, b) => ...</c>) that reads the month's values from a field; AllocationTests
    /// fails, naming the module, when a month allocates.
    /// </remarks>
    public void ForEachChunk(Action<int, int, int> body)
    {
        var n = Units.Count;
        var cancel = Cancellation;
        if (Threads == 1 || ChunkCount == 1)
        {
            for (var c = 0; c < ChunkCount; c++)
            {
                cancel.ThrowIfCancellationRequested();
                body(c, c * ChunkSize, Math.Min(n, (c + 1) * ChunkSize));
            }
            return;
        }
        _parallel ??= new ParallelChunks(this);
        _parallel.Run(body, cancel);
    }

    private ParallelChunks? _parallel;

    /// <summary>The parallel side of <see cref="ForEachChunk"/>: one job at a time, chunks claimed from a counter.</summary>
    private sealed class ParallelChunks
    {
        private readonly SimContext _ctx;
        private readonly Helper[] _helpers;
        private readonly ManualResetEventSlim _done = new(false);
        private Action<int, int, int>? _body;
        private CancellationToken _cancel;
        private int _next, _unfinished, _stop;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _error;

        public ParallelChunks(SimContext ctx)
        {
            _ctx = ctx;
            _helpers = new Helper[Math.Min(ctx.Threads, ctx.ChunkCount) - 1];
            for (var i = 0; i < _helpers.Length; i++) _helpers[i] = new Helper(this);
        }

        public void Run(Action<int, int, int> body, CancellationToken cancel)
        {
            _error = null;
            _stop = 0;
            _cancel = cancel;
            _done.Reset();
            Volatile.Write(ref _body, body);
            Volatile.Write(ref _unfinished, _ctx.ChunkCount);
            Interlocked.Exchange(ref _next, -1); // opens the job: from here on chunks can be claimed
            foreach (var h in _helpers) ThreadPool.UnsafeQueueUserWorkItem(h, preferLocal: false);
            Work();
            _done.Wait();
            Volatile.Write(ref _body, null);
            _error?.Throw();
            cancel.ThrowIfCancellationRequested();
        }

        /// <summary>Claims chunks until none is left; a chunk claimed after an error or a cancellation is skipped.</summary>
        private void Work()
        {
            var count = _ctx.ChunkCount;
            var size = _ctx.ChunkSize;
            var n = _ctx.Units.Count;
            while (true)
            {
                var c = Interlocked.Increment(ref _next);
                if (c >= count) return;
                var body = Volatile.Read(ref _body);
                try
                {
                    if (Volatile.Read(ref _stop) == 0 && !_cancel.IsCancellationRequested) body!(c, c * size, Math.Min(n, (c + 1) * size));
                }
                catch (Exception e)
                {
                    if (Interlocked.Exchange(ref _stop, 1) == 0) _error = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    if (Interlocked.Decrement(ref _unfinished) == 0) _done.Set();
                }
            }
        }

        /// <summary>A reusable thread-pool work item (queuing it allocates nothing).</summary>
        private sealed class Helper(ParallelChunks owner) : IThreadPoolWorkItem
        {
            public void Execute() => owner.Work();
        }
    }

    /// <summary>Deterministic sum over units of a per-unit value, by province (index = province; last = nation).</summary>
    public double[] SumByProvince(Func<int, double> perUnit)
    {
        var provinces = World.Provinces.Count;
        var partial = new double[ChunkCount * provinces];
        var units = Units;
        ForEachChunk((c, a, b) =>
        {
            var row = partial.AsSpan(c * provinces, provinces);
            for (var u = a; u < b; u++) row[units.ProvinceOf[u]] += perUnit(u);
        });
        var total = new double[provinces + 1];
        for (var c = 0; c < ChunkCount; c++)
            for (var p = 0; p < provinces; p++) total[p] += partial[c * provinces + p];
        for (var p = 0; p < provinces; p++) total[provinces] += total[p];
        return total;
    }
}
