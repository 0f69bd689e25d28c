using LeapSim.Core.Engine;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;

namespace LeapSim.Core.Experiments;

/// <summary>A parameter studied by the sensitivity analysis: its value in the scenario and the range it is moved over.</summary>
public sealed record Factor(string Name, string Unit, double Value, double Low, double High, string Source);

/// <summary>
/// Global sensitivity of the headline outcomes (<see cref="Headlines"/>) to the calibrated and uncertain parameters,
/// by Morris screening (<see cref="Morris"/>). By default the factors are the parameters whose source is
/// "calibrated" or "assumption", each moved over its value ± a share (the span) of itself, within its declared range
/// (a parameter whose value is 0 moves over the span's share of its declared range).
/// </summary>
public static class Sensitivity
{
    public static bool IsUncertain(Parameters.ParameterInfo p) =>
        p.IsCalibrated || p.Source.StartsWith("assumption", StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyList<Factor> Factors(ResolvedScenario scenario, IReadOnlyList<string>? names, double span)
    {
        var all = ModuleCatalog.AllParameters().ToList();
        var chosen = names is null
            ? all.Where(IsUncertain).ToList()
            : names.Select(n => all.FirstOrDefault(p => p.Name == n)
                ?? throw new InputException(new SourceLocation("<command line>", 0, "--parameters"), $"unknown parameter '{n}' (see 'leapsim params')")).ToList();
        return chosen.Select(p =>
        {
            var v = PointEvaluation.ValueIn(scenario, p);
            var half = v != 0 ? span * Math.Abs(v) : span * (p.Max - p.Min);
            return new Factor(p.Name, p.Unit, v, Math.Max(p.Min, v - half), Math.Min(p.Max, v + half), p.Source);
        }).Where(f => f.High > f.Low).ToList();
    }

    /// <summary>The parameter values of a point of the unit cube.</summary>
    public static double[] Values(IReadOnlyList<Factor> factors, IReadOnlyList<double> unit) =>
        factors.Select((f, i) => f.Low + (f.High - f.Low) * unit[i]).ToArray();

    /// <summary>One row per outcome and factor, factors ranked by μ* within each outcome (1 = most influential).</summary>
    public static Table Table(IReadOnlyList<Factor> factors, IReadOnlyList<string> outcomes, Morris.Design design, IReadOnlyList<double[]> y)
    {
        var rows = new List<(string Outcome, Factor F, Morris.Effect E, int Rank)>();
        for (var o = 0; o < outcomes.Count; o++)
        {
            var ee = Morris.ElementaryEffects(design, y.Select(v => v[o]).ToArray());
            var effects = factors.Select((f, i) => (f, e: Morris.Summarise(ee[i]))).ToList();
            var ranked = effects.OrderByDescending(x => double.IsNaN(x.e.MuStar) ? -1 : x.e.MuStar).Select((x, r) => (x.f, x.e, r + 1));
            rows.AddRange(ranked.Select(x => (outcomes[o], x.f, x.e, x.Item3)));
        }
        return new Table("sensitivity",
        [
            Column.Of("outcome", rows.Select(r => r.Outcome).ToArray()),
            Column.Of("parameter", rows.Select(r => r.F.Name).ToArray()),
            Column.Of("rank", rows.Select(r => r.Rank).ToArray()),
            Column.Of("mu_star", rows.Select(r => r.E.MuStar).ToArray()),
            Column.Of("mu_star_ci90_low", rows.Select(r => r.E.MuStarLow).ToArray()),
            Column.Of("mu_star_ci90_high", rows.Select(r => r.E.MuStarHigh).ToArray()),
            Column.Of("mu", rows.Select(r => r.E.Mu).ToArray()),
            Column.Of("sigma", rows.Select(r => r.E.Sigma).ToArray()),
            Column.Of("value", rows.Select(r => r.F.Value).ToArray()),
            Column.Of("low", rows.Select(r => r.F.Low).ToArray()),
            Column.Of("high", rows.Select(r => r.F.High).ToArray()),
            Column.Of("unit", rows.Select(r => r.F.Unit).ToArray()),
        ]);
    }
}
