using System.Globalization;
using System.Text.Json;
using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;

namespace LeapSim.Web;

/// <summary>A problem with a request, named by the key of the control it is about ("events.lushan_purge.date").</summary>
public sealed class RequestException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}

/// <summary>
/// What the page asks for: a built-in preset, the changes made to it (the same keys as a scenario file), the
/// resolution and the seed. JSON:
/// <code>
/// { "preset": "default", "resolution": "commune", "seed": 1, "name": "my-scenario",
///   "parameters": { "procurement.retention_floor_kg": 220 },
///   "events": { "lushan_purge": { "enabled": false },
///               "backyard_steel": { "date": "1958-10", "settings": { "campaign": 0.5 } },
///               "added_grain_trade_1": { "policy": "grain_trade", "date": "1959-04", "settings": { "extra_imports_mt": 5 } } } }
/// </code>
/// </summary>
public sealed record RunRequest(string Preset, Resolution Resolution, ulong Seed, string Name,
    IReadOnlyList<(string Name, double Value)> Parameters, IReadOnlyList<EventChange> Events)
{
    public const string DefaultName = "my-scenario";
    public const int MaxNameLength = 64;
    public const string File = "<page>";

    /// <summary>Reads the JSON body. Every problem is a <see cref="RequestException"/> naming its key.</summary>
    public static RunRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new RequestException("<request>", "the request must be a JSON object");
        var catalog = Catalog.Current;
        string preset = "default", name = DefaultName;
        var resolution = Catalog.DefaultResolution;
        var seed = Catalog.DefaultSeed;
        var parameters = new List<(string, double)>();
        var events = new List<EventChange>();
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "preset":
                    preset = String(p.Value, "preset");
                    if (catalog.Preset(preset) is null)
                        throw new RequestException("preset", $"'{Show(preset)}' is not a built-in scenario (the presets are {string.Join(", ", catalog.Presets.Select(x => x.Name))})");
                    break;
                case "resolution":
                    var r = String(p.Value, "resolution");
                    if (!ResolutionNames.TryParse(r, out resolution) || !Catalog.Resolutions.Contains(resolution))
                        throw new RequestException("resolution", $"'{Show(r)}' is not one of {string.Join(", ", Catalog.Resolutions.Select(x => x.Name()))}");
                    break;
                case "seed":
                    if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetUInt64(out seed) || seed > Catalog.MaxSeed)
                        throw new RequestException("seed", $"the seed must be a whole number from 0 to {Catalog.MaxSeed}");
                    break;
                case "name":
                    name = String(p.Value, "name");
                    if (name.Length > MaxNameLength || !ScenarioReader.IsIdentifier(name))
                        throw new RequestException("name", $"a scenario name has 1 to {MaxNameLength} letters, digits, '_', '.' or '-'");
                    break;
                case "parameters":
                    foreach (var (key, value) in Object(p.Value, "parameters"))
                        parameters.Add((key, Number(value, "parameters." + key)));
                    break;
                case "events":
                    foreach (var (id, body) in Object(p.Value, "events"))
                        events.Add(EventChange.Parse(id, body));
                    break;
                default:
                    throw new RequestException("<request>", $"unknown field '{Show(p.Name)}' (fields: preset, resolution, seed, name, parameters, events)");
            }
        }
        return new RunRequest(preset, resolution, seed, name, parameters, events);
    }

    /// <summary>The changes as a scenario file's content: extends the preset; new events are described as added here.</summary>
    public Scenario ToScenario()
    {
        var preset = Catalog.Current.Preset(Preset) ?? throw new RequestException("preset", $"'{Show(Preset)}' is not a built-in scenario");
        var known = preset.Scenario.Events.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        return new Scenario
        {
            Name = Name,
            Description = $"Made in the LeapSim web page from the built-in scenario {Preset}",
            Extends = Preset,
            SourceFile = File,
            Parameters = Parameters.Select(p => new ParameterOverride(p.Name, p.Value, new SourceLocation(File, 0, "parameters." + p.Name))).ToList(),
            Events = Events.Select(e => e.ToPatch(known.Contains(e.Id) ? null : "added in the web page")).ToList(),
        };
    }

    /// <summary>
    /// The scenario file of the request (what "download scenario" gives) and the scenario it resolves to. The text is
    /// read back by <see cref="ScenarioReader"/> before it runs, so the file and the run cannot differ. A parent is
    /// only ever a built-in: nothing is read from the server's disk.
    /// </summary>
    public (string Yaml, ResolvedScenario Scenario) Prepare()
    {
        try
        {
            var yaml = ScenarioWriter.Write(ToScenario(),
            [
                $"Made in the LeapSim web page (leapsim serve) from the built-in scenario {Preset}.",
                $"Run it with: leapsim run --scenario {Name}.yaml --resolution {Resolution.Name()} --seed {Seed.ToString(CultureInfo.InvariantCulture)}",
            ], File);
            var parsed = ScenarioReader.Parse(yaml, File);
            var resolved = ScenarioResolver.Resolve(parsed, (parent, _) => Catalog.Current.Builtin(parent)
                ?? throw new InputException(new SourceLocation(File, 0, "preset"), $"'{Show(parent)}' is not a built-in scenario"));
            return (yaml, resolved);
        }
        catch (InputException e)
        {
            // The file's top-level key "extends" is the page's preset.
            throw new RequestException(e.Location.Key == "extends" ? "preset" : e.Location.Key, e.Problem);
        }
    }

    public RunOptions Options(int threads) => new() { Resolution = Resolution, Seed = Seed, Threads = threads };

    internal static string String(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new RequestException(key, $"expected text, found {Kind(e)}");

    internal static double Number(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var v) && double.IsFinite(v) ? v
            : throw new RequestException(key, $"expected a number, found {Kind(e)}");

    internal static IEnumerable<(string Key, JsonElement Value)> Object(JsonElement e, string key)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new RequestException(key, $"expected an object, found {Kind(e)}");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (!seen.Add(p.Name)) throw new RequestException(key + "." + Show(p.Name), "given twice");
            if (!ScenarioReader.IsIdentifier(p.Name))
                throw new RequestException(key + "." + Show(p.Name), $"'{Show(p.Name)}' may contain only letters, digits, '_', '.' and '-'");
            yield return (p.Name, p.Value);
        }
    }

    internal static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the text '{Show(e.GetString()!)}'",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => "null",
    };

    internal static string Show(string s) => s.Length <= 60 ? s : s[..60] + "…";
}

/// <summary>The change made to one event: any of on/off, date, policy (for a new event) and settings.</summary>
public sealed record EventChange(string Id, bool? Enabled, Month? Date, string? Policy, IReadOnlyList<(string Name, double Value)> Settings)
{
    public static EventChange Parse(string id, JsonElement body)
    {
        var path = "events." + id;
        bool? enabled = null;
        Month? date = null;
        string? policy = null;
        var settings = new List<(string, double)>();
        foreach (var (key, value) in RunRequest.Object(body, path))
        {
            switch (key)
            {
                case "enabled":
                    enabled = value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw new RequestException(path + ".enabled", $"expected true or false, found {RunRequest.Kind(value)}"),
                    };
                    break;
                case "date":
                    var text = RunRequest.String(value, path + ".date");
                    if (!Month.TryParse(text, out var m) || m < Month.Of(Month.BaseYear, 1) || m > ScenarioResolver.LastMonth)
                        throw new RequestException(path + ".date", $"expected a month from 1957-01 to {ScenarioResolver.LastMonth}, found '{RunRequest.Show(text)}'");
                    date = m;
                    break;
                case "policy":
                    policy = RunRequest.String(value, path + ".policy");
                    break;
                case "settings":
                    foreach (var (name, v) in RunRequest.Object(value, path))
                        settings.Add((name, RunRequest.Number(v, path + "." + name)));
                    break;
                default:
                    throw new RequestException(path, $"unknown field '{RunRequest.Show(key)}' (fields: enabled, date, policy, settings)");
            }
        }
        return new EventChange(id, enabled, date, policy, settings);
    }

    public EventPatch ToPatch(string? description)
    {
        var path = "events." + Id;
        return new EventPatch(Id, Policy, Date,
            Settings.ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal),
            Settings.ToDictionary(s => s.Name, s => new SourceLocation(RunRequest.File, 0, path + "." + s.Name), StringComparer.Ordinal),
            Enabled, description,
            new SourceLocation(RunRequest.File, 0, path), new SourceLocation(RunRequest.File, 0, path + ".date"), new SourceLocation(RunRequest.File, 0, path + ".policy"));
    }
}
