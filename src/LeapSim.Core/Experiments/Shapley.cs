using LeapSim.Core.Random;

namespace LeapSim.Core.Experiments;

/// <summary>
/// Shapley values of a cooperative game v over n players (here: the mechanisms of the famine that can be switched
/// off). A coalition is a bit mask: bit i set = player i is in (its mechanism is on). φ_i is player i's marginal
/// contribution v(S ∪ {i}) − v(S) averaged over all orders in which the players can join; the φ_i sum to
/// v(all) − v(none) (efficiency), whatever the interactions.
/// </summary>
public static class Shapley
{
    /// <summary>Most players for the exact computation (2^n coalitions).</summary>
    public const int MaxExactPlayers = 20;

    public static int Full(int n) => (1 << n) - 1;

    /// <summary>
    /// The exact Shapley values from the values of all 2^n coalitions (<paramref name="values"/>[mask]):
    /// φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S)).
    /// </summary>
    public static double[] Exact(int n, ReadOnlySpan<double> values)
    {
        CheckExact(n, values.Length);
        var weight = new double[n];
        for (var s = 0; s < n; s++) weight[s] = Factorial(s) * Factorial(n - s - 1) / Factorial(n);
        var phi = new double[n];
        for (var mask = 0; mask < values.Length; mask++)
        {
            var size = System.Numerics.BitOperations.PopCount((uint)mask);
            for (var i = 0; i < n; i++)
                if ((mask & (1 << i)) == 0) phi[i] += weight[size] * (values[mask | (1 << i)] - values[mask]);
        }
        return phi;
    }

    /// <summary>
    /// The Shapley interaction index of every pair (Grabisch 1997), I_ij = Σ_{S ⊆ N∖{i,j}} |S|! (n − |S| − 2)! / (n − 1)!
    /// · (v(S ∪ {i,j}) − v(S ∪ {i}) − v(S ∪ {j}) + v(S)): positive when i and j do more together than apart
    /// (complements), negative when either does much of the other's work (substitutes). Symmetric; diagonal 0.
    /// </summary>
    public static double[,] Interactions(int n, ReadOnlySpan<double> values)
    {
        CheckExact(n, values.Length);
        var result = new double[n, n];
        if (n < 2) return result;
        var weight = new double[n - 1];
        for (var s = 0; s <= n - 2; s++) weight[s] = Factorial(s) * Factorial(n - s - 2) / Factorial(n - 1);
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                int bi = 1 << i, bj = 1 << j;
                double sum = 0;
                for (var mask = 0; mask < values.Length; mask++)
                {
                    if ((mask & (bi | bj)) != 0) continue;
                    var size = System.Numerics.BitOperations.PopCount((uint)mask);
                    sum += weight[size] * (values[mask | bi | bj] - values[mask | bi] - values[mask | bj] + values[mask]);
                }
                result[i, j] = result[j, i] = sum;
            }
        return result;
    }

    /// <summary>
    /// Orders of the players for the sampled estimate: <paramref name="pairs"/> random orders (Fisher-Yates from the
    /// counter-based generator, so the same seed gives the same orders everywhere), each followed by its reverse
    /// (antithetic sampling: a player that joins early in one joins late in the other).
    /// </summary>
    public static int[][] SampleOrders(int n, int pairs, ulong seed)
    {
        var orders = new int[2 * pairs][];
        for (var k = 0; k < pairs; k++)
        {
            var rng = new CounterRng(seed, CounterRng.StreamId("shapley-orders"), (ulong)k, 0);
            var order = Enumerable.Range(0, n).ToArray();
            for (var i = n - 1; i > 0; i--)
            {
                var j = (int)(rng.NextUInt64() % (ulong)(i + 1));
                (order[i], order[j]) = (order[j], order[i]);
            }
            orders[2 * k] = order;
            orders[2 * k + 1] = order.Reverse().ToArray();
        }
        return orders;
    }

    /// <summary>The coalitions an estimate from these orders needs: every prefix of every order (the empty and the full coalition included).</summary>
    public static IReadOnlyCollection<int> CoalitionsFor(int n, IEnumerable<int[]> orders)
    {
        var set = new SortedSet<int> { 0, Full(n) };
        foreach (var order in orders)
        {
            var mask = 0;
            foreach (var p in order) set.Add(mask |= 1 << p);
        }
        return set;
    }

    /// <summary>
    /// Each order's marginal contributions: row k, column i = v(players before i in order k, and i) − v(players before
    /// i). Each row sums to v(all) − v(none); their mean over the orders is the sampled Shapley value (Castro, Gómez
    /// and Tejada 2009).
    /// </summary>
    public static double[][] MarginalContributions(int n, IReadOnlyList<int[]> orders, Func<int, double> value)
    {
        var rows = new double[orders.Count][];
        for (var k = 0; k < orders.Count; k++)
        {
            var row = new double[n];
            var mask = 0;
            var before = value(0);
            foreach (var p in orders[k])
            {
                mask |= 1 << p;
                var after = value(mask);
                row[p] = after - before;
                before = after;
            }
            rows[k] = row;
        }
        return rows;
    }

    /// <summary>The mean of the marginal contributions over the orders.</summary>
    public static double[] FromOrders(int n, IReadOnlyList<int[]> orders, Func<int, double> value)
    {
        var rows = MarginalContributions(n, orders, value);
        return Enumerable.Range(0, n).Select(i => rows.Average(r => r[i])).ToArray();
    }

    private static void CheckExact(int n, int count)
    {
        if (n < 1 || n > MaxExactPlayers) throw new ArgumentOutOfRangeException(nameof(n), n, $"exact Shapley values need 1 to {MaxExactPlayers} players");
        if (count != 1 << n) throw new ArgumentException($"{n} players need {1 << n} coalition values, got {count}");
    }

    private static double Factorial(int k)
    {
        double f = 1;
        for (var i = 2; i <= k; i++) f *= i;
        return f;
    }
}
