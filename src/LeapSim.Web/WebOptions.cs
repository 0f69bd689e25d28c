using System.Net;

namespace LeapSim.Web;

/// <summary>How `leapsim serve` runs: where it listens and how much it lets the page do at once.</summary>
public sealed record WebOptions
{
    /// <summary>The address to listen on: the loopback address unless the user asks for another.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port; 0 lets the system choose a free one (the tests do).</summary>
    public int Port { get; init; } = 5000;

    /// <summary>Simulations that may run at once (page runs and the comparison runs alike); the rest wait in line.</summary>
    public int MaxConcurrentRuns { get; init; } = 4;

    /// <summary>Runs that may wait in line; beyond that a run is refused (503).</summary>
    public int MaxWaitingRuns { get; init; } = 64;

    /// <summary>The largest request body accepted, in bytes (a page's scenario is a few kilobytes).</summary>
    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Worker threads of each simulation (results do not depend on it).</summary>
    public int ThreadsPerRun { get; init; } = Environment.ProcessorCount;

    /// <summary>Finished runs kept in memory for their CSV downloads; the oldest goes first.</summary>
    public int KeptRuns { get; init; } = 16;

    /// <summary>Worlds kept to copy for runs (<see cref="Worlds"/>): one per resolution, seed and parameter values.</summary>
    public int KeptWorlds { get; init; } = 8;

    /// <summary>Comparison pairs (historical default and no-Leap) kept per resolution and seed.</summary>
    public int KeptBaselines { get; init; } = 8;

    /// <summary>
    /// The least time between two chart frames sent to the page (months are sent every month). When drawing a frame
    /// takes more than <see cref="DrawingShare"/> of this, frames come less often, but at least every four intervals
    /// (a second), so that the charts keep moving.
    /// </summary>
    public TimeSpan FrameInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The largest share of a run's time spent drawing its frames on the server. The frames are drawn beside the
    /// simulation, but on a busy machine they take processor time from it, and the page's drawing of them more: on
    /// the 2-core machine at load 7, a commune run streamed to a client took 1.5-1.9 s with a frame every 200 ms
    /// against 1.2-1.3 s with only the first and last.
    /// </summary>
    public double DrawingShare { get; init; } = 0.05;

    /// <summary>Compute the comparison runs of this resolution (seed 1) when the server starts; null: on first use.</summary>
    public Core.World.Resolution? WarmUp { get; init; } = Catalog.DefaultResolution;

    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>For tests: called on the simulation's thread after each month of a page run, with the run's token
    /// (a test holds a run mid-way this way, to close its connection while it runs).</summary>
    internal Action<int, CancellationToken>? AfterMonth { get; init; }
}
