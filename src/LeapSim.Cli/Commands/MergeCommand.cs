using System.CommandLine;
using System.Globalization;
using System.Text;
using LeapSim.Cli.Output;
using LeapSim.Core.Scenarios;

namespace LeapSim.Cli.Commands;

/// <summary>
/// `leapsim merge DIR... [--out FILE]`: the rows of every shard journal in the sweep folders, checked to belong to
/// one sweep, without duplicates, ordered by run, into one CSV (default DIR/sweep.csv, written atomically).
/// </summary>
public static class MergeCommand
{
    public static Command Create(CliContext ctx)
    {
        var dirs = new Argument<string[]>("folders") { Description = "sweep output folders (one per machine or shard)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out", "-o") { Description = "merged CSV (default: sweep.csv in the first folder)" };
        var partial = new Option<bool>("--partial") { Description = "write what there is even if runs are missing" };
        var cmd = new Command("merge", "Merge the shard journals of a sweep into one CSV ordered by run");
        cmd.Add(dirs);
        cmd.Add(output);
        cmd.Add(partial);
        cmd.SetAction(p =>
        {
            var folders = p.GetValue(dirs)!;
            var (info, header, rows) = Read(folders);
            var missing = info.Runs - rows.Count;
            if (missing > 0 && !p.GetValue(partial))
            {
                var first = Enumerable.Range(0, info.Runs).Where(r => !rows.ContainsKey(r)).Take(5);
                throw ExperimentOptions.Bad("folders", $"{missing} of {info.Runs} runs are missing (e.g. run {string.Join(", ", first)}): run the missing shards, or give --partial");
            }
            var outPath = p.GetValue(output) ?? Path.Combine(folders[0], "sweep.csv");
            AtomicDirectory.WriteFileAtomically(outPath, s =>
            {
                using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                w.Write(header + "\n");
                foreach (var (_, line) in rows.OrderBy(kv => kv.Key)) w.Write(line + "\n");
            });
            ctx.Out.WriteLine($"wrote {Path.GetFullPath(outPath)}: {rows.Count} of {info.Runs} runs of sweep {info.Name} ({info.Fingerprint}){(missing > 0 ? $", {missing} missing" : "")}");
            return Cli.Ok;
        });
        return cmd;
    }

    /// <summary>The sweep's info, header and rows (run → line) from the folders' journals.</summary>
    public static (SweepInfo Info, string Header, SortedDictionary<int, string> Rows) Read(IReadOnlyList<string> folders)
    {
        SweepInfo? info = null;
        var rows = new SortedDictionary<int, string>();
        string? header = null;
        foreach (var folder in folders)
        {
            var infoPath = Path.Combine(folder, SweepCommand.InfoFile);
            if (!File.Exists(infoPath)) throw new InputException(new SourceLocation(folder, 0, "<folder>"), $"not a sweep folder: it has no {SweepCommand.InfoFile}");
            var i = SweepInfo.Read(infoPath);
            if (info is not null && i.Fingerprint != info.Fingerprint)
                throw new InputException(new SourceLocation(infoPath, 0, "fingerprint"), $"sweep '{i.Name}' ({i.Fingerprint}) is not the sweep of {folders[0]} ('{info.Name}', {info.Fingerprint})");
            info ??= i;
            var h = string.Join(',', i.Columns);
            header ??= h;
            foreach (var journal in Directory.GetFiles(folder, "rows-shard-*.csv").Order(StringComparer.Ordinal))
            {
                var lineNo = 0;
                foreach (var line in ReadCompleteLines(journal))
                {
                    lineNo++;
                    if (lineNo == 1)
                    {
                        if (line != h) throw new InputException(new SourceLocation(journal, 1, "<header>"), "the columns are not the sweep's");
                        continue;
                    }
                    var comma = line.IndexOf(',');
                    if (comma < 0 || !int.TryParse(line.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out var run) || run >= i.Runs)
                        throw new InputException(new SourceLocation(journal, lineNo, "run"), "not a row of this sweep");
                    if (rows.TryGetValue(run, out var seen) && seen != line)
                        throw new InputException(new SourceLocation(journal, lineNo, "run"), $"run {run} appears twice with different values");
                    rows[run] = line;
                }
            }
        }
        return (info!, header!, rows);
    }

    /// <summary>The lines that end in "\n" (a line cut short by a crash is not a row).</summary>
    private static IEnumerable<string> ReadCompleteLines(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var pos = 0;
        while (true)
        {
            var end = text.IndexOf('\n', pos);
            if (end < 0) yield break;
            yield return text[pos..end];
            pos = end + 1;
        }
    }
}
