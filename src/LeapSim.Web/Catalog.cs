using System.Text.Json;
using System.Text.Json.Serialization;
using LeapSim.Core.Engine;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Web;

/// <summary>
/// What the page offers as controls, built from what the model declares: every policy with its settings and ranges,
/// every parameter with its range, every built-in scenario (<see cref="ScenarioLibrary"/>) as a preset with its
/// resolved events and parameter values, and the union of the presets' events (default's first), so that an event
/// a new built-in adds appears by itself.
/// </summary>
public sealed class Catalog
{
    /// <summary>Resolutions the page offers: the finer ones hold millions of units, too heavy for a shared server.</summary>
    public static readonly IReadOnlyList<Resolution> Resolutions = [Resolution.Province, Resolution.County, Resolution.Commune];

    public const Resolution DefaultResolution = Resolution.Commune;
    public const ulong DefaultSeed = 1;
    /// <summary>The largest seed the page accepts: every whole number a JavaScript number holds exactly.</summary>
    public const ulong MaxSeed = (1UL << 53) - 1;

    private Catalog(IReadOnlyList<PolicyInfo> policies, IReadOnlyList<ParameterInfo> parameters, IReadOnlyList<Preset> presets, IReadOnlyList<EventControl> events)
    {
        Policies = policies;
        Parameters = parameters;
        Presets = presets;
        Events = events;
    }

    public IReadOnlyList<PolicyInfo> Policies { get; }
    public IReadOnlyList<ParameterInfo> Parameters { get; }
    public IReadOnlyList<Preset> Presets { get; }
    public IReadOnlyList<EventControl> Events { get; }

    public Preset? Preset(string name) => Presets.FirstOrDefault(p => p.Name == name);

    /// <summary>A built-in scenario as written (read once: the built-ins do not change while the server runs).</summary>
    public Scenario? Builtin(string name) => Preset(name)?.Written;

    private static readonly Lazy<Catalog> CurrentLazy = new(Build);

    /// <summary>The catalogue of this build (the built-in scenarios do not change while the server runs).</summary>
    public static Catalog Current => CurrentLazy.Value;

    public static Catalog Build()
    {
        var policies = ModuleCatalog.Policies().ToList();
        var parameters = ModuleCatalog.AllParameters().ToList();
        var presets = new List<Preset>();
        foreach (var name in ScenarioLibrary.BuiltinNames)
        {
            var scenario = ScenarioLibrary.LoadBuiltin(name);
            var resolved = ScenarioLibrary.Resolve(scenario);
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var o in resolved.Parameters) values[o.Name] = o.Value;
            presets.Add(new Preset(name, scenario.Description, scenario, resolved, values));
        }
        // Controls: every event of any preset, default's in its order first, then the others' new ones.
        var controls = new Dictionary<string, EventControl>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var preset in presets.OrderBy(p => p.Name == "default" ? 0 : 1))
            foreach (var e in preset.Scenario.Events)
            {
                if (!controls.TryGetValue(e.Id, out var c))
                {
                    controls[e.Id] = new EventControl(e.Id, e.Policy, e.Description, e.Settings.Keys.ToList());
                    order.Add(e.Id);
                }
                else
                    controls[e.Id] = c with { Settings = c.Settings.Union(e.Settings.Keys).ToList() };
            }
        return new Catalog(policies, parameters, presets, order.Select(id => controls[id]).ToList());
    }

    /// <summary>The catalogue as the page's script reads it (camelCase JSON).</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        policies = Policies.Select(p => new
        {
            key = p.Key, description = p.Description, source = p.Source,
            settings = p.Settings.Select(s => new { name = s.Name, unit = s.Unit, @default = s.Default, min = s.Min, max = s.Max, description = s.Description }),
        }),
        parameters = Parameters.Select(p => new
        {
            name = p.Name, unit = p.Unit, @default = p.Default, min = p.Min, max = p.Max, source = p.Source, description = p.Description, calibrated = p.IsCalibrated,
        }),
        presets = Presets.Select(p => new
        {
            name = p.Name, description = p.Description, parameters = p.ParameterValues,
            events = p.Scenario.Events.ToDictionary(e => e.Id, e => new { enabled = e.Enabled, date = e.Date.ToString(), settings = e.Settings }),
        }),
        events = Events.Select(e => new { id = e.Id, policy = e.Policy, description = e.Description, settings = e.Settings }),
        resolutions = Resolutions.Select(r => r.Name()),
        defaultResolution = DefaultResolution.Name(),
        defaultSeed = DefaultSeed,
        maxSeed = MaxSeed,
        firstMonth = "1957-01",
        lastMonth = ScenarioResolver.LastMonth.ToString(),
    }, JsonOptions);

    internal static readonly JsonSerializerOptions JsonOptions = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
}

/// <summary>A built-in scenario offered as a preset: its resolved events and the parameter values it sets.</summary>
public sealed record Preset(string Name, string Description, Scenario Written, ResolvedScenario Scenario, IReadOnlyDictionary<string, double> ParameterValues);

/// <summary>The control of one event id: its policy, what it is, and the settings some preset gives it.</summary>
public sealed record EventControl(string Id, string Policy, string Description, IReadOnlyList<string> Settings);
