namespace LeapSim.Core.Parameters;

/// <summary>
/// A declared model parameter: every number the model uses has a name, a unit, a default, a valid range and a
/// source (a file in ../shared/research, a paper) or the word "calibrated".
/// </summary>
/// <param name="Name">Full name, "module.parameter" (e.g. "demography.infant_relative_risk").</param>
public sealed record ParameterInfo(
    string Name,
    string Unit,
    double Default,
    double Min,
    double Max,
    string Source,
    string Description)
{
    public bool IsCalibrated => Source.StartsWith("calibrated", StringComparison.OrdinalIgnoreCase);

    public bool InRange(double value) => !double.IsNaN(value) && value >= Min && value <= Max;
}
