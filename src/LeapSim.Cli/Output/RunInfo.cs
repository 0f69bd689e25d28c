using System.Diagnostics;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeapSim.Cli.Output;

/// <summary>
/// What a run was and how it went, written as <c>run.json</c> next to its tables: enough to repeat the run and to
/// judge its cost. JSON property names are snake_case (<c>scenario_name</c>, <c>wall_time_seconds</c>, …);
/// <see cref="ChangedParameters"/> is written in ordinal name order, so equal infos give equal bytes.
/// </summary>
public sealed record RunInfo
{
    /// <summary>Name of the scenario that was run.</summary>
    public required string ScenarioName { get; init; }
    /// <summary>The scenario and the ones it extends, as resolved (ResolvedScenario.Chain).</summary>
    public IReadOnlyList<string> ScenarioChain { get; init; } = [];
    public required ulong Seed { get; init; }
    /// <summary>Runs of an ensemble (seeds <see cref="Seed"/> to Seed + Runs − 1); absent for a single run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Runs { get; init; }
    /// <summary>Spatial resolution of the run, as given on the command line.</summary>
    public required string Resolution { get; init; }
    /// <summary>Number of years simulated.</summary>
    public required int Years { get; init; }
    public required int Threads { get; init; }
    /// <summary>Informational version of the program; see <see cref="CurrentVersion"/>.</summary>
    public string Version { get; init; } = CurrentVersion();
    public double WallTimeSeconds { get; init; }
    /// <summary>Peak working set in megabytes (10^6 bytes); see <see cref="CurrentPeakMemoryMb"/>.</summary>
    public double PeakMemoryMb { get; init; }
    public DateTimeOffset StartedUtc { get; init; }
    /// <summary>The program's arguments, one element each (no quoting to undo).</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = [];
    /// <summary>Parameters whose value differs from the default (ParameterSet.Changed()), name → value.</summary>
    public IReadOnlyDictionary<string, double> ChangedParameters { get; init; } = new Dictionary<string, double>();

    /// <summary>Writes <paramref name="info"/> as indented UTF-8 JSON (no BOM, "\n" line ends, final newline).</summary>
    public static void Write(RunInfo info, Stream s)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(s);
        var sorted = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in info.ChangedParameters) sorted.Add(name, value);
        JsonSerializer.Serialize(s, info with { ChangedParameters = sorted }, RunInfoJson.Relaxed.RunInfo);
        s.WriteByte((byte)'\n');
    }

    /// <summary>Reads a run.json written by <see cref="Write"/>.</summary>
    public static RunInfo Read(Stream s)
    {
        var info = JsonSerializer.Deserialize(s, RunInfoJson.Relaxed.RunInfo) ?? throw new InvalidDataException("run.json is null");
        // The generated reader sets every init-only property, to null where the file lacks it: the defaults come back.
        return info with
        {
            ScenarioChain = info.ScenarioChain ?? [],
            Version = info.Version ?? CurrentVersion(),
            CommandLine = info.CommandLine ?? [],
            ChangedParameters = info.ChangedParameters ?? new Dictionary<string, double>(),
        };
    }

    /// <summary>The CLI assembly's informational version (e.g. "0.1.0+commit"), or "unknown".</summary>
    public static string CurrentVersion() =>
        typeof(RunInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(RunInfo).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>This process's peak working set so far, in megabytes (10^6 bytes).</summary>
    public static double CurrentPeakMemoryMb()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1e6;
    }
}

/// <summary>
/// run.json's serializer, generated at compile time: reflection-based serialization builds its converters at first
/// use (about 0.1 s of a province run's command, bench/README.md). Property names snake_case, dictionary keys
/// (parameter names) as declared, non-ASCII scenario names and paths unescaped, NaN written as "NaN" rather than
/// making the file unwritable.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, IndentSize = 2, NewLine = "\n",
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RunInfo))]
internal sealed partial class RunInfoJson : JsonSerializerContext
{
    private static RunInfoJson? _relaxed;

    /// <summary>The context with the relaxed encoder (not expressible in the attribute).</summary>
    public static RunInfoJson Relaxed => _relaxed ??= new RunInfoJson(new JsonSerializerOptions(s_defaultOptions) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
