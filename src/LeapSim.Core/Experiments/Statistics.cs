using MathNet.Numerics.Distributions;

namespace LeapSim.Core.Experiments;

/// <summary>The summary of a sample across runs: its mean and its 5th, 50th and 95th percentiles.</summary>
public readonly record struct Summary(double Mean, double Q05, double Q50, double Q95)
{
    /// <summary>Width of the central 90 % interval of the sample, Q95 − Q05.</summary>
    public double Width90 => Q95 - Q05;
}

/// <summary>
/// The statistics of the experiments: sample quantiles, summaries and the interval of a mean. NaN values (a rate
/// with no population) are left out; a sample with no finite value gives NaN.
/// </summary>
public static class Statistics
{
    /// <summary>
    /// The p-quantile of a sample (0 ≤ p ≤ 1) by linear interpolation between order statistics: Hyndman and Fan's
    /// type 7, the default of R's <c>quantile</c> and of numpy: h = (n − 1)p, Q = x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋+1 − x⌊h⌋).
    /// </summary>
    public static double Quantile(IEnumerable<double> values, double p)
    {
        var sorted = Finite(values);
        Array.Sort(sorted);
        return QuantileOfSorted(sorted, p);
    }

    /// <summary>As <see cref="Quantile"/>, for values already sorted ascending (no NaN).</summary>
    public static double QuantileOfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (p is < 0 or > 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), p, "a quantile is between 0 and 1");
        if (sorted.Length == 0) return double.NaN;
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    public static Summary Summarise(IEnumerable<double> values)
    {
        var sorted = Finite(values);
        if (sorted.Length == 0) return new Summary(double.NaN, double.NaN, double.NaN, double.NaN);
        Array.Sort(sorted);
        return new Summary(Mean(sorted), QuantileOfSorted(sorted, 0.05), QuantileOfSorted(sorted, 0.5), QuantileOfSorted(sorted, 0.95));
    }

    public static double Mean(ReadOnlySpan<double> values)
    {
        if (values.Length == 0) return double.NaN;
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum / values.Length;
    }

    /// <summary>Sample standard deviation (divisor n − 1); 0 for fewer than two values.</summary>
    public static double StdDev(ReadOnlySpan<double> values)
    {
        if (values.Length < 2) return 0;
        var m = Mean(values);
        double ss = 0;
        foreach (var v in values) ss += (v - m) * (v - m);
        return Math.Sqrt(ss / (values.Length - 1));
    }

    /// <summary>
    /// The two-sided <paramref name="level"/> confidence interval of the mean of independent replicates, from
    /// Student's t with n − 1 degrees of freedom: mean ± t·sd/√n. One replicate gives (mean, mean): no interval can be
    /// said, and the caller should say so.
    /// </summary>
    public static (double Low, double High) MeanInterval(ReadOnlySpan<double> values, double level = 0.9)
    {
        var m = Mean(values);
        if (values.Length < 2) return (m, m);
        var t = StudentT.InvCDF(0, 1, values.Length - 1, 0.5 + level / 2);
        var half = t * StdDev(values) / Math.Sqrt(values.Length);
        return (m - half, m + half);
    }

    /// <summary>
    /// The two-sided <paramref name="level"/> interval of mean(a) − mean(b) for two independent samples (Welch):
    /// difference ± t·√(s_a²/n_a + s_b²/n_b), with the Welch–Satterthwaite degrees of freedom. What a comparison's
    /// interval would be had the two scenarios been run on different seeds. Fewer than two values on a side: (d, d).
    /// </summary>
    public static (double Low, double High) UnpairedMeanDifferenceInterval(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double level = 0.9)
    {
        var d = Mean(a) - Mean(b);
        if (a.Length < 2 || b.Length < 2) return (d, d);
        double va = StdDev(a) * StdDev(a) / a.Length, vb = StdDev(b) * StdDev(b) / b.Length;
        var se = Math.Sqrt(va + vb);
        if (se == 0) return (d, d);
        var df = (va + vb) * (va + vb) / (va * va / (a.Length - 1) + vb * vb / (b.Length - 1));
        var half = StudentT.InvCDF(0, 1, df, 0.5 + level / 2) * se;
        return (d - half, d + half);
    }

    private static double[] Finite(IEnumerable<double> values) => values.Where(v => !double.IsNaN(v)).ToArray();
}
