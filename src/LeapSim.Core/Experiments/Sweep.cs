using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LeapSim.Core.Random;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LeapSim.Core.Experiments;

public enum SweepKind { Grid, LatinHypercube }

/// <summary>A swept parameter: a list of values (grid), or a range with a number of steps (grid) or none (Latin hypercube).</summary>
public sealed record SweepParameter(string Name, IReadOnlyList<double>? Values, double Min, double Max, int Steps, SourceLocation Location);

/// <summary>
/// A sweep: points in parameter space (a full grid, or a Latin-hypercube sample), each run on a number of seeds.
/// Run r is point r / seeds on seed first_seed + r mod seeds; the runs of shard i of N (1-based) are those with
/// r mod N = i − 1, so shards are disjoint, cover the sweep and are balanced. The design is a pure function of the
/// sweep file: every machine computes the same points, and <see cref="Fingerprint"/> tells whether two outputs
/// belong to the same sweep.
/// </summary>
/// <remarks>
/// The file (YAML):
/// <code>
/// name: floor-and-inflation        # required
/// scenario: default                # optional (default: default); built-in name or path relative to this file
/// counterfactual: no-leap          # optional (default: no-leap; "none" leaves out the outcomes measured against it)
/// resolution: commune              # optional (default: commune)
/// provinces: [Anhui, Sichuan]      # optional: a small world
/// seeds: 2                         # optional (default 1): seeds per point
/// first_seed: 1                    # optional (default 1)
/// design: grid                     # grid or lhs
/// samples: 20                      # lhs only: the number of points
/// design_seed: 1                   # lhs only (default 1)
/// parameters:
///   procurement.retention_floor_kg: [150, 200, 250]              # grid: these values
///   reporting.inflation_per_pressure: { min: 0.5, max: 2.5, steps: 5 }  # grid: evenly spaced, ends included
///   # lhs: every parameter { min: a, max: b }
/// </code>
/// </remarks>
public sealed class SweepDesign
{
    public required string Name { get; init; }
    public string Scenario { get; init; } = "default";
    public string? Counterfactual { get; init; } = "no-leap";
    public Resolution Resolution { get; init; } = Resolution.Commune;
    public IReadOnlyList<string>? Provinces { get; init; }
    public int Seeds { get; init; } = 1;
    public ulong FirstSeed { get; init; } = 1;
    public SweepKind Kind { get; init; }
    public int Samples { get; init; }
    public ulong DesignSeed { get; init; } = 1;
    public required IReadOnlyList<SweepParameter> Parameters { get; init; }
    public string SourceFile { get; init; } = "<memory>";

    /// <summary>Most runs a sweep may have.</summary>
    public const int MaxRuns = 10_000_000;

    private double[][]? _points;

    /// <summary>Point × parameter values.</summary>
    public IReadOnlyList<double[]> Points => _points ??= Kind == SweepKind.Grid ? Grid() : LatinHypercube();

    public int RunCount => Points.Count * Seeds;

    public (int Point, ulong Seed) RunOf(int run) => (run / Seeds, FirstSeed + (ulong)(run % Seeds));

    /// <summary>Whether run <paramref name="run"/> belongs to shard <paramref name="shard"/> (1-based) of <paramref name="shards"/>.</summary>
    public static bool InShard(int run, int shard, int shards) => run % shards == shard - 1;

    /// <summary>The runs of a shard, ascending.</summary>
    public IEnumerable<int> RunsOfShard(int shard, int shards) => Enumerable.Range(0, RunCount).Where(r => InShard(r, shard, shards));

    private static double[] Values(SweepParameter p) =>
        p.Values?.ToArray() ?? (p.Steps == 1 ? [p.Min] : Enumerable.Range(0, p.Steps).Select(i => p.Min + (p.Max - p.Min) * i / (p.Steps - 1)).ToArray());

    private double[][] Grid()
    {
        var axes = Parameters.Select(Values).ToArray();
        var count = axes.Aggregate(1L, (n, a) => n * a.Length);
        var points = new double[count][];
        for (var k = 0L; k < count; k++)
        {
            var point = new double[axes.Length];
            var rest = k;
            for (var j = axes.Length - 1; j >= 0; j--) // the last parameter varies fastest
            {
                point[j] = axes[j][rest % axes[j].Length];
                rest /= axes[j].Length;
            }
            points[k] = point;
        }
        return points;
    }

    /// <summary>
    /// A Latin hypercube: each parameter's range cut into <see cref="Samples"/> equal strata, each stratum used once,
    /// the strata of the parameters paired by independent random permutations, a uniform draw within each stratum
    /// (McKay, Beckman and Conover 1979). Random numbers from the counter-based generator keyed to the design seed.
    /// </summary>
    private double[][] LatinHypercube()
    {
        var n = Samples;
        var points = Enumerable.Range(0, n).Select(_ => new double[Parameters.Count]).ToArray();
        var stream = CounterRng.StreamId("sweep-lhs");
        for (var j = 0; j < Parameters.Count; j++)
        {
            var rng = new CounterRng(DesignSeed, stream, (ulong)j, 0);
            var strata = Enumerable.Range(0, n).ToArray();
            for (var i = n - 1; i > 0; i--)
            {
                var k = (int)(rng.NextUInt64() % (ulong)(i + 1));
                (strata[i], strata[k]) = (strata[k], strata[i]);
            }
            var p = Parameters[j];
            for (var i = 0; i < n; i++) points[i][j] = p.Min + (p.Max - p.Min) * (strata[i] + rng.NextDouble()) / n;
        }
        return points;
    }

    /// <summary>A hash of everything that decides the runs and their rows (not the file's comments or layout).</summary>
    public string Fingerprint
    {
        get
        {
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"{Name}|{Scenario}|{Counterfactual ?? "none"}|{Resolution.Name()}|{string.Join(',', Provinces ?? [])}|{Seeds}|{FirstSeed}|");
            sb.Append(string.Join(',', Parameters.Select(p => p.Name))).Append('|');
            foreach (var point in Points) sb.Append(string.Join(',', point.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append(';');
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..16];
        }
    }

    // ------------------------------------------------------------------ reading the file

    public static SweepDesign Load(string path)
    {
        string text;
        try
        {
            if (new FileInfo(path).Length > ScenarioReader.MaxFileBytes)
                throw new InputException(new SourceLocation(path, 0, "<file>"), "the file is larger than 1 MiB; a sweep file is a few lines");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(new SourceLocation(path, 0, "<file>"), e is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : "the file cannot be read: " + e.Message);
        }
        return Parse(text, path);
    }

    private static readonly string[] TopKeys = ["name", "scenario", "counterfactual", "resolution", "provinces", "seeds", "first_seed", "design", "samples", "design_seed", "parameters"];

    public static SweepDesign Parse(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InputException(new SourceLocation(file, (int)e.Start.Line, "<document>"), "not valid YAML: " + e.Message.ReplaceLineEndings(" "));
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InputException(new SourceLocation(file, 0, "<document>"), "a sweep file is one YAML mapping (name:, design:, parameters:, …)");
        SourceLocation At(YamlNode node, string key) => new(file, (int)node.Start.Line, key);
        var map = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in root.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? throw new InputException(At(k, "<key>"), "keys are plain names");
            if (!TopKeys.Contains(key)) throw new InputException(At(k, key), $"unknown key (known: {string.Join(", ", TopKeys)})");
            map[key] = v;
        }
        string Text(string key, string? fallback)
        {
            if (!map.TryGetValue(key, out var node)) return fallback ?? throw new InputException(new SourceLocation(file, 0, key), "this key is required");
            return node is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw new InputException(At(node, key), "expected a plain value");
        }
        long Whole(string key, long fallback, long min, long max)
        {
            if (!map.ContainsKey(key)) return fallback;
            var t = Text(key, null);
            return long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v
                : throw new InputException(At(map[key], key), $"'{t}' is not a whole number from {min} to {max}");
        }

        var name = Text("name", null);
        var resText = Text("resolution", "commune");
        if (!ResolutionNames.TryParse(resText, out var resolution))
            throw new InputException(At(map["resolution"], "resolution"), $"'{resText}' is not one of province, county, commune, brigade, team");
        var designText = Text("design", null);
        var kind = designText switch
        {
            "grid" => SweepKind.Grid,
            "lhs" or "latin-hypercube" => SweepKind.LatinHypercube,
            _ => throw new InputException(At(map["design"], "design"), $"'{designText}' is not grid or lhs"),
        };
        IReadOnlyList<string>? provinces = null;
        if (map.TryGetValue("provinces", out var pn))
            provinces = pn is YamlSequenceNode seq && seq.Children.All(c => c is YamlScalarNode { Value.Length: > 0 })
                ? seq.Children.Select(c => ((YamlScalarNode)c).Value!).ToList()
                : throw new InputException(At(pn, "provinces"), "expected a list of province names, e.g. [Anhui, Sichuan]");
        var counterfactual = Text("counterfactual", "no-leap");
        var samples = kind == SweepKind.LatinHypercube ? (int)Whole("samples", -1, 1, 1_000_000) : 0;
        if (kind == SweepKind.LatinHypercube && samples < 1) throw new InputException(new SourceLocation(file, 0, "samples"), "a Latin-hypercube design needs 'samples:' (the number of points)");
        if (kind == SweepKind.Grid && map.ContainsKey("samples")) throw new InputException(At(map["samples"], "samples"), "'samples' is for design: lhs; a grid has every combination");

        if (!map.TryGetValue("parameters", out var paramNode) || paramNode is not YamlMappingNode pm || pm.Children.Count == 0)
            throw new InputException(map.TryGetValue("parameters", out var bad) ? At(bad, "parameters") : new SourceLocation(file, 0, "parameters"), "give at least one parameter to sweep (parameter name: values or range)");
        var declared = Engine.ModuleCatalog.NewParameterSet();
        var parameters = new List<SweepParameter>();
        foreach (var (k, v) in pm.Children)
        {
            var pname = (k as YamlScalarNode)?.Value ?? throw new InputException(At(k, "parameters"), "parameter names are plain names");
            var key = "parameters." + pname;
            if (!declared.IsDeclared(pname)) throw new InputException(At(k, key), $"unknown parameter '{pname}' (see 'leapsim params')");
            if (parameters.Any(p => p.Name == pname)) throw new InputException(At(k, key), "named twice");
            var info = declared.Info(pname);
            double Number(YamlNode node, string what)
            {
                var t = (node as YamlScalarNode)?.Value;
                if (t is null || !double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
                    throw new InputException(At(node, key), $"{what} must be a number");
                if (!info.InRange(x)) throw new InputException(At(node, key), $"{x} is outside the range [{info.Min}, {info.Max}] {info.Unit}");
                return x;
            }
            switch (v)
            {
                case YamlSequenceNode list when kind == SweepKind.Grid:
                    if (list.Children.Count == 0) throw new InputException(At(v, key), "an empty list of values");
                    parameters.Add(new SweepParameter(pname, list.Children.Select(c => Number(c, "each value")).ToList(), 0, 0, 0, At(k, key)));
                    break;
                case YamlSequenceNode:
                    throw new InputException(At(v, key), "a Latin-hypercube design samples a range: { min: a, max: b }");
                case YamlMappingNode range:
                {
                    var fields = range.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? "", c => c.Value, StringComparer.Ordinal);
                    foreach (var f in fields.Keys.Where(f => f is not "min" and not "max" and not "steps"))
                        throw new InputException(At(v, key + "." + f), "a range has min, max and (for a grid) steps");
                    if (!fields.TryGetValue("min", out var mn) || !fields.TryGetValue("max", out var mx))
                        throw new InputException(At(v, key), "a range needs min and max");
                    var lo = Number(mn, "min");
                    var hi = Number(mx, "max");
                    if (hi < lo) throw new InputException(At(v, key), $"max {hi} is below min {lo}");
                    var steps = 0;
                    if (kind == SweepKind.Grid)
                    {
                        if (!fields.TryGetValue("steps", out var st)) throw new InputException(At(v, key), "a grid range needs steps (the number of values, ends included)");
                        var stText = (st as YamlScalarNode)?.Value ?? "";
                        if (!int.TryParse(stText, NumberStyles.None, CultureInfo.InvariantCulture, out steps) || steps < 1 || steps > 10_000)
                            throw new InputException(At(st, key + ".steps"), $"'{stText}' is not a whole number from 1 to 10000");
                    }
                    else if (fields.ContainsKey("steps")) throw new InputException(At(v, key + ".steps"), "steps are for a grid; a Latin hypercube has 'samples:'");
                    parameters.Add(new SweepParameter(pname, null, lo, hi, steps, At(k, key)));
                    break;
                }
                default:
                    throw new InputException(At(v, key), kind == SweepKind.Grid ? "expected a list of values [a, b, c] or a range { min: a, max: b, steps: n }" : "expected a range { min: a, max: b }");
            }
        }
        var design = new SweepDesign
        {
            Name = name,
            Scenario = Text("scenario", "default"),
            Counterfactual = counterfactual == "none" ? null : counterfactual,
            Resolution = resolution,
            Provinces = provinces,
            Seeds = (int)Whole("seeds", 1, 1, 10_000),
            FirstSeed = (ulong)Whole("first_seed", 1, 0, long.MaxValue),
            Kind = kind,
            Samples = samples,
            DesignSeed = (ulong)Whole("design_seed", 1, 0, long.MaxValue),
            Parameters = parameters,
            SourceFile = file,
        };
        var points = kind == SweepKind.Grid ? parameters.Aggregate(1.0, (n, p) => n * (p.Values?.Count ?? p.Steps)) : samples;
        if (points * design.Seeds > MaxRuns)
            throw new InputException(new SourceLocation(file, 0, "parameters"), $"{points * design.Seeds:G} runs; a sweep may have at most {MaxRuns:N0}");
        return design;
    }
}
