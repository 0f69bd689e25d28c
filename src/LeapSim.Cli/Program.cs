using System.Runtime.InteropServices;

namespace LeapSim.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // Ctrl-C or SIGTERM cancels the run (it stops within a month's chunk, keeps its last checkpoint and exits
        // with 130); a second signal ends the process at once.
        using var cancel = new CancellationTokenSource();
        var signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref signals) > 1) return;
            context.Cancel = true;
            cancel.Cancel();
        }
        using var sigint = Register(PosixSignal.SIGINT, OnSignal);
        using var sigterm = Register(PosixSignal.SIGTERM, OnSignal);
        return Cli.Run(args, Console.Out, Console.Error, cancel.Token);
    }

    private static PosixSignalRegistration? Register(PosixSignal signal, Action<PosixSignalContext> handler)
    {
        try { return PosixSignalRegistration.Create(signal, handler); }
        catch (PlatformNotSupportedException) { return null; }
    }
}
