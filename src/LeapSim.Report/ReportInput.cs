using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;

namespace LeapSim.Report;

/// <summary>A parameter whose value differs from its default (ParameterSet.Changed()).</summary>
public sealed record ParameterChange(ParameterInfo Info, double Value);

/// <summary>Everything a report shows. Only <see cref="Tables"/> and <see cref="Scenario"/> are required.</summary>
public sealed record ReportInput
{
    /// <summary>The run's national, monthly and province tables.</summary>
    public required RunTables Tables { get; init; }

    /// <summary>The resolved scenario that was run: its name, description, chain and policy events.</summary>
    public required ResolvedScenario Scenario { get; init; }

    public IReadOnlyList<ParameterChange> ChangedParameters { get; init; } = [];

    /// <summary>The text of the run's run.json, shown as it is and read for seed, resolution and version.</summary>
    public string? RunJson { get; init; }

    /// <summary>
    /// The tables of a counterfactual run (normally the no-Leap scenario with the same seed). When given, the report
    /// shows deaths and births above or below it and draws it on the demographic and grain charts.
    /// </summary>
    public RunTables? Counterfactual { get; init; }

    /// <summary>What the counterfactual run is called in labels.</summary>
    public string CounterfactualLabel { get; init; } = "no-Leap run";

    /// <summary>Ensemble quantiles of yearly series (<see cref="QuantileTable"/>), drawn as 5-95 % bands.</summary>
    public QuantileTable? Quantiles { get; init; }

    /// <summary>The targets to draw; null means the targets.csv embedded in LeapSim.Core.</summary>
    public IReadOnlyList<Target>? Targets { get; init; }
}
