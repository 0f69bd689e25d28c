using LeapSim.Core.Engine;
using LeapSim.Core.Time;

namespace LeapSim.Core.Scenarios;

/// <summary>
/// Merges a scenario with the chain of scenarios it extends and checks every name and value against what the
/// modules declare: unknown parameters, policies or settings, values out of range and dates outside the model's
/// span are errors that name file, line and key. Nothing runs until this succeeds.
/// </summary>
public static class ScenarioResolver
{
    /// <summary>The last month an event may be dated.</summary>
    public static readonly Month LastMonth = Month.Of(1966, 12);

    /// <param name="load">Finds a parent by name or path, relative to the child's file: built-ins first.</param>
    public static ResolvedScenario Resolve(Scenario scenario, Func<string, string, Scenario> load)
    {
        var chain = new List<Scenario> { scenario };
        var seen = new HashSet<string>(StringComparer.Ordinal) { scenario.SourceFile + "#" + scenario.Name };
        var current = scenario;
        while (true)
        {
            var parent = current.Extends ?? (current.Name == "default" && current.SourceFile.StartsWith("builtin:", StringComparison.Ordinal) ? "none" : "default");
            if (parent == "none") break;
            Scenario next;
            try
            {
                next = load(parent, current.SourceFile);
            }
            catch (InputException e) when (e.Location.Key == ScenarioReader.FileKey)
            {
                // The file that says "extends" is the one to fix: name it, not only the file it could not find.
                throw new InputException(new SourceLocation(current.SourceFile, 0, "extends"),
                    $"cannot read the scenario it extends, '{parent}' ({e.Location.File}): {e.Problem}");
            }
            if (!seen.Add(next.SourceFile + "#" + next.Name))
                throw new InputException(new SourceLocation(current.SourceFile, 0, "extends"), $"scenario '{parent}' extends itself (a cycle)");
            if (chain.Count > 16)
                throw new InputException(new SourceLocation(current.SourceFile, 0, "extends"), "more than 16 levels of 'extends'");
            chain.Add(next);
            current = next;
        }
        chain.Reverse(); // base first

        var parameters = ModuleCatalog.NewParameterSet();
        var policies = ModuleCatalog.Policies().ToDictionary(p => p.Key, StringComparer.Ordinal);
        var overrides = new Dictionary<string, ParameterOverride>(StringComparer.Ordinal);
        var events = new Dictionary<string, PolicyEvent>(StringComparer.Ordinal);
        var order = new List<string>();

        foreach (var s in chain)
        {
            foreach (var o in s.Parameters)
            {
                if (!parameters.IsDeclared(o.Name))
                    throw new InputException(o.Location, $"unknown parameter '{o.Name}' (see 'leapsim params')");
                var info = parameters.Info(o.Name);
                if (!info.InRange(o.Value))
                    throw new InputException(o.Location, $"{o.Value} is outside the range [{info.Min}, {info.Max}] {info.Unit}");
                overrides[o.Name] = o;
            }
            foreach (var patch in s.Events)
            {
                events.TryGetValue(patch.Id, out var existing);
                var policyKey = patch.Policy ?? existing?.Policy ?? patch.Id;
                if (!policies.TryGetValue(policyKey, out var policy))
                    throw new InputException(patch.PolicyLocation ?? patch.Location,
                        existing is null && patch.Policy is null
                            ? $"event '{patch.Id}' is new here and needs a 'policy:' (known policies: see 'leapsim explain')"
                            : $"unknown policy '{policyKey}' (see 'leapsim explain')");
                if (existing is not null && existing.Policy != policyKey)
                    throw new InputException(patch.PolicyLocation ?? patch.Location, $"event '{patch.Id}' is a '{existing.Policy}' event in the scenario it extends; give a new id for a '{policyKey}' event");
                var date = patch.Date ?? existing?.Date
                    ?? throw new InputException(patch.Location, $"event '{patch.Id}' needs a 'date:' (YYYY-MM)");
                if (date > LastMonth)
                    throw new InputException(patch.DateLocation ?? patch.Location, $"date {date} is after the model's last month {LastMonth}");
                var settings = existing is null
                    ? new Dictionary<string, double>(StringComparer.Ordinal)
                    : new Dictionary<string, double>(existing.Settings, StringComparer.Ordinal);
                foreach (var (name, value) in patch.Settings)
                {
                    var loc = patch.SettingLocations.TryGetValue(name, out var l) ? l : patch.Location;
                    var setting = policy.Setting(name)
                        ?? throw new InputException(loc, $"policy '{policyKey}' has no setting '{name}' (it has: {string.Join(", ", policy.Settings.Select(x => x.Name))})");
                    if (double.IsNaN(value) || value < setting.Min || value > setting.Max)
                        throw new InputException(loc, $"{value} is outside the range [{setting.Min}, {setting.Max}] {setting.Unit}");
                    settings[name] = value;
                }
                var ev = new PolicyEvent(patch.Id, policyKey, date, settings,
                    patch.Enabled ?? existing?.Enabled ?? true,
                    patch.Description ?? existing?.Description ?? "", patch.Location);
                if (existing is null) order.Add(patch.Id);
                events[patch.Id] = ev;
            }
        }

        var top = chain[^1];
        return new ResolvedScenario(
            top.Name,
            top.Description,
            chain.Select(c => c.Name).ToList(),
            overrides.Values.OrderBy(o => o.Name, StringComparer.Ordinal).ToList(),
            order.Select(id => events[id]).ToList());
    }
}
