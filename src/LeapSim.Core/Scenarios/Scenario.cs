using LeapSim.Core.Time;

namespace LeapSim.Core.Scenarios;

/// <summary>
/// A dated policy event: on <see cref="Date"/> the settings of <see cref="Policy"/> take the given values (settings
/// not named keep their current value). Identified by <see cref="Id"/> so that a scenario extending another can
/// move it, change it or switch it off.
/// </summary>
public sealed record PolicyEvent(
    string Id,
    string Policy,
    Month Date,
    IReadOnlyDictionary<string, double> Settings,
    bool Enabled,
    string Description,
    SourceLocation Location);

/// <summary>A parameter override with where it was written.</summary>
public sealed record ParameterOverride(string Name, double Value, SourceLocation Location);

/// <summary>
/// A scenario as written in one file: parameter overrides and dated policy events, optionally extending another
/// scenario (by built-in name or path). Resolve it with <see cref="ScenarioResolver"/> before a run.
/// </summary>
public sealed class Scenario
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    /// <summary>The scenario this one extends ("default" unless it says "extends: none").</summary>
    public string? Extends { get; init; }
    public string SourceFile { get; init; } = "<memory>";
    public IReadOnlyList<ParameterOverride> Parameters { get; init; } = [];
    /// <summary>Events in file order. In an extending scenario an event may be partial: see <see cref="EventPatch"/>.</summary>
    public IReadOnlyList<EventPatch> Events { get; init; } = [];
}

/// <summary>
/// An event as written: every field optional so that an extending scenario can change one field of an inherited
/// event (e.g. only its date, or "enabled: false"). A new event must give policy (or an id that is a policy key) and
/// date.
/// </summary>
public sealed record EventPatch(
    string Id,
    string? Policy,
    Month? Date,
    IReadOnlyDictionary<string, double> Settings,
    IReadOnlyDictionary<string, SourceLocation> SettingLocations,
    bool? Enabled,
    string? Description,
    SourceLocation Location,
    SourceLocation? DateLocation = null,
    SourceLocation? PolicyLocation = null);

/// <summary>A scenario with its chain of parents merged: final parameter values and the full event list.</summary>
public sealed record ResolvedScenario(
    string Name,
    string Description,
    IReadOnlyList<string> Chain,
    IReadOnlyList<ParameterOverride> Parameters,
    IReadOnlyList<PolicyEvent> Events);
