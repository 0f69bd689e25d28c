using LeapSim.Core.Experiments;
using Xunit;

namespace LeapSim.Tests.Experiments;

public class MorrisTests
{
    [Fact]
    public void Each_trajectory_moves_every_parameter_once_by_delta_within_the_cube()
    {
        var d = Morris.Create(parameters: 5, trajectories: 6, levels: 4, seed: 3);
        Assert.Equal(2.0 / 3, d.Delta, 12);
        Assert.Equal(6 * 6, d.Points.Length);
        Assert.All(d.Points, p => Assert.All(p, x => Assert.InRange(x, 0, 1)));
        Assert.All(d.Points, p => Assert.All(p, x => Assert.Contains(Math.Round(x * 3, 9), new[] { 0.0, 1, 2, 3 })));
        for (var t = 0; t < 6; t++)
        {
            Assert.Equal(Enumerable.Range(0, 5), d.Order[t].Order());
            for (var s = 0; s < 5; s++)
            {
                var a = d.Points[t * 6 + s];
                var b = d.Points[t * 6 + s + 1];
                var moved = Enumerable.Range(0, 5).Where(i => a[i] != b[i]).ToArray();
                Assert.Equal(d.Order[t][s], Assert.Single(moved));
                Assert.Equal(2.0 / 3, Math.Abs(b[moved[0]] - a[moved[0]]), 9);
            }
        }
        // the same seed gives the same design
        Assert.Equal(d.Points[7], Morris.Create(5, 6, 4, 3).Points[7]);
    }

    [Fact]
    public void A_linear_function_has_constant_effects_equal_to_its_slopes()
    {
        double[] a = [2, -3, 0, 0.5];
        var d = Morris.Create(4, 5, 4, seed: 1);
        var y = d.Points.Select(p => 1 + Enumerable.Range(0, 4).Sum(i => a[i] * p[i])).ToArray();
        var ee = Morris.ElementaryEffects(d, y);
        for (var i = 0; i < 4; i++)
        {
            Assert.All(ee[i], e => Assert.Equal(a[i], e, 9));
            var s = Morris.Summarise(ee[i]);
            Assert.Equal(Math.Abs(a[i]), s.MuStar, 9);
            Assert.Equal(a[i], s.Mu, 9);
            Assert.Equal(0, s.Sigma, 9);
            Assert.Equal(Math.Abs(a[i]), s.MuStarLow, 9);
        }
    }

    [Fact]
    public void An_interaction_shows_as_spread_and_an_idle_parameter_as_zero()
    {
        // y = x0 · x1: the effect of x0 is x1 (varies), x2 does nothing
        var d = Morris.Create(3, 20, 4, seed: 9);
        var y = d.Points.Select(p => p[0] * p[1]).ToArray();
        var ee = Morris.ElementaryEffects(d, y);
        var s0 = Morris.Summarise(ee[0]);
        var s2 = Morris.Summarise(ee[2]);
        Assert.True(s0.Sigma > 0.1, $"σ = {s0.Sigma}");
        Assert.InRange(s0.MuStar, 0.05, 1);
        Assert.True(s0.MuStarLow <= s0.MuStar && s0.MuStar <= s0.MuStarHigh);
        Assert.Equal(0, s2.MuStar);
        Assert.Equal(0, s2.Sigma);
    }
}
