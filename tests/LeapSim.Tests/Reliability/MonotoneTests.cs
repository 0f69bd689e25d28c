using CsCheck;
using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using Xunit;

namespace LeapSim.Tests.Reliability;

/// <summary>
/// Monotone responses: the same seed and scenario run twice with one change, compared unit by unit.
/// "All else equal" is made exact: births and deaths are expected values (demography.stochastic = 0, so a Poisson
/// draw at a different rate does not count as a difference), and the state's feedback to the villages — relief
/// (state_grain.release_rate), fixed sales (fixed_sales.level) and the emergency levy (state_grain.emergency_levy_share)
/// — is switched off, since it
/// legitimately moves grain from one village to another (a village short of food may get back more than the extra
/// it gave). The comparison window is the first harvest year the change acts on: further on, progressive quotas and
/// the retention floor can legitimately reverse a difference (see docs/reliability.md).
/// </summary>
public sealed class MonotoneTests
{
    private static ResolvedScenario AllElseEqual(ResolvedScenario s)
    {
        s = RandomWorlds.WithParameter(s, "demography.stochastic", 0);
        s = RandomWorlds.WithParameter(s, "state_grain.release_rate", 0);
        s = RandomWorlds.WithParameter(s, "state_grain.emergency_levy_share", 0);
        var noFixedSales = new PolicyEvent("no_fixed_sales", "fixed_sales", Month.Of(1957, 1),
            new Dictionary<string, double> { ["level"] = 0 }, true, "", new SourceLocation("<test>", 0, "fixed_sales.level"));
        return s with { Events = [noFixedSales, .. s.Events] };
    }

    /// <summary>Every procurement rate scaled up by <paramref name="k"/> (within the setting's range), from January 1957.</summary>
    private static ResolvedScenario MoreProcurement(ResolvedScenario s, double k) =>
        ChangedEverywhere(s, "more_procurement", "procurement", "rate_scale", v => v * k);

    /// <summary>A plan that expects <paramref name="g"/> more growth over last year's reports, from January 1957.</summary>
    private static ResolvedScenario HigherPlan(ResolvedScenario s, double g) =>
        ChangedEverywhere(s, "higher_plan", "grain_plan", "growth", v => v + g);

    /// <summary>
    /// The scenario with a policy setting changed by <paramref name="change"/> from January 1957 (an event <paramref name="id"/>
    /// on the setting's default) and in every event of the scenario that sets it, within the setting's range: a random
    /// world that moves one of those events before the first harvest cannot undo the change. The January 1957 event is
    /// left out when the scenario already has one that sets the setting that month: events of one month apply in the
    /// order of their ids, so the default's changed value could come last and undo the scenario's changed one
    /// (CsCheck seed aGAGImmfxey4: grain_plan_1958, moved to January 1957, lost to "higher_plan" and the quotas fell).
    /// </summary>
    private static ResolvedScenario ChangedEverywhere(ResolvedScenario s, string id, string policy, string setting, Func<double, double> change)
    {
        var declared = ModuleCatalog.Policies().Single(p => p.Key == policy).Setting(setting)!;
        bool Sets(PolicyEvent e) => e.Policy == policy && e.Settings.ContainsKey(setting);
        var events = s.Events.Select(e => Sets(e)
            ? e with { Settings = new Dictionary<string, double>(e.Settings, StringComparer.Ordinal) { [setting] = Math.Min(declared.Max, change(e.Settings[setting])) } }
            : e).ToList();
        if (!events.Any(e => Sets(e) && e.Enabled && e.Date == Month.Of(1957, 1)))
            events.Insert(0, new PolicyEvent(id, policy, Month.Of(1957, 1),
                new Dictionary<string, double> { [setting] = Math.Min(declared.Max, change(declared.Default)) }, true, "", new SourceLocation("<test>", 0, setting)));
        return s with { Events = events };
    }

    [Fact]
    public void More_procurement_never_leaves_a_village_more_food() =>
        Gen.Select(RandomWorlds.Case, Gen.Double[1.05, 2]).Sample(t =>
            NoMoreFoodWithTheChange(t.Item1, s => MoreProcurement(s, t.Item2), $"k = {t.Item2:G4}"),
            iter: RandomWorlds.Cases(12), threads: 1, seed: "0N0XIzNsQ0O4", print: t => $"{t.Item1} k={t.Item2}");

    [Fact]
    public void A_higher_grain_plan_never_leaves_a_village_more_food() => HigherPlanCases(RandomWorlds.Cases(8), "0N0XIzNsQ0O4");

    /// <summary>
    /// The random world that once undid the higher plan: grain_plan_1958 moved to January 1957, the month of the test's
    /// own event (see <see cref="ChangedEverywhere"/>).
    /// </summary>
    [Fact]
    public void A_higher_grain_plan_is_not_undone_by_a_plan_event_moved_to_January_1957() => HigherPlanCases(1, "aGAGImmfxey4");

    private static void HigherPlanCases(long iter, string seed) =>
        Gen.Select(RandomWorlds.Case, Gen.Double[0.05, 0.5]).Sample(t =>
            NoMoreFoodWithTheChange(t.Item1, s => HigherPlan(s, t.Item2), $"plan growth {t.Item2:G4}"),
            iter: iter, threads: 1, seed: seed, print: t => $"{t.Item1} growth={t.Item2}");

    /// <summary>
    /// The same world with and without <paramref name="change"/> (which must raise the June 1957 quotas): no village
    /// holds more grain after the July collection or eats more, through the months the summer crop must last.
    /// </summary>
    private static void NoMoreFoodWithTheChange(WorldCase c, Func<ResolvedScenario, ResolvedScenario> change, string label)
    {
        var baseScenario = AllElseEqual(c.Scenario);
        var a = new Simulation(baseScenario, c.Options());
        var b = new Simulation(change(baseScenario), c.Options());
        var units = a.World.Units.Count;
        var eatenA = new double[units];
        var eatenB = new double[units];
        // The change must act, or the comparison below compares a run with itself: the June harvest's quotas (set
        // on the same plans, times the higher rate) are higher with it, and so is what July collects from a village
        // that gave all its quota without the change (one held at its retention floor gives the same either way).
        double quotaA = 0, quotaB = 0;
        // Through the first collection (July 1957) and the months it must last until the autumn harvest. From that
        // harvest on, hunger in the squeezed village has thinned its animals (less feed set aside) and its people
        // (fewer mouths), which legitimately leaves it more grain in store; and a smaller harvest is taxed less.
        while (!a.Finished && a.MonthsDone < 9)
        {
            a.Step();
            b.Step();
            var ua = a.World.Units;
            var ub = b.World.Units;
            for (var u = 0; u < units; u++)
            {
                var where = $"month {a.Context.Month}, unit {u} ({label})";
                if (a.Context.Month.MonthOfYear == 6) { quotaA += ua.QuotaKg[u]; quotaB += ub.QuotaKg[u]; }
                if (a.Context.Month.MonthOfYear == 7 && ua.ProcuredKg[u] > 0 && ua.QuotaKg[u] == 0)
                    Assert.True(ub.ProcuredKg[u] > ua.ProcuredKg[u], $"{where}: gave all its quota, {ua.ProcuredKg[u]} kg, without the change and {ub.ProcuredKg[u]} kg with it");
                eatenA[u] += ua.EatenKg[u];
                eatenB[u] += ub.EatenKg[u];
                // The grain left right after the collection; later a thinner village needs less (need ∝ BMI)
                // and may hold more in store while eating less, so food is what is eaten.
                if (a.Context.Month.MonthOfYear <= 7) NotMore(ub.GrainStockKg[u], ua.GrainStockKg[u], $"{where}: grain stock");
                NotMore(ub.EatenKg[u], ua.EatenKg[u], $"{where}: grain eaten this month");
                NotMore(eatenB[u], eatenA[u], $"{where}: grain eaten since January 1957");
            }
        }
        Assert.True(quotaB > quotaA, $"the June 1957 quotas: {quotaB} kg with the change, {quotaA} kg without ({label})");
    }

    /// <summary>The inputs with a worse recorded year: affected and stricken shares of <paramref name="year"/> times <paramref name="f"/>.</summary>
    private static BaselineInputs WorseYear(int year, double f)
    {
        var e = BaselineInputs.Embedded;
        var disasters = e.Disasters.Select(d => d.Year == year
            ? d with { AffectedShare = Math.Min(d.Basis == "Mha" ? 100 : 1, d.AffectedShare * f), StrickenShare = Math.Min(d.Basis == "Mha" ? 100 : 1, d.StrickenShare * f) }
            : d).ToList();
        Assert.Contains(disasters, d => d.Year == year);
        return new BaselineInputs { Provinces = e.Provinces, National = e.National, Trade = e.Trade, Disasters = disasters, Droughts = e.Droughts, NationalAreas = e.NationalAreas };
    }

    [Fact]
    public void Worse_weather_never_raises_a_harvest() =>
        Gen.Select(RandomWorlds.Case, Gen.Int[1959, 1961], Gen.Double[1.05, 1.8]).Sample(t =>
        {
            var (c, year, f) = t;
            var scenario = AllElseEqual(c.Scenario);
            var options = c.Options() with { Years = new YearSpan(1957, Math.Max(c.LastYear, year)) };
            var a = new Simulation(scenario, options);
            var b = new Simulation(scenario, options, WorseYear(year, f));
            var units = a.World.Units.Count;
            // The change must act, or the comparison below compares a run with itself: from January of the worse year
            // some province's weather yield factor is lower with it.
            var lower = false;
            // Through the summer harvest of the worse year: after it, the July collection takes less from a worse
            // harvest and can leave a village better fed than with the better one (see docs/reliability.md).
            while (!a.Finished && a.MonthsDone < Month.Of(year, 6).Index + 1)
            {
                a.Step();
                b.Step();
                var ua = a.World.Units;
                var ub = b.World.Units;
                var month = a.Context.Month;
                for (var u = 0; u < units; u++)
                {
                    var where = $"month {month}, unit {u} ({f:G3} × the recorded disasters of {year})";
                    if (month.Year < year)
                        Assert.True(ua.HarvestKg[u] == ub.HarvestKg[u] && ua.GrainStockKg[u] == ub.GrainStockKg[u], $"{where}: the years before differ");
                    else if (FarmCalendar.IsHarvestMonth(month.MonthOfYear))
                    {
                        // The crop brought in. (Between harvests a hungrier village eats more of its crop green,
                        // which counts as harvested that month and leaves the harvest shorter by more.) A county the
                        // disasters spare in both runs keeps its weather, and the other counties' worse harvests reach
                        // it only through the national accounts, by float32 rounding: 1e-5 of the harvest allows that.
                        NotMore(ub.HarvestKg[u], ua.HarvestKg[u], $"{where}: harvest", 1e-5);
                    }
                }
                for (var p = 0; p < a.World.Provinces.Count; p++)
                {
                    NotMore(b.World.ProvinceState.WeatherYieldFactor[p], a.World.ProvinceState.WeatherYieldFactor[p], $"month {month}: weather factor of {a.World.Provinces.Name[p]}");
                    if (month.Year == year && b.World.ProvinceState.WeatherYieldFactor[p] < a.World.ProvinceState.WeatherYieldFactor[p]) lower = true;
                }
            }
            Assert.True(lower, $"no province's weather yield factor of {year} is lower with {f:G3} × the recorded disasters");
        }, iter: RandomWorlds.Cases(10), threads: 1, seed: "0N0XIzNsQ0O5", print: t => $"{t.Item1} year={t.Item2} f={t.Item3}");

    private static void NotMore(double changed, double baseline, string what, double relative = 1e-6)
    {
        // float32 state: equal runs agree to the bit, a relative 1e-6 allows for rounding in the changed one.
        if (!(changed <= baseline * (1 + relative) + 1e-3)) Assert.Fail($"{what}: {changed} with the change, {baseline} without");
    }
}
