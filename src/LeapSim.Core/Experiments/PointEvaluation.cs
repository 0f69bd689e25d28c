using LeapSim.Core.Calibration;
using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Parameters;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;

namespace LeapSim.Core.Experiments;

/// <summary>
/// The headline outcomes of one run (with its counterfactual on the same seed and parameters): every target of the
/// scorecard as <see cref="Targets.Measure"/> computes it, and a few sums over the famine years. Sweeps and the
/// sensitivity analysis report these.
/// </summary>
public static class Headlines
{
    /// <summary>Targets measured against the counterfactual: left out when there is none.</summary>
    public static readonly IReadOnlySet<string> NeedCounterfactual = new HashSet<string>(StringComparer.Ordinal)
        { "excess_deaths_registered", "excess_deaths_true", "lost_births" };

    private static readonly (string Name, string Series, int From, int To, double Scale)[] Sums =
    [
        ("deaths_1958_1961_m", "deaths", 1958, 1961, 1e-6),
        ("births_1958_1961_m", "births", 1958, 1961, 1e-6),
        ("grain_1959_1961_mt", "grain_output", 1959, 1961, 1e-9),
        ("procurement_1959_1961_mt", "procurement", 1959, 1961, 1e-9),
    ];

    /// <summary>The outcome names, in the order <see cref="Measure"/> gives them.</summary>
    public static IReadOnlyList<string> Names(bool withCounterfactual, IReadOnlyList<Target>? targets = null) =>
        (targets ?? Targets.Load()).Select(t => t.Id).Where(id => withCounterfactual || !NeedCounterfactual.Contains(id))
            .Concat(Sums.Select(s => s.Name)).ToList();

    public static IReadOnlyList<double> Measure(MonthlySeries run, MonthlySeries? counterfactual, IReadOnlyList<Target>? targets = null)
    {
        targets ??= Targets.Load();
        var measured = Targets.Measure(run, counterfactual ?? run, targets);
        var values = targets.Where(t => counterfactual is not null || !NeedCounterfactual.Contains(t.Id)).Select(t => measured[t.Id]).ToList();
        foreach (var (_, series, from, to, scale) in Sums)
        {
            var yearly = run.Yearly(series, run.National);
            double sum = 0;
            for (var y = from; y <= to; y++) sum += yearly[y - run.First.Year];
            values.Add(sum * scale);
        }
        return values;
    }
}

/// <summary>A scenario with parameters set to given values, and the evaluation of one such point on one seed.</summary>
public static class PointEvaluation
{
    /// <summary>
    /// <paramref name="scenario"/> with the parameters set to <paramref name="values"/>. An unknown name or a value
    /// outside its declared range is an <see cref="InputException"/> at <paramref name="where"/>.
    /// </summary>
    public static ResolvedScenario WithParameters(ResolvedScenario scenario, IReadOnlyList<string> names, IReadOnlyList<double> values, SourceLocation where)
    {
        var declared = ModuleCatalog.NewParameterSet();
        var list = scenario.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (!declared.IsDeclared(names[i])) throw new InputException(where with { Key = names[i] }, $"unknown parameter '{names[i]}' (see 'leapsim params')");
            var info = declared.Info(names[i]);
            if (!info.InRange(values[i]))
                throw new InputException(where with { Key = names[i] }, $"{values[i]} is outside the range [{info.Min}, {info.Max}] {info.Unit}");
            list[names[i]] = new ParameterOverride(names[i], values[i], where with { Key = names[i] });
        }
        return scenario with { Parameters = list.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList() };
    }

    /// <summary>Runs the scenario and (when given) its counterfactual on one seed, one after the other, and measures the headlines.</summary>
    public static IReadOnlyList<double> Evaluate(ResolvedScenario scenario, ResolvedScenario? counterfactual, RunOptions options,
        BaselineInputs? inputs = null, CancellationToken cancel = default)
    {
        var run = new Engine.Simulation(scenario, options, inputs);
        run.Run(null, cancel);
        MonthlySeries? cf = null;
        if (counterfactual is not null)
        {
            var c = new Engine.Simulation(counterfactual, options, inputs);
            c.Run(null, cancel);
            cf = c.Results;
        }
        return Headlines.Measure(run.Results, cf);
    }

    /// <summary>The value of a parameter in a scenario (its override, else its default).</summary>
    public static double ValueIn(ResolvedScenario scenario, ParameterInfo info) =>
        scenario.Parameters.FirstOrDefault(p => p.Name == info.Name)?.Value ?? info.Default;
}
