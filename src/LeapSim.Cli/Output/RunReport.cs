using System.Text;
using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Report;
using Table = LeapSim.Core.Results.Table;

namespace LeapSim.Cli.Output;

/// <summary>What report.html needs beyond the tables and run.json: the resolved scenario and the changed parameters.</summary>
public sealed record ReportSource(ResolvedScenario Scenario, IReadOnlyList<ParameterChange> ChangedParameters)
{
    /// <summary>Tables of a counterfactual run (e.g. no-leap, same seed), when one is at hand.</summary>
    public RunTables? Counterfactual { get; init; }
    public QuantileTable? Quantiles { get; init; }

    /// <summary>The scenario and changed parameters of a finished simulation.</summary>
    public static ReportSource Of(Simulation sim) =>
        new(sim.Scenario, sim.Parameters.Changed().Select(c => new ParameterChange(c.Info, c.Value)).ToList());
}

/// <summary>Writes a run's report.html (LeapSim.Report) next to its tables.</summary>
public static class RunReport
{
    public const string FileName = "report.html";

    public static void Write(string path, IReadOnlyList<Table> tables, RunInfo info, ReportSource source)
    {
        string runJson;
        using (var ms = new MemoryStream())
        {
            RunInfo.Write(info, ms);
            runJson = Encoding.UTF8.GetString(ms.ToArray());
        }
        var html = ReportBuilder.Build(new ReportInput
        {
            Tables = RunTables.From(tables),
            Scenario = source.Scenario,
            ChangedParameters = source.ChangedParameters,
            RunJson = runJson,
            Counterfactual = source.Counterfactual,
            Quantiles = source.Quantiles,
        });
        File.WriteAllText(path, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}
