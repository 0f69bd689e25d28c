using LeapSim.Core.Random;

namespace LeapSim.Core.Experiments;

/// <summary>
/// Morris's elementary-effects screening (Morris 1991; μ* after Campolongo, Cariboni and Saltelli 2007): r
/// trajectories through a grid of p levels on the unit cube [0, 1]^k, each moving one parameter at a time by
/// Δ = p / (2(p − 1)), every parameter once, in a random order. The elementary effect of parameter i on a trajectory
/// is (y after − y before) / (± Δ): the change of the outcome per whole range of the parameter. μ* (the mean of
/// |EE|) ranks the parameters by influence, σ (their standard deviation) flags non-linearity and interactions.
/// k + 1 runs per trajectory.
/// </summary>
public static class Morris
{
    /// <summary>The design: points on the unit cube, trajectory by trajectory (k + 1 points each), and which parameter each step moves.</summary>
    public sealed record Design(int Parameters, int Trajectories, int Levels, double Delta, double[][] Points, int[][] Order);

    public static Design Create(int parameters, int trajectories, int levels = 4, ulong seed = 1)
    {
        if (parameters < 1) throw new ArgumentOutOfRangeException(nameof(parameters));
        if (trajectories < 2) throw new ArgumentOutOfRangeException(nameof(trajectories), "at least two trajectories (σ needs two effects)");
        if (levels < 2 || levels % 2 != 0) throw new ArgumentOutOfRangeException(nameof(levels), "an even number of levels ≥ 2");
        var k = parameters;
        var delta = levels / (2.0 * (levels - 1));
        var points = new List<double[]>();
        var orders = new int[trajectories][];
        var stream = CounterRng.StreamId("morris");
        for (var t = 0; t < trajectories; t++)
        {
            var rng = new CounterRng(seed, stream, (ulong)t, 0);
            // base point: a random level per parameter
            var x = new double[k];
            for (var i = 0; i < k; i++) x[i] = (double)(rng.NextUInt64() % (ulong)levels) / (levels - 1);
            var order = Enumerable.Range(0, k).ToArray();
            for (var i = k - 1; i > 0; i--)
            {
                var j = (int)(rng.NextUInt64() % (ulong)(i + 1));
                (order[i], order[j]) = (order[j], order[i]);
            }
            orders[t] = order;
            points.Add((double[])x.Clone());
            foreach (var i in order)
            {
                // up by Δ where that stays in the cube, else down
                x[i] = x[i] + delta <= 1 + 1e-12 ? x[i] + delta : x[i] - delta;
                x[i] = Math.Clamp(Math.Round(x[i] * (levels - 1)) / (levels - 1), 0, 1);
                points.Add((double[])x.Clone());
            }
        }
        return new Design(k, trajectories, levels, delta, points.ToArray(), orders);
    }

    /// <summary>The elementary effects: [parameter][trajectory], from the outcome at every point of the design.</summary>
    public static double[][] ElementaryEffects(Design d, IReadOnlyList<double> y)
    {
        if (y.Count != d.Points.Length) throw new ArgumentException($"{d.Points.Length} outcomes needed, got {y.Count}");
        var ee = Enumerable.Range(0, d.Parameters).Select(_ => new double[d.Trajectories]).ToArray();
        for (var t = 0; t < d.Trajectories; t++)
        {
            var start = t * (d.Parameters + 1);
            for (var s = 0; s < d.Parameters; s++)
            {
                var i = d.Order[t][s];
                var before = d.Points[start + s];
                var after = d.Points[start + s + 1];
                ee[i][t] = (y[start + s + 1] - y[start + s]) / (after[i] - before[i]);
            }
        }
        return ee;
    }

    /// <summary>μ*, μ and σ of one parameter's effects, and a 90 % bootstrap interval of μ* (resampling trajectories).</summary>
    public sealed record Effect(double MuStar, double Mu, double Sigma, double MuStarLow, double MuStarHigh);

    public static Effect Summarise(IReadOnlyList<double> effects, int resamples = 1000, ulong seed = 1)
    {
        var abs = effects.Select(Math.Abs).ToArray();
        var muStar = abs.Average();
        var boot = new double[resamples];
        var rng = new CounterRng(seed, CounterRng.StreamId("morris-bootstrap"), 0, 0);
        for (var b = 0; b < resamples; b++)
        {
            double sum = 0;
            for (var i = 0; i < abs.Length; i++) sum += abs[rng.NextUInt64() % (ulong)abs.Length];
            boot[b] = sum / abs.Length;
        }
        Array.Sort(boot);
        var values = effects.ToArray();
        return new Effect(muStar, values.Average(), Statistics.StdDev(values), Statistics.QuantileOfSorted(boot, 0.05), Statistics.QuantileOfSorted(boot, 0.95));
    }
}
