using LeapSim.Core.Experiments;
using LeapSim.Core.Random;
using MathNet.Numerics.Distributions;
using Xunit;

namespace LeapSim.Tests.Experiments;

public class StatisticsTests
{
    [Fact]
    public void Quantiles_interpolate_between_order_statistics_as_R_does()
    {
        // R: quantile(c(3, 1, 4, 2), c(0, .25, .5, .9, 1)) = 1, 1.75, 2.5, 3.7, 4
        double[] x = [3, 1, 4, 2];
        Assert.Equal(1, Statistics.Quantile(x, 0));
        Assert.Equal(1.75, Statistics.Quantile(x, 0.25), 12);
        Assert.Equal(2.5, Statistics.Quantile(x, 0.5), 12);
        Assert.Equal(3.7, Statistics.Quantile(x, 0.9), 12);
        Assert.Equal(4, Statistics.Quantile(x, 1));
        // 1..101: the p-quantile is 1 + 100p exactly
        var ramp = Enumerable.Range(1, 101).Select(i => (double)i).Reverse().ToArray();
        var s = Statistics.Summarise(ramp);
        Assert.Equal((51.0, 6.0, 51.0, 96.0), (s.Mean, s.Q05, s.Q50, s.Q95));
    }

    [Fact]
    public void Quantiles_of_a_normal_sample_approach_the_normal_quantiles()
    {
        // 20,000 draws of N(10, 2²) from the model's own generator; the 5 % and 95 % points are 10 ∓ 1.6449 × 2.
        var rng = new CounterRng(7, 1, 0, 0);
        var xs = Enumerable.Range(0, 20_000).Select(_ => 10 + 2 * rng.NextNormal()).ToArray();
        var s = Statistics.Summarise(xs);
        Assert.Equal(10 - 2 * 1.6448536, s.Q05, 0.06);
        Assert.Equal(10, s.Q50, 0.04);
        Assert.Equal(10 + 2 * 1.6448536, s.Q95, 0.06);
        Assert.Equal(10, s.Mean, 0.03);
        Assert.Equal(4 * 1.6448536, s.Width90, 0.1);
    }

    [Fact]
    public void The_unpaired_interval_is_welchs()
    {
        // a = 1..4 (mean 2.5, s² = 5/3), b = 2, 4, 6 (mean 4, s² = 4): se² = 5/12 + 4/3 = 1.75,
        // df = 1.75² / ((5/12)²/3 + (4/3)²/2) = 3.0625 / 0.9467593 = 3.234719
        double[] a = [1, 2, 3, 4], b = [2, 4, 6];
        var (lo, hi) = Statistics.UnpairedMeanDifferenceInterval(a, b, 0.9);
        var half = StudentT.InvCDF(0, 1, 3.0625 / (25.0 / 144 / 3 + 16.0 / 9 / 2), 0.95) * Math.Sqrt(1.75);
        Assert.Equal(-1.5 - half, lo, 12);
        Assert.Equal(-1.5 + half, hi, 12);
        Assert.Equal((-1.5, -1.5), Statistics.UnpairedMeanDifferenceInterval(a, [4.0]));
    }

    [Fact]
    public void Nan_values_are_left_out_and_an_empty_sample_is_nan()
    {
        Assert.Equal(2, Statistics.Quantile([double.NaN, 1, 3, double.NaN], 0.5));
        var empty = Statistics.Summarise([double.NaN]);
        Assert.True(double.IsNaN(empty.Mean) && double.IsNaN(empty.Q05) && double.IsNaN(empty.Q95));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Quantile([1.0], 1.5));
    }

    [Fact]
    public void The_interval_of_a_mean_uses_students_t()
    {
        // n = 4, mean 2.5, sd = sqrt(5/3); t(0.95, 3) = 2.353363
        double[] x = [1, 2, 3, 4];
        var (lo, hi) = Statistics.MeanInterval(x, 0.9);
        var half = StudentT.InvCDF(0, 1, 3, 0.95) * Math.Sqrt(5.0 / 3) / 2;
        Assert.Equal(2.353363, StudentT.InvCDF(0, 1, 3, 0.95), 5);
        Assert.Equal(2.5 - half, lo, 12);
        Assert.Equal(2.5 + half, hi, 12);
        Assert.Equal((7.0, 7.0), Statistics.MeanInterval([7.0]));
    }
}
