using LeapSim.Core.Scenarios;

namespace LeapSim.Core.Experiments;

/// <summary>
/// What a counterfactual scenario changes in the scenario it is compared with: the events it adds, moves, changes or
/// switches off (by id, as resolved) and the parameters it sets to other values.
/// </summary>
public sealed record ScenarioChange(IReadOnlyDictionary<string, PolicyEvent> Events, IReadOnlyDictionary<string, ParameterOverride> Parameters)
{
    public bool IsEmpty => Events.Count == 0 && Parameters.Count == 0;

    /// <summary>The change that turns <paramref name="baseline"/> into <paramref name="variant"/> (both resolved).</summary>
    public static ScenarioChange Between(ResolvedScenario baseline, ResolvedScenario variant)
    {
        var baseEvents = baseline.Events.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var events = new Dictionary<string, PolicyEvent>(StringComparer.Ordinal);
        foreach (var e in variant.Events)
            if (!baseEvents.TryGetValue(e.Id, out var b) || !Same(b, e)) events[e.Id] = e;
        // An event of the baseline the variant does not have at all (a variant that does not extend it): switched off.
        var variantIds = variant.Events.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var b in baseline.Events)
            if (!variantIds.Contains(b.Id) && b.Enabled) events[b.Id] = b with { Enabled = false };
        var defaults = Engine.ModuleCatalog.NewParameterSet();
        double Value(ResolvedScenario s, string name) => s.Parameters.FirstOrDefault(p => p.Name == name)?.Value ?? defaults[name];
        var parameters = new Dictionary<string, ParameterOverride>(StringComparer.Ordinal);
        foreach (var name in baseline.Parameters.Select(p => p.Name).Concat(variant.Parameters.Select(p => p.Name)).Distinct(StringComparer.Ordinal))
        {
            var v = Value(variant, name);
            if (!Value(baseline, name).Equals(v))
                parameters[name] = variant.Parameters.FirstOrDefault(p => p.Name == name) ?? new ParameterOverride(name, v, new SourceLocation(variant.Name, 0, name));
        }
        return new ScenarioChange(events, parameters);
    }

    private static bool Same(PolicyEvent a, PolicyEvent b) =>
        a.Policy == b.Policy && a.Date == b.Date && a.Enabled == b.Enabled && a.Settings.Count == b.Settings.Count
        && a.Settings.All(kv => b.Settings.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));

    /// <summary>Whether two changes touch the same event or parameter in different ways (they cannot both apply).</summary>
    public IEnumerable<string> ConflictsWith(ScenarioChange other) =>
        Events.Where(kv => other.Events.TryGetValue(kv.Key, out var e) && !Same(kv.Value, e)).Select(kv => "event " + kv.Key)
            .Concat(Parameters.Where(kv => other.Parameters.TryGetValue(kv.Key, out var p) && !p.Value.Equals(kv.Value.Value)).Select(kv => "parameter " + kv.Key));

    /// <summary>This change without the events and parameters that <paramref name="others"/> touch.</summary>
    public ScenarioChange Except(IEnumerable<ScenarioChange> others)
    {
        var list = others.ToList();
        return new ScenarioChange(
            Events.Where(kv => list.All(o => !o.Events.ContainsKey(kv.Key))).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            Parameters.Where(kv => list.All(o => !o.Parameters.ContainsKey(kv.Key))).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }

    /// <summary><paramref name="baseline"/> with all of <paramref name="changes"/> applied (they must not conflict).</summary>
    public static ResolvedScenario Apply(ResolvedScenario baseline, string name, IEnumerable<ScenarioChange> changes)
    {
        var events = baseline.Events.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var order = baseline.Events.Select(e => e.Id).ToList();
        var parameters = baseline.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var c in changes)
        {
            foreach (var (id, e) in c.Events)
            {
                if (!events.ContainsKey(id)) order.Add(id);
                events[id] = e;
            }
            foreach (var (n, p) in c.Parameters) parameters[n] = p;
        }
        return new ResolvedScenario(name, baseline.Description, baseline.Chain,
            parameters.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList(), order.Select(id => events[id]).ToList());
    }
}

/// <summary>A mechanism that can be switched off: its name and the change that switches it off.</summary>
public sealed record Switch(string Name, string Description, string Scenario, ScenarioChange Off);

/// <summary>
/// The switches of an attribution over a baseline scenario. Each is named by a counterfactual scenario (the baseline
/// with that mechanism removed); a "rest" scenario (by default no-leap) adds one more switch holding whatever it
/// changes that no named switch does, so that with every switch off the world is the rest scenario's (with the named
/// switches' changes too). Two switches may not change the same event differently.
/// </summary>
public sealed class SwitchSet
{
    /// <summary>The default switches: (name, scenario that switches it off).</summary>
    public static readonly IReadOnlyList<(string Name, string Scenario)> Defaults =
    [
        ("labour_diversion", "no-labour-diversion"),
        ("inflated_reports", "honest-reports"),
        ("inflexible_procurement", "flexible-procurement"),
        ("dining_halls", "no-dining-halls"),
        ("communes", "no-communes"),
        ("weather", "normal-weather"),
        ("soviet_withdrawal", "soviet-stay"),
        ("exports", "no-exports"),
    ];

    public const string RestName = "other_leap_policies";

    public SwitchSet(ResolvedScenario baseline, IReadOnlyList<Switch> switches)
    {
        Baseline = baseline;
        Switches = switches;
    }

    public ResolvedScenario Baseline { get; }
    public IReadOnlyList<Switch> Switches { get; }
    public int Count => Switches.Count;

    /// <summary>Builds the set. <paramref name="load"/> resolves a scenario by name or path; <paramref name="rest"/> null = no rest switch.</summary>
    public static SwitchSet Create(ResolvedScenario baseline, IReadOnlyList<(string Name, string Scenario)> named, string? rest,
        Func<string, ResolvedScenario> load)
    {
        var switches = new List<Switch>();
        foreach (var (name, scenario) in named)
        {
            var s = load(scenario);
            var change = ScenarioChange.Between(baseline, s);
            if (change.IsEmpty)
                throw new InputException(new SourceLocation("<command line>", 0, "--switches"), $"switch '{name}': scenario '{scenario}' changes nothing in '{baseline.Name}'");
            if (switches.Any(x => x.Name == name))
                throw new InputException(new SourceLocation("<command line>", 0, "--switches"), $"switch '{name}' is named twice");
            foreach (var other in switches)
            {
                var clash = change.ConflictsWith(other.Off).ToList();
                if (clash.Count > 0)
                    throw new InputException(new SourceLocation("<command line>", 0, "--switches"),
                        $"switches '{other.Name}' ({other.Scenario}) and '{name}' ({scenario}) change {string.Join(", ", clash)} in different ways; they cannot be combined");
            }
            switches.Add(new Switch(name, s.Description, scenario, change));
        }
        if (rest is not null)
        {
            var r = load(rest);
            var remaining = ScenarioChange.Between(baseline, r).Except(switches.Select(s => s.Off));
            if (!remaining.IsEmpty)
                switches.Add(new Switch(RestName, $"what '{rest}' changes beyond the other switches ({remaining.Events.Count} events, {remaining.Parameters.Count} parameters)", rest, remaining));
        }
        if (switches.Count == 0)
            throw new InputException(new SourceLocation("<command line>", 0, "--switches"), "no switches to attribute to");
        if (switches.Count > 30)
            throw new InputException(new SourceLocation("<command line>", 0, "--switches"), $"{switches.Count} switches; at most 30");
        return new SwitchSet(baseline, switches);
    }

    /// <summary>The scenario of a coalition: bit i set = switch i on (as in the baseline), clear = switched off.</summary>
    public ResolvedScenario Scenario(int mask) =>
        ScenarioChange.Apply(Baseline, $"{Baseline.Name}[{Label(mask)}]", Switches.Where((_, i) => (mask & (1 << i)) == 0).Select(s => s.Off));

    /// <summary>"all on", "all off", or the names of the switches that are on.</summary>
    public string Label(int mask) =>
        mask == (1 << Count) - 1 ? "all on" : mask == 0 ? "all off" : string.Join("+", Switches.Where((_, i) => (mask & (1 << i)) != 0).Select(s => s.Name));
}
