using LeapSim.Core.Experiments;
using LeapSim.Core.Scenarios;
using Xunit;

namespace LeapSim.Tests.Experiments;

/// <summary>The attribution's statistics on a synthetic game (no simulation): the measures of each coalition are given.</summary>
public class AttributionTests
{
    private static readonly ResolvedScenario Baseline = ScenarioLibrary.Resolve("default");

    private static SwitchSet Three() => new(Baseline,
    [
        new Switch("a", "", "x", new ScenarioChange(new Dictionary<string, PolicyEvent>(), new Dictionary<string, ParameterOverride>())),
        new Switch("b", "", "y", new ScenarioChange(new Dictionary<string, PolicyEvent>(), new Dictionary<string, ParameterOverride>())),
        new Switch("c", "", "z", new ScenarioChange(new Dictionary<string, PolicyEvent>(), new Dictionary<string, ParameterOverride>())),
    ]);

    /// <summary>Deaths of a coalition on seed r: 100 + r, plus 10 per a, 4 per c, 6 when a and b are both on.</summary>
    private static double Deaths(int mask, int r) => 100 + r + ((mask & 1) != 0 ? 10 : 0) + ((mask & 4) != 0 ? 4 : 0) + ((mask & 3) == 3 ? 6 + r : 0);

    private static Attribution.Result Result(bool exact, int[][]? orders, int runs = 3)
    {
        var masks = Attribution.Plan(3, exact, orders);
        // outcome 0 (excess deaths, sign +1) follows the game; births (sign −1) and grain (sign −1) fall by the same amounts
        var measures = Attribution.Outcomes.Select(o => masks.Select(m => Enumerable.Range(0, runs).Select(r => o.Sign > 0 ? Deaths(m, r) : 1000 - Deaths(m, r)).ToArray()).ToArray()).ToArray();
        var reference = Attribution.Outcomes.Select(o => Enumerable.Range(0, runs).Select(r => o.Sign > 0 ? 99.0 + r : 1000 - (99.0 + r)).ToArray()).ToArray();
        return new Attribution.Result(Three(), exact, runs, masks, measures, reference, orders);
    }

    [Fact]
    public void Exact_shares_are_the_shapley_values_of_each_seed_averaged()
    {
        var shares = Attribution.Shares(Result(true, null));
        foreach (var outcome in Attribution.Outcomes.Select(o => o.Name))
        {
            var s = shares.Where(x => x.Outcome == outcome).ToDictionary(x => x.Switch);
            // seeds 0, 1, 2: interaction 6 + r shared by a and b; mean interaction 7
            Assert.Equal(10 + 3.5, s["a"].Mean, 12);
            Assert.Equal(3.5, s["b"].Mean, 12);
            Assert.Equal(4, s["c"].Mean, 12);
            Assert.Equal(21, s["total"].Mean, 12);
            Assert.Equal(100, s["a"].SharePct + s["b"].SharePct + s["c"].SharePct, 9);
            Assert.Equal(10, s["a"].Alone, 12);
            Assert.Equal(17, s["a"].Last, 12);
            Assert.Equal(0, s["b"].Alone, 12);
            // the interval of b: the values 3, 3.5, 4 over the seeds
            Assert.True(s["b"].Low < 3.5 && s["b"].High > 3.5);
            Assert.Equal(s["c"].Low, s["c"].High, 12); // the same on every seed
            // reference: all on (120 + 2r) against 99 + r
            Assert.Equal(22, s["reference"].Mean, 12);
        }
        var ab = Attribution.Interactions(Result(true, null)).Where(i => i.A == "a" && i.B == "b").ToList();
        Assert.All(ab, i => Assert.Equal(7, i.Mean, 12));
    }

    [Fact]
    public void Sampled_shares_sum_to_the_total_and_run_only_the_coalitions_they_need()
    {
        var orders = Shapley.SampleOrders(3, 2, 1);
        var result = Result(false, orders);
        Assert.Equal(Attribution.Plan(3, false, orders), result.Masks);
        Assert.Contains(1, result.Masks);          // each alone
        Assert.Contains(7 & ~1, result.Masks);     // each left out
        var shares = Attribution.Shares(result).Where(x => x.Outcome == "excess_deaths").ToDictionary(x => x.Switch);
        Assert.Equal(21, shares["a"].Mean + shares["b"].Mean + shares["c"].Mean, 9);
        Assert.Equal(4, shares["c"].Mean, 9); // an additive switch gets its own effect in every order
        Assert.Empty(Attribution.Interactions(result));
    }
}
