using System.CommandLine;
using LeapSim.Cli.Commands;
using LeapSim.Core.Scenarios;

namespace LeapSim.Cli;

/// <summary>
/// The `leapsim` command line. Exit codes: 0 success, 2 bad input (the message names file, line and key),
/// 1 internal error, 130 interrupted.
/// </summary>
public static class Cli
{
    public const int Ok = 0, InternalError = 1, BadInput = 2, Interrupted = 130;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        var root = new RootCommand("LeapSim: an agent-based simulator of China's Great Leap Forward, 1957-1966");
        var context = new CliContext(stdout, stderr, args, cancel);
        root.Add(RunCommand.Create(context));
        root.Add(ResumeCommand.Create(context));
        root.Add(InfoCommands.Explain(context));
        root.Add(InfoCommands.Params(context));
        root.Add(InfoCommands.Scenarios(context));
        root.Add(ValidateCommand.Create(context));
        root.Add(ValidateCommand.Calibrate(context));
        root.Add(PlotCommand.Create(context));
        root.Add(CompareCommand.Create(context));
        root.Add(AttributeCommand.Create(context));
        root.Add(SensitivityCommand.Create(context));
        root.Add(SweepCommand.Create(context));
        root.Add(MergeCommand.Create(context));
        root.Add(ServeCommand.Create(context));
        root.Add(BenchCommand.Create(context));
        // LEAPSIM_PREFAULT=0 lets the unit table's pages fault in as they are first touched instead of being mapped at
        // allocation (to measure what mapping them gives; bench/README.md). It changes no number.
        LeapSim.Core.Memory.Prefault.Enabled = Environment.GetEnvironmentVariable("LEAPSIM_PREFAULT") != "0";

        ParseResult parsed;
        try
        {
            parsed = root.Parse(args);
        }
        catch (Exception e)
        {
            stderr.WriteLine($"leapsim: {e.Message}");
            return BadInput;
        }
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) stderr.WriteLine($"leapsim: {e.Message}");
            stderr.WriteLine("Try 'leapsim --help'.");
            return BadInput;
        }
        try
        {
            var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            return parsed.Invoke(config);
        }
        catch (InputException e)
        {
            stderr.WriteLine($"leapsim: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException e)
        {
            stderr.WriteLine(e is RunInterruptedException ? $"leapsim: {e.Message}" : "leapsim: interrupted");
            return Interrupted;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"leapsim: internal error: {e.GetType().Name}: {e.Message}");
            stderr.WriteLine(e.StackTrace);
            return InternalError;
        }
    }
}

/// <summary>What every command needs: where to write, the raw arguments, the cancellation of the process.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, string[] Args, CancellationToken Cancel)
{
    /// <summary>True when standard output is a terminal we may draw a progress bar on.</summary>
    public bool Interactive => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null;
}
