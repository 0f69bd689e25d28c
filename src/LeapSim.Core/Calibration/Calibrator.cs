using LeapSim.Core.Engine;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace LeapSim.Core.Calibration;

/// <summary>
/// Fits the parameters whose source is "calibrated" to the training targets with the Nelder-Mead simplex
/// (MathNet.Numerics). Each parameter is searched inside its declared range through a logistic transform, so the
/// optimiser is unconstrained and never leaves the range. The loss is the sum over targets of the squared miss in
/// half-widths of the band, each term capped so that one runaway target cannot hide the others.
/// </summary>
public sealed class Calibrator
{
    public sealed record Result(IReadOnlyDictionary<string, double> Parameters, double Loss, int Evaluations, IReadOnlyList<ScoreRow> Score);

    private readonly ResolvedScenario _historical, _counterfactual;
    private readonly Validation.Options _options;
    private readonly IReadOnlyList<ParameterInfo> _free;
    private readonly IReadOnlyList<Target> _targets;
    private readonly Action<string>? _log;
    /// <summary>Called with the best result so far each time it improves (e.g. to save it).</summary>
    public Action<Result>? OnImprovement { get; init; }
    private double _bestLoss = double.PositiveInfinity;
    private double[] _best = [];
    private IReadOnlyList<ScoreRow> _bestScore = [];
    private int _evaluations, _maxEvaluations;

    public Calibrator(ResolvedScenario historical, ResolvedScenario counterfactual, Validation.Options options, Action<string>? log = null)
    {
        _historical = historical;
        _counterfactual = counterfactual;
        _options = options;
        _free = ModuleCatalog.AllParameters().Where(p => p.IsCalibrated).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        _targets = Targets.Load();
        _log = log;
    }

    public IReadOnlyList<ParameterInfo> Free => _free;

    /// <summary>Loss of a score: Σ min(cap, miss²).</summary>
    public static double Loss(IEnumerable<ScoreRow> score, double cap = 25) => score.Sum(r => Math.Min(cap, r.Miss * r.Miss));

    public Result Run(int maxEvaluations, CancellationToken cancel = default)
    {
        _maxEvaluations = maxEvaluations;
        var current = _historical.Parameters.ToDictionary(p => p.Name, p => p.Value);
        var start = _free.Select(p => ToFree(p, current.TryGetValue(p.Name, out var v) ? v : p.Default)).ToArray();
        var objective = ObjectiveFunction.Value(x => Evaluate(x.ToArray(), cancel));
        try
        {
            NelderMeadSimplex.Minimum(objective, Vector<double>.Build.DenseOfArray(start),
                Vector<double>.Build.Dense(start.Length, 0.6), 1e-4, int.MaxValue);
        }
        catch (BudgetSpent)
        {
            // The evaluation budget is spent: the best point seen is the answer.
        }
        var parameters = _free.Select((p, i) => (p.Name, Value: FromFree(p, _best[i]))).ToDictionary(x => x.Name, x => x.Value);
        return new Result(parameters, _bestLoss, _evaluations, _bestScore);
    }

    private sealed class BudgetSpent : Exception;

    private double Evaluate(double[] x, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        if (_evaluations >= _maxEvaluations) throw new BudgetSpent();
        _evaluations++;
        var overrides = _historical.Parameters.Where(p => !_free.Any(f => f.Name == p.Name)).ToList();
        for (var i = 0; i < _free.Count; i++)
            overrides.Add(new ParameterOverride(_free[i].Name, FromFree(_free[i], x[i]), new SourceLocation("<calibration>", 0, _free[i].Name)));
        var hist = _historical with { Parameters = overrides };
        var cf = _counterfactual with { Parameters = overrides.Concat(_counterfactual.Parameters.Where(p => overrides.All(o => o.Name != p.Name))).ToList() };
        var score = Validation.Score(hist, cf, _options, _targets, cancel);
        var loss = Loss(score);
        if (loss < _bestLoss)
        {
            _bestLoss = loss;
            _best = (double[])x.Clone();
            _bestScore = score;
            OnImprovement?.Invoke(new Result(_free.Select((p, i) => (p.Name, Value: FromFree(p, _best[i]))).ToDictionary(v => v.Name, v => v.Value), _bestLoss, _evaluations, _bestScore));
        }
        _log?.Invoke($"evaluation {_evaluations}: loss {loss:F2} (best {_bestLoss:F2}), {score.Count(r => r.Pass)}/{score.Count} targets in band");
        return loss;
    }

    private static double ToFree(ParameterInfo p, double value)
    {
        var u = Math.Clamp((value - p.Min) / (p.Max - p.Min), 1e-4, 1 - 1e-4);
        return Math.Log(u / (1 - u));
    }

    private static double FromFree(ParameterInfo p, double z) => p.Min + (p.Max - p.Min) / (1 + Math.Exp(-z));

    /// <summary>The fitted values as a scenario file (parameters only) that the default scenario extends.</summary>
    public static string ToScenarioYaml(Result r, string version, string resolution, int runs)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var scenario = new Scenario
        {
            Name = "calibrated",
            Description = $"Calibrated parameter values, version {version}",
            Extends = "none",
            Parameters = r.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new ParameterOverride(p.Key, p.Value, default)).ToList(),
        };
        return ScenarioWriter.Write(scenario,
        [
            $"Calibrated parameters, version {version}. Written by `leapsim calibrate` — do not edit by hand; rerun it.",
            $"Fitted at {resolution} resolution, mean of {runs} run(s) per evaluation, {r.Evaluations} evaluations,",
            $"loss {r.Loss.ToString("F3", inv)}, {r.Score.Count(s => s.Pass)} of {r.Score.Count} targets in band.",
        ]);
    }
}
