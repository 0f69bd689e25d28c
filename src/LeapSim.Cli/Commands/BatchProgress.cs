using System.Diagnostics;
using System.Globalization;

namespace LeapSim.Cli.Commands;

/// <summary>
/// Progress of a batch of runs, printed as a line at every tenth of the batch with the time taken and an estimate of
/// the time left. Thread-safe (runs finish on worker threads). Silent when quiet.
/// </summary>
public sealed class BatchProgress(CliContext ctx, string what, int total, bool quiet) : IProgress<int>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private int _lastTenth;

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Report(int done)
    {
        if (quiet || total <= 0) return;
        lock (_gate)
        {
            var tenth = (int)(10L * done / total);
            if (tenth <= _lastTenth && done != total) return;
            if (tenth <= _lastTenth) return;
            _lastTenth = tenth;
            var secs = _clock.Elapsed.TotalSeconds;
            var left = done > 0 ? secs / done * (total - done) : 0;
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {what}: {done} of {total} runs done in {secs:F0} s{(done < total ? $", about {left:F0} s left" : "")}"));
        }
    }
}
