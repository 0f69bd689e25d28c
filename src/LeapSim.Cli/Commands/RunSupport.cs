using System.Globalization;
using System.Text.Json;
using LeapSim.Cli.Output;
using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;

namespace LeapSim.Cli.Commands;

/// <summary>The input tables of a run, parsed, with the bytes they were parsed from (kept in checkpoints).</summary>
public sealed record RunInputs(BaselineInputs Baseline, IReadOnlyList<InputFile> Files)
{
    /// <summary>Reads the tables from <paramref name="folder"/> (null: the built-in copies). A missing folder or file
    /// is an <see cref="InputException"/> naming it.</summary>
    public static RunInputs Load(string? folder)
    {
        if (folder is not null && !Directory.Exists(folder))
            throw new InputException(new SourceLocation("<command line>", 0, "--data"), $"no such folder: {folder}");
        var files = new List<InputFile>();
        foreach (var name in BaselineInputs.FileNames)
        {
            byte[] bytes;
            try
            {
                if (folder is null)
                {
                    using var s = BaselineInputs.OpenEmbedded(name);
                    using var ms = new MemoryStream();
                    s.CopyTo(ms);
                    bytes = ms.ToArray();
                }
                else
                {
                    var path = Path.Combine(folder, name);
                    if (!File.Exists(path))
                        throw new InputException(new SourceLocation(name, 0, "<file>"), $"the input file is missing from {folder}");
                    if (new FileInfo(path).Length > MaxInputBytes)
                        throw new InputException(new SourceLocation(name, 0, "<file>"), $"the file is larger than {MaxInputBytes >> 20} MiB; an input table is a few kilobytes");
                    bytes = File.ReadAllBytes(path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException(new SourceLocation(name, 0, "<file>"), "the input file cannot be read: " + e.Message.ReplaceLineEndings(" "));
            }
            files.Add(new InputFile(name, bytes));
        }
        var byName = files.ToDictionary(f => f.Name, f => f.Bytes, StringComparer.Ordinal);
        var baseline = BaselineInputs.Load(name => new MemoryStream(byName[name], writable: false));
        return new RunInputs(baseline, files);
    }

    public const long MaxInputBytes = 16L << 20;
}

/// <summary>Byte sizes on the command line: 8G, 512M, 1.5G, 64K, 1T or a plain number of bytes (powers of 1024).</summary>
public static class ByteSize
{
    public static long Parse(string text, string option)
    {
        var t = text.Trim();
        var upper = t.ToUpperInvariant();
        if (upper.EndsWith("IB", StringComparison.Ordinal)) upper = upper[..^2];
        else if (upper.EndsWith('B')) upper = upper[..^1];
        double scale = 1;
        if (upper.Length > 0 && "KMGT".Contains(upper[^1], StringComparison.Ordinal))
        {
            scale = Math.Pow(1024, "KMGT".IndexOf(upper[^1], StringComparison.Ordinal) + 1);
            upper = upper[..^1];
        }
        if (!double.TryParse(upper, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v)
            || v * scale < 1 || v * scale > 1L << 60)
            throw new InputException(new SourceLocation("<command line>", 0, option), $"'{text}' is not a size such as 8G, 512M or 1.5G");
        return (long)(v * scale);
    }

    public static string Format(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1L << 20)).ToString("0", CultureInfo.InvariantCulture) + " MiB";
}

/// <summary>Refuses a run the machine cannot hold, before anything is built.</summary>
public static class MemoryCheck
{
    public static void Require(BaselineInputs inputs, ResolvedScenario scenario, RunOptions options, long budget)
    {
        var parameters = ModuleCatalog.NewParameterSet();
        foreach (var o in scenario.Parameters) parameters.Set(o.Name, o.Value);
        var need = MemoryEstimate.Bytes(inputs, parameters, options.Resolution, options.Provinces);
        if (need <= budget) return;
        var units = MemoryEstimate.Units(inputs, parameters, options.Resolution, options.Provinces);
        string? fits = null;
        for (var r = options.Resolution - 1; r >= Resolution.Province; r--)
        {
            var bytes = MemoryEstimate.Bytes(inputs, parameters, r, options.Provinces);
            if (bytes <= budget) { fits = $"{r.Name()} resolution would fit (about {ByteSize.Format(bytes)})"; break; }
        }
        throw new InputException(new SourceLocation("<command line>", 0, "--resolution"),
            $"a {options.Resolution.Name()} run ({units:N0} units) needs about {ByteSize.Format(need)} and {ByteSize.Format(budget)} is available; "
            + (fits ?? "no resolution fits") + "; or set the limit with --max-memory");
    }
}

/// <summary>Writes a run's checkpoints into its folder, atomically, every so many months.</summary>
public sealed class Checkpointer
{
    public const string FileName = "run.checkpoint";

    public Checkpointer(string folder, int every, RunSpec spec, int lastSaved = 0)
    {
        Folder = Path.GetFullPath(folder);
        Every = every;
        Spec = spec;
        LastSaved = lastSaved;
    }

    public string Folder { get; }
    public string FilePath => Path.Combine(Folder, FileName);
    public int Every { get; }
    public RunSpec Spec { get; }
    /// <summary>Months done at the last checkpoint written (or resumed from); 0 when there is none.</summary>
    public int LastSaved { get; private set; }

    /// <summary>The default folder: "&lt;out&gt;.checkpoint" next to the output folder.</summary>
    public static string DefaultFolder(string outDir) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir)) + ".checkpoint";

    /// <summary>Called after every month: saves when the month count is a multiple of <see cref="Every"/>.</summary>
    public void AfterMonth(Simulation sim)
    {
        if (sim.Finished || sim.MonthsDone % Every != 0) return;
        Directory.CreateDirectory(Folder);
        AtomicDirectory.WriteFileAtomically(FilePath, s => Checkpoint.Write(s, sim, Spec));
        LastSaved = sim.MonthsDone;
    }

    /// <summary>After the output is written: the checkpoint is no longer needed.</summary>
    public void Complete()
    {
        try
        {
            if (File.Exists(FilePath)) File.Delete(FilePath);
            AtomicDirectory.CleanStale(Folder);
            if (Directory.Exists(Folder) && !Directory.EnumerateFileSystemEntries(Folder).Any()) Directory.Delete(Folder);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The one-line note printed when a run is interrupted.</summary>
    public string InterruptedNote(Simulation sim) => LastSaved > 0 && File.Exists(FilePath)
        ? $"interrupted in {new Month(sim.First.Index + sim.MonthsDone)}; the last checkpoint (after {new Month(sim.First.Index + LastSaved - 1)}, month {LastSaved} of {sim.MonthCount}) is {FilePath}: continue with 'leapsim resume {Folder}'"
        : $"interrupted in {new Month(sim.First.Index + sim.MonthsDone)} before the first checkpoint (every {Every} months); nothing was saved";
}

/// <summary>A run that stopped on a signal, with a one-line message saying what was kept.</summary>
public sealed class RunInterruptedException(string message, Exception inner) : OperationCanceledException(message, inner);

/// <summary>What a run command adds to a simulation: where its inputs came from, checkpointing, and what run.json
/// records of how it was started (a resumed run keeps the original command line and start time).</summary>
public sealed class RunPlan
{
    public required RunInputs Inputs { get; init; }
    public int CheckpointEvery { get; init; }
    public string? CheckpointFolder { get; init; }
    public required IReadOnlyList<string> CommandLine { get; init; }
    public DateTimeOffset StartedUtc { get; init; } = DateTimeOffset.UtcNow;
    /// <summary>Months done of the checkpoint a resumed run started from (0 for a fresh run).</summary>
    public int ResumedAt { get; init; }

    public RunSpec Spec(ResolvedScenario scenario, RunOptions options, string outDir) => new(scenario, options, Inputs.Files,
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["command_line"] = JsonSerializer.Serialize(CommandLine),
            ["started_utc"] = StartedUtc.ToString("O", CultureInfo.InvariantCulture),
            ["out"] = Path.GetFullPath(outDir),
            ["checkpoint_every"] = CheckpointEvery.ToString(CultureInfo.InvariantCulture),
        });

    public Checkpointer? Checkpointer(ResolvedScenario scenario, RunOptions options, string outDir) =>
        CheckpointEvery > 0
            ? new Checkpointer(CheckpointFolder ?? Commands.Checkpointer.DefaultFolder(outDir), CheckpointEvery, Spec(scenario, options, outDir), ResumedAt)
            : null;
}
