using LeapSim.Core.Experiments;
using Xunit;

namespace LeapSim.Tests.Experiments;

public class ShapleyTests
{
    private static double[] Table(int n, Func<int, double> v) => Enumerable.Range(0, 1 << n).Select(v).ToArray();

    private static bool Has(int mask, int i) => (mask & (1 << i)) != 0;

    [Fact]
    public void An_additive_game_gives_each_player_its_own_effect()
    {
        double[] w = [3, -1, 0.5, 10];
        var phi = Shapley.Exact(4, Table(4, m => Enumerable.Range(0, 4).Where(i => Has(m, i)).Sum(i => w[i])));
        Assert.Equal(w, phi.Select(x => Math.Round(x, 12)));
        Assert.All(Shapley.Interactions(4, Table(4, m => Enumerable.Range(0, 4).Where(i => Has(m, i)).Sum(i => w[i]))).Cast<double>(), x => Assert.Equal(0, x, 12));
    }

    [Fact]
    public void The_glove_game_has_its_textbook_values()
    {
        // Players 0 and 1 hold a left glove, player 2 a right glove; a pair is worth 1.
        // Known Shapley values: (1/6, 1/6, 2/3).
        var v = Table(3, m => Math.Min((Has(m, 0) ? 1 : 0) + (Has(m, 1) ? 1 : 0), Has(m, 2) ? 1 : 0));
        var phi = Shapley.Exact(3, v);
        Assert.Equal(1.0 / 6, phi[0], 12);
        Assert.Equal(1.0 / 6, phi[1], 12);
        Assert.Equal(2.0 / 3, phi[2], 12);
        // Interaction index by hand: I_01 = ½[v(01) − v(0) − v(1) + v(∅)] + ½[v(012) − v(02) − v(12) + v(2)] = ½·0 + ½(1 − 1 − 1 + 0) = −½
        // (the two left gloves are substitutes); I_02 = ½[1 − 0 − 0 + 0] + ½[1 − 1 − 1 + 1] = ½ (complements).
        var inter = Shapley.Interactions(3, v);
        Assert.Equal(-0.5, inter[0, 1], 12);
        Assert.Equal(0.5, inter[0, 2], 12);
        Assert.Equal(0.5, inter[2, 1], 12);
        Assert.Equal(0, inter[1, 1]);
    }

    [Fact]
    public void A_pure_interaction_is_split_evenly_and_the_values_sum_to_the_total()
    {
        // v = 6 only when players 0 and 1 are both in (inflated reports matter only through inflexible procurement),
        // plus 2 for player 2 alone: φ = (3, 3, 2, 0).
        var v = Table(4, m => (Has(m, 0) && Has(m, 1) ? 6 : 0) + (Has(m, 2) ? 2 : 0));
        var phi = Shapley.Exact(4, v);
        Assert.Equal([3.0, 3.0, 2.0, 0.0], phi.Select(x => Math.Round(x, 12)));
        Assert.Equal(v[15] - v[0], phi.Sum(), 12);
        Assert.Equal(6, Shapley.Interactions(4, v)[0, 1], 12);
    }

    [Fact]
    public void The_three_player_majority_game_is_symmetric()
    {
        var phi = Shapley.Exact(3, Table(3, m => System.Numerics.BitOperations.PopCount((uint)m) >= 2 ? 1 : 0));
        Assert.All(phi, x => Assert.Equal(1.0 / 3, x, 12));
    }

    [Fact]
    public void Sampled_orders_sum_to_the_total_and_approach_the_exact_values()
    {
        const int n = 6;
        // a game with interactions: v(S) = (Σ w_i)² / 10 over the members
        double[] w = [1, 2, 3, 4, 5, 6];
        double V(int m) => Math.Pow(Enumerable.Range(0, n).Where(i => Has(m, i)).Sum(i => w[i]), 2) / 10;
        var exact = Shapley.Exact(n, Table(n, V));
        // for this game φ_i = w_i · Σw / 10 exactly
        for (var i = 0; i < n; i++) Assert.Equal(w[i] * 21 / 10, exact[i], 12);

        var orders = Shapley.SampleOrders(n, 400, seed: 5);
        Assert.Equal(800, orders.Length);
        Assert.All(orders, o => Assert.Equal(Enumerable.Range(0, n), o.Order()));
        Assert.Equal(orders[0].Reverse(), orders[1]);
        var rows = Shapley.MarginalContributions(n, orders, V);
        Assert.All(rows, r => Assert.Equal(V(63) - V(0), r.Sum(), 9));
        var sampled = Shapley.FromOrders(n, orders, V);
        for (var i = 0; i < n; i++) Assert.Equal(exact[i], sampled[i], 0.15);
        Assert.Equal(Shapley.SampleOrders(n, 3, 5)[4], Shapley.SampleOrders(n, 3, 5)[4]);
        Assert.NotEqual(Shapley.SampleOrders(n, 3, 5)[0], Shapley.SampleOrders(n, 3, 6)[0]);
    }

    [Fact]
    public void The_coalitions_needed_are_the_prefixes_of_the_orders()
    {
        var needed = Shapley.CoalitionsFor(3, [[2, 0, 1]]);
        Assert.Equal([0, 4, 5, 7], needed);
        Assert.Throws<ArgumentException>(() => Shapley.Exact(3, new double[7]));
    }
}
