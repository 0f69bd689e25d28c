namespace LeapSim.Web;

/// <summary>The queue is full: the server refuses more waiting runs rather than holding them without end.</summary>
public sealed class QueueFullException(int waiting) : Exception($"{waiting} runs are already waiting; try again in a minute")
{
    public int Waiting { get; } = waiting;
}

/// <summary>
/// At most <see cref="Slots"/> simulations at once; the others wait first come, first served, and are told their
/// place in the line (1 = next) whenever it changes. A waiter whose token is cancelled leaves the line, and the
/// ones behind it move up. A slot is held by the lease <see cref="EnterAsync"/> returns until it is disposed.
/// </summary>
public sealed class RunQueue
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _line = new();
    private int _running;

    public RunQueue(int slots, int maxWaiting = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWaiting, 0);
        Slots = slots;
        MaxWaiting = maxWaiting;
    }

    public int Slots { get; }
    public int MaxWaiting { get; }

    public int Running { get { lock (_gate) return _running; } }
    public int Waiting { get { lock (_gate) return _line.Count; } }

    /// <summary>
    /// Waits for a slot. <paramref name="onPosition"/> is called with the place in the line when the caller has to wait
    /// and each time it moves up (never under the queue's lock; it should not block).
    /// </summary>
    /// <exception cref="QueueFullException">when <see cref="MaxWaiting"/> runs are already waiting.</exception>
    public Task<IDisposable> EnterAsync(Action<int>? onPosition, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        Waiter waiter;
        int position;
        lock (_gate)
        {
            if (_running < Slots && _line.Count == 0)
            {
                _running++;
                return Task.FromResult<IDisposable>(new Lease(this));
            }
            if (_line.Count >= MaxWaiting) throw new QueueFullException(_line.Count);
            waiter = new Waiter(onPosition);
            waiter.Node = _line.AddLast(waiter);
            position = _line.Count;
        }
        onPosition?.Invoke(position);
        waiter.Registration = cancel.Register(() => Leave(waiter, cancel));
        return waiter.Done.Task;
    }

    private void Leave(Waiter waiter, CancellationToken cancel)
    {
        List<(Waiter, int)> moved;
        lock (_gate)
        {
            if (waiter.Node?.List is null) return; // already given a slot
            var behind = Behind(waiter.Node);
            _line.Remove(waiter.Node);
            moved = behind.Select(w => (w, Position(w))).ToList();
        }
        waiter.Done.TrySetCanceled(cancel);
        Notify(moved);
    }

    private void Release()
    {
        Waiter? next = null;
        List<(Waiter, int)> moved = [];
        lock (_gate)
        {
            if (_line.First is { } first)
            {
                next = first.Value;
                _line.RemoveFirst(); // the slot passes straight to the first in line: _running stays
                moved = _line.Select(w => (w, Position(w))).ToList();
            }
            else _running--;
        }
        if (next is not null)
        {
            next.Registration.Dispose();
            if (!next.Done.TrySetResult(new Lease(this))) Release();
        }
        Notify(moved);
    }

    private static List<Waiter> Behind(LinkedListNode<Waiter> node)
    {
        var r = new List<Waiter>();
        for (var n = node.Next; n is not null; n = n.Next) r.Add(n.Value);
        return r;
    }

    private int Position(Waiter w)
    {
        var i = 1;
        for (var n = _line.First; n is not null; n = n.Next, i++)
            if (ReferenceEquals(n.Value, w)) return i;
        return 0;
    }

    private static void Notify(List<(Waiter Waiter, int Position)> moved)
    {
        foreach (var (w, p) in moved)
            if (p > 0) w.OnPosition?.Invoke(p);
    }

    private sealed class Waiter(Action<int>? onPosition)
    {
        public Action<int>? OnPosition { get; } = onPosition;
        public TaskCompletionSource<IDisposable> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Waiter>? Node { get; set; }
        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class Lease(RunQueue queue) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) queue.Release();
        }
    }
}
