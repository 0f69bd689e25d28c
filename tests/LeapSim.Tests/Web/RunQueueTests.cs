using LeapSim.Web;
using Xunit;

namespace LeapSim.Tests.Web;

public sealed class RunQueueTests
{
    [Fact]
    public async Task At_most_the_slots_run_and_the_rest_wait_first_come_first_served()
    {
        var queue = new RunQueue(2);
        var a = await queue.EnterAsync(null, default);
        var b = await queue.EnterAsync(null, default);
        var positions = new List<(string, int)>();
        var c = queue.EnterAsync(p => { lock (positions) positions.Add(("c", p)); }, default);
        var d = queue.EnterAsync(p => { lock (positions) positions.Add(("d", p)); }, default);
        Assert.False(c.IsCompleted);
        Assert.False(d.IsCompleted);
        Assert.Equal((2, 2), (queue.Running, queue.Waiting));
        Assert.Equal([("c", 1), ("d", 2)], positions);

        b.Dispose();
        var cLease = await c.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(d.IsCompleted);
        Assert.Equal([("c", 1), ("d", 2), ("d", 1)], positions);
        Assert.Equal((2, 1), (queue.Running, queue.Waiting));

        b.Dispose(); // a lease frees its slot once only
        Assert.False(d.IsCompleted);
        a.Dispose();
        var dLease = await d.WaitAsync(TimeSpan.FromSeconds(5));
        cLease.Dispose();
        dLease.Dispose();
        Assert.Equal((0, 0), (queue.Running, queue.Waiting));
    }

    [Fact]
    public async Task A_waiter_that_gives_up_leaves_the_line_and_those_behind_move_up()
    {
        var queue = new RunQueue(1);
        using var a = await queue.EnterAsync(null, default);
        using var cancelB = new CancellationTokenSource();
        var positions = new List<int>();
        var b = queue.EnterAsync(null, cancelB.Token);
        var c = queue.EnterAsync(p => { lock (positions) positions.Add(p); }, default);
        Assert.Equal([2], positions);
        cancelB.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        Assert.Equal([2, 1], positions);
        Assert.Equal(1, queue.Waiting);
        a.Dispose();
        using var cLease = await c.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((1, 0), (queue.Running, queue.Waiting));
    }

    [Fact]
    public async Task A_full_line_is_refused()
    {
        var queue = new RunQueue(1, maxWaiting: 1);
        using var a = await queue.EnterAsync(null, default);
        var b = queue.EnterAsync(null, default);
        Assert.Throws<QueueFullException>(() => { _ = queue.EnterAsync(null, default); });
        a.Dispose();
        (await b).Dispose();
    }

    [Fact]
    public async Task Many_runs_never_exceed_the_slots()
    {
        var queue = new RunQueue(4);
        var running = 0;
        var peak = 0;
        await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            using var lease = await queue.EnterAsync(null, default);
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(5);
            Interlocked.Decrement(ref running);
        }));
        Assert.Equal(4, peak);
        Assert.Equal((0, 0), (queue.Running, queue.Waiting));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
