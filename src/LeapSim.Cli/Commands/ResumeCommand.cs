using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LeapSim.Cli.Output;
using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;

namespace LeapSim.Cli.Commands;

/// <summary>`leapsim resume DIR`: continues a run from its checkpoint; the output is the same, byte for byte, as
/// the run's would have been without the interruption.</summary>
public static class ResumeCommand
{
    public static Command Create(CliContext ctx)
    {
        var folder = new Argument<string>("checkpoint") { Description = "the run's checkpoint folder (or the run.checkpoint file in it)" };
        var output = new Option<string?>("--out", "-o") { Description = "output folder (default: the interrupted run's)" };
        var threads = new Option<string?>("--threads") { Description = "worker threads (results do not depend on it; default: the interrupted run's)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress and no summary" };
        var cmd = new Command("resume", "Continue an interrupted run from its checkpoint (see run --checkpoint-every)");
        cmd.Add(folder);
        cmd.Add(output);
        cmd.Add(threads);
        cmd.Add(quiet);
        cmd.SetAction(p =>
        {
            var given = p.GetValue(folder)!;
            var file = File.Exists(given) ? Path.GetFullPath(given) : Path.Combine(Path.GetFullPath(given), Checkpointer.FileName);
            var dir = Path.GetDirectoryName(file)!;
            if (Directory.Exists(dir)) AtomicDirectory.CleanStale(dir);
            if (!File.Exists(file))
                throw new InputException(new SourceLocation(given, 0, "<checkpoint>"), $"no checkpoint here (expected {file})");
            CheckpointData data;
            using (var s = File.OpenRead(file)) data = Checkpoint.Read(s, file);

            var notes = data.Spec.Notes;
            string Note(string key) => notes.TryGetValue(key, out var v) ? v
                : throw new InputException(new SourceLocation(file, 0, key), "the checkpoint does not say this (it was not written by 'leapsim run')");
            int? threadCount = null;
            if (p.GetValue(threads) is { } t)
            {
                if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > 1024)
                    throw new InputException(new SourceLocation("<command line>", 0, "--threads"), $"'{t}' is not a whole number from 1 to 1024");
                threadCount = n;
            }
            var plan = new RunPlan
            {
                Inputs = new RunInputs(data.Spec.LoadInputs(), data.Spec.Inputs),
                CheckpointEvery = int.Parse(Note("checkpoint_every"), CultureInfo.InvariantCulture),
                CheckpointFolder = dir,
                CommandLine = JsonSerializer.Deserialize<string[]>(Note("command_line")) ?? [],
                StartedUtc = DateTimeOffset.Parse(Note("started_utc"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                ResumedAt = data.MonthsDone,
            };
            var outDir = p.GetValue(output) ?? Note("out");
            var parent = Path.GetDirectoryName(Path.GetFullPath(outDir));
            if (!string.IsNullOrEmpty(parent) && Directory.Exists(parent)) AtomicDirectory.CleanStale(parent);
            var quietRun = p.GetValue(quiet);
            if (!quietRun)
                ctx.Out.WriteLine($"resuming {data.Spec.Scenario.Name} from {file}: after {data.LastMonth} (month {data.MonthsDone} of {data.MonthCount})");
            var sim = Checkpoint.Resume(data, threadCount);
            return RunCommand.Continue(ctx, sim, outDir, quietRun, plan);
        });
        return cmd;
    }
}
