using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LeapSim.Cli.Output;
using LeapSim.Core.Engine;
using LeapSim.Core.Experiments;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using Table = LeapSim.Core.Results.Table;

namespace LeapSim.Cli.Commands;

/// <summary>
/// `leapsim sweep FILE [--shard i/N]`: one row of outcomes per run of a sweep (<see cref="SweepDesign"/>), appended to
/// the shard's journal rows-shard-I-of-N.csv as each run finishes. Resumable: a run already in the journal is skipped
/// (a line cut short by a crash is dropped). Shardable: shards are disjoint, so N machines can each run one into
/// their own folder; `leapsim merge` puts them together, ordered by run.
/// </summary>
public static class SweepCommand
{
    public const string InfoFile = "sweep.json";

    public static string JournalName(int shard, int shards) => $"rows-shard-{shard}-of-{shards}.csv";

    public static Command Create(CliContext ctx)
    {
        var common = new CommonOptions();
        var file = new Argument<string>("file") { Description = "the sweep file (YAML: name, design grid or lhs, parameters, seeds, …)" };
        var shard = new Option<string>("--shard") { Description = "run only shard I of N (e.g. 2/8): runs r with r mod N = I - 1", DefaultValueFactory = _ => "1/1" };
        var output = new Option<string?>("--out", "-o") { Description = "output folder (default out/sweep-NAME); run again with the same folder to resume" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress" };
        var cmd = new Command("sweep", "Run a grid or Latin-hypercube sweep over parameters, one row of outcomes per run; resumable and shardable");
        cmd.Add(file);
        cmd.Add(shard);
        cmd.Add(output);
        cmd.Add(quiet);
        cmd.Add(common.Threads);
        cmd.Add(common.Data);
        cmd.SetAction(p =>
        {
            var path = p.GetValue(file)!;
            var design = SweepDesign.Load(path);
            var (i, n) = ParseShard(p.GetValue(shard)!);
            var threads = ExperimentOptions.ParseCount(p.GetValue(common.Threads)!, "--threads", 1, 1024);
            var scenario = ScenarioLibrary.Resolve(ScenarioLibrary.Load(design.Scenario, path));
            var counterfactual = design.Counterfactual is { } cf ? ScenarioLibrary.Resolve(ScenarioLibrary.Load(cf, path)) : null;
            var names = design.Parameters.Select(x => x.Name).ToList();
            // Every point must make valid scenarios before anything runs.
            foreach (var point in design.Points) PointEvaluation.WithParameters(scenario, names, point, new SourceLocation(path, 0, "parameters"));
            var inputs = common.LoadInputs(p);
            var outDir = p.GetValue(output) ?? Path.Combine("out", "sweep-" + design.Name);
            return Execute(ctx, design, scenario, counterfactual, i, n, outDir, threads, inputs, p.GetValue(quiet));
        });
        return cmd;
    }

    public static (int Shard, int Shards) ParseShard(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= 1_000_000 && i >= 1 && i <= n)
            return (i, n);
        throw ExperimentOptions.Bad("--shard", $"'{text}' is not I/N with 1 ≤ I ≤ N (e.g. 2/8)");
    }

    /// <summary>The columns of a row: run, point, seed, the swept parameters, the headline outcomes.</summary>
    public static IReadOnlyList<string> Columns(SweepDesign design) =>
        new[] { "run", "point", "seed" }.Concat(design.Parameters.Select(x => x.Name)).Concat(Headlines.Names(design.Counterfactual is not null)).ToList();

    private static int Execute(CliContext ctx, SweepDesign design, ResolvedScenario scenario, ResolvedScenario? counterfactual,
        int shard, int shards, string outDir, int threads, RunInputs inputs, bool quiet)
    {
        Directory.CreateDirectory(outDir);
        AtomicDirectory.CleanStale(outDir);
        var columns = Columns(design);
        var infoPath = Path.Combine(outDir, InfoFile);
        if (File.Exists(infoPath))
        {
            var existing = SweepInfo.Read(infoPath);
            if (existing.Fingerprint != design.Fingerprint)
                throw new InputException(new SourceLocation(infoPath, 0, "fingerprint"),
                    $"this folder holds another sweep ('{existing.Name}', fingerprint {existing.Fingerprint}; this one is {design.Fingerprint}): give another --out, or delete the folder to start again");
        }
        else
            SweepInfo.Write(infoPath, new SweepInfo(design.Name, design.Fingerprint, design.RunCount, design.Points.Count, design.Seeds, columns, Path.GetFullPath(design.SourceFile)));

        var journal = Path.Combine(outDir, JournalName(shard, shards));
        var header = string.Join(',', columns);
        var done = Journal.Recover(journal, header, columns.Count, r => r >= 0 && r < design.RunCount && SweepDesign.InShard(r, shard, shards));
        var todo = design.RunsOfShard(shard, shards).Where(r => !done.Contains(r)).ToList();
        if (!quiet)
            ctx.Out.WriteLine($"sweep {design.Name} ({design.Fingerprint}): {design.Points.Count} points × {design.Seeds} seeds = {design.RunCount} runs at {design.Resolution.Name()} resolution; "
                + $"shard {shard}/{shards}: {done.Count + todo.Count} runs, {done.Count} already done, {todo.Count} to run{(counterfactual is null ? "" : $" (each with its {counterfactual.Name} run)")}");
        var names = design.Parameters.Select(x => x.Name).ToList();
        var gate = new object();
        using (var stream = new FileStream(journal, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            RunBatch.ForEach(todo.Count, (k, threadsEach) =>
            {
                var run = todo[k];
                var (point, seed) = design.RunOf(run);
                var values = design.Points[point];
                var where = new SourceLocation(design.SourceFile, 0, "parameters");
                var options = new RunOptions { Resolution = design.Resolution, Seed = seed, Provinces = design.Provinces, Threads = threadsEach };
                var outcomes = PointEvaluation.Evaluate(PointEvaluation.WithParameters(scenario, names, values, where),
                    counterfactual is null ? null : PointEvaluation.WithParameters(counterfactual, names, values, where), options, inputs.Baseline, ctx.Cancel);
                var line = Row(columns, run, point, seed, values, outcomes);
                lock (gate)
                {
                    stream.Write(Encoding.UTF8.GetBytes(line));
                    stream.Flush(flushToDisk: true);
                }
            }, threads, new BatchProgress(ctx, "sweep", todo.Count, quiet), ctx.Cancel);
        }
        if (!quiet) ctx.Out.WriteLine($"wrote {Path.GetFullPath(journal)}: shard {shard}/{shards} complete ({done.Count + todo.Count} rows); 'leapsim merge {outDir}' makes sweep.csv");
        return Cli.Ok;
    }

    /// <summary>One row as a CSV line (with its "\n"), written by the run tables' CSV writer.</summary>
    public static string Row(IReadOnlyList<string> columns, int run, int point, ulong seed, IReadOnlyList<double> parameters, IReadOnlyList<double> outcomes)
    {
        var cols = new List<Column>
        {
            Column.Of(columns[0], new[] { run }),
            Column.Of(columns[1], new[] { point }),
            Column.Of(columns[2], new[] { seed.ToString(CultureInfo.InvariantCulture) }),
        };
        var values = parameters.Concat(outcomes).ToList();
        for (var c = 3; c < columns.Count; c++) cols.Add(Column.Of(columns[c], new[] { values[c - 3] }));
        var csv = CsvTableWriter.ToCsv(new Table("row", cols));
        return csv[(csv.IndexOf('\n') + 1)..];
    }
}

/// <summary>What a sweep folder holds (sweep.json): enough to tell whether two folders belong to the same sweep.</summary>
public sealed record SweepInfo(string Name, string Fingerprint, int Runs, int Points, int Seeds, IReadOnlyList<string> Columns, string File)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Write(string path, SweepInfo info) =>
        AtomicDirectory.WriteFileAtomically(path, s => JsonSerializer.Serialize(s, info, Options));

    public static SweepInfo Read(string path)
    {
        try
        {
            using var s = System.IO.File.OpenRead(path);
            return JsonSerializer.Deserialize<SweepInfo>(s, Options) ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new InputException(new SourceLocation(path, 0, "<file>"), "not a sweep.json written by 'leapsim sweep': " + e.Message.ReplaceLineEndings(" "));
        }
    }
}

/// <summary>
/// A journal of rows: a CSV file that grows one complete line at a time. On recovery the header is checked (or
/// written, for a new file), every complete line whose run number is valid is kept, and anything after the last
/// such line (a line cut short when the process died) is cut off, so appending can go on.
/// </summary>
public static class Journal
{
    /// <summary>The run numbers already in the journal (its first field).</summary>
    public static HashSet<int> Recover(string path, string header, int fields, Func<int, bool> valid)
    {
        var done = new HashSet<int>();
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            File.WriteAllText(path, header + "\n", new UTF8Encoding(false));
            return done;
        }
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.UTF8.GetString(bytes);
        var firstEnd = text.IndexOf('\n');
        if (firstEnd < 0 || text[..firstEnd] != header)
        {
            if (firstEnd < 0 && header.StartsWith(text, StringComparison.Ordinal))
            {
                File.WriteAllText(path, header + "\n", new UTF8Encoding(false)); // the header itself was cut short
                return done;
            }
            throw new InputException(new SourceLocation(path, 1, "<header>"), "the journal's columns are not this sweep's; move the file away to start this shard again");
        }
        var keep = firstEnd + 1;
        var pos = keep;
        var line = 2;
        while (pos < text.Length)
        {
            var end = text.IndexOf('\n', pos);
            if (end < 0) break; // cut short
            var row = text[pos..end];
            var comma = row.IndexOf(',');
            if (comma < 0 || !int.TryParse(row.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out var run) || !valid(run)
                || row.Count(c => c == ',') != fields - 1)
                throw new InputException(new SourceLocation(path, line, "run"), $"not a row of this shard: '{(row.Length > 60 ? row[..60] + "…" : row)}'");
            done.Add(run);
            pos = keep = end + 1;
            line++;
        }
        var keepBytes = Encoding.UTF8.GetByteCount(text.AsSpan(0, keep));
        if (keepBytes < bytes.Length)
            using (var s = new FileStream(path, FileMode.Open, FileAccess.Write)) s.SetLength(keepBytes);
        return done;
    }
}
