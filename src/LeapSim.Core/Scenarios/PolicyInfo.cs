namespace LeapSim.Core.Scenarios;

/// <summary>
/// A setting of a policy: one named, ranged number that a dated event may set. At run time it is a "lever",
/// named "policy.setting", holding <see cref="Default"/> until an event changes it.
/// </summary>
public sealed record PolicySetting(string Name, string Unit, double Default, double Min, double Max, string Description);

/// <summary>
/// A policy a module answers to (e.g. "backyard_steel"): what it is, where it comes from, and the settings an event
/// of this policy may carry. Declared by the module that implements it; the scenario says when it happens.
/// </summary>
public sealed record PolicyInfo(string Key, string Description, string Source, IReadOnlyList<PolicySetting> Settings)
{
    public PolicySetting? Setting(string name) => Settings.FirstOrDefault(s => s.Name == name);
}
