using System.Diagnostics;

namespace LeapSim.Core.Engine;

/// <summary>
/// Where a month's time goes: the time of each part of <see cref="Simulation.Step(StepTimings?)"/> summed over the
/// months it was given to. Part 0 is the start of the month (flows cleared, levers applied), parts 1..n the modules in
/// step order, the last the collector.
/// </summary>
public sealed class StepTimings
{
    private readonly long[] _ticks;
    private readonly long[] _bytes;

    public StepTimings(IReadOnlyList<IModule> modules)
    {
        Names = ["start of month", .. modules.Select(m => m.Name), "collector"];
        _ticks = new long[Names.Count];
        _bytes = new long[Names.Count];
    }

    /// <summary>The parts, in step order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Months timed.</summary>
    public int Months { get; internal set; }

    internal void Add(int part, long ticks, long bytes)
    {
        _ticks[part] += ticks;
        _bytes[part] += bytes;
    }

    /// <summary>Bytes allocated by the thread that stepped, in part <paramref name="part"/> (closures and arrays a
    /// module makes each month; the chunk helpers' own allocations are not seen here).</summary>
    public long AllocatedBytes(int part) => _bytes[part];

    /// <summary>Total seconds spent in part <paramref name="part"/>.</summary>
    public double Seconds(int part) => _ticks[part] / (double)Stopwatch.Frequency;

    public double TotalSeconds => _ticks.Sum() / (double)Stopwatch.Frequency;

    public void Clear()
    {
        Array.Clear(_ticks);
        Array.Clear(_bytes);
        Months = 0;
    }
}
