using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LeapSim.Core.Engine;
using LeapSim.Core.Numerics;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using static LeapSim.Core.Numerics.FourUnits;

namespace LeapSim.Core.Modules;

/// <summary>
/// Planning and procurement (mechanisms.md §e, after Meng, Qian &amp; Yared 2015): at each harvest the state sets
/// the unit's quota from its *planned* harvest Ŷ, quota = τ × Ŷ × (Ŷ per person / 1957 per person)^k: progressive
/// (richer-looking units give a larger share), harder where cadres are zealous, and inflexible. The plan is what the
/// unit reported for the same season last year (MQY: "built from last year's reported output"; the normal 1957 crop
/// of the season before any report), so a good report raises next year's quota, and a poor harvest does not lower
/// this year's (the Three-Fix policy fixed purchase quotas in advance; the 1959 quotas followed 1958's inflated
/// reports), grown by the year's plan target (the grain_plan lever: DIGEST, grain +20 % in 1958 and +10 % in 1959;
/// mechanisms.md §e: "last year's reported output × target growth"). τ is the 1957 rate (national_1957.csv: 45.97 of 195.05 Mt). The quota is
/// collected in the months after the harvest (July; November and December), as far as the village's stock allows
/// above a retention floor; political pressure erodes the floor (after Lushan, cadres who protected villagers were
/// purged). A "flexible" rule (the counterfactual) sets quotas on the real harvest instead. (The emergency levy for the
/// cities is the state account's: StateGrainAccount.)
/// The "flexible" rule is Meng, Qian &amp; Yared's counterfactual: the centre asks for the same national total as the
/// rule in force would, but shares it among units by their real harvests (quota ∝ the rule applied to the truth),
/// so that the famine's cause is the allocation, not the total.
/// Verification: at the Lushan plenum (August 1959) the centre revised the 1958 figures downward "after verification"
/// (mechanisms.md §e; Hongqi 1959 no. 17). While the dated lever is on, the plan is last year's report less the share
/// verification_share of its inflation (report − truth): plan = report − verified × share × (report − truth). In the
/// default it is on for the autumn 1959 quotas, the ones set on the 1958 reports, and lapses in January 1960: the 1959
/// reports, inflated again after Lushan, were planned on as reported. How much of the inflation the checks found is not
/// documented, so the share is calibrated.
/// </summary>
public sealed class Procurement : ModuleBase
{
    public override string Name => "procurement";
    public override string Summary => "Quotas from last year's reported harvests, collected above a retention floor that pressure erodes";
    public override IReadOnlyList<string> Reads => ["reported", "summer_report", "autumn_report", "summer_truth", "autumn_truth", "harvest", "base output", "grain_stock", "persons", "zeal", "national: pressure", "levers procurement.*, grain_plan.*"];
    public override IReadOnlyList<string> Writes => ["quota", "summer_report", "autumn_report", "summer_truth", "autumn_truth", "procured", "grain_stock", "national: procured, state grain stock"];

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("base_rate", "share of reported harvest", 45.97 / 195.05, 0.05, 0.6, "national_1957.csv: 1957 procurement 45.97 Mt of 195.05 Mt output", "procurement rate at the 1957 level of output per person"),
        P("progressivity", "elasticity", 0.5, 0, 3, "assumption, set by hand and not fitted; Meng, Qian & Yared 2015: larger shares from more productive regions", "how the rate rises with reported output per person"),
        P("zeal_effect", "share of quota per unit of zeal above 1, at pressure 1", 0.25, 0, 2, "assumption (Kung & Chen 2011: procurement effort = base + k·ρ)", "extra procurement pushed by zealous cadres"),
        P("retention_floor_kg", "kg unhusked per person per year", 200, 50, 400, "mechanisms.md §a: '够不够，三百六' adult norm 180 kg; 230 kg = acceptable nutrition", "grain a village keeps before the state may take more, in normal times"),
        P("floor_erosion", "share of the floor per unit of pressure × zeal", 0.45, 0, 1, "calibrated (timeline.md: after Lushan the floor on rural retention was removed)", "how far pressure pushes collection below the floor"),
        P("max_quota_share", "share of the harvest", 0.9, 0.5, 1, "assumption: a quota never takes a whole harvest (it is set on the plan; the floor and what the village holds limit what is collected)", "largest quota as a share of the harvest it is set on"),
        P("verification_share", "share of the inflation", 0.5, 0, 1, "calibrated (mechanisms.md §e: the Lushan communiqué revised the 1958 figures downward after verification; how far is not in research/)", "share of the inflation in last year's reports that the centre's verification strips from the plans, once verification is on"),
        P("november_share", "share of the autumn quota", 0.5, 0, 1, "assumption: the autumn crop is collected over November and December (timeline.md: procurement follows each harvest)", "share of the autumn quota due in November (the rest in December)"),
    ];

    public override IReadOnlyList<PolicyInfo> Policies =>
    [
        new("procurement", "The procurement rule", "mechanisms.md §e; counterfactual 'flexible-procurement'",
        [
            new PolicySetting("flexible", "0-1", 0, 0, 1, "1 = the national total of the reported-harvest rule, shared among units by their real harvests (Meng, Qian & Yared 2015); 0 = quotas follow each unit's reported harvest"),
            new PolicySetting("rate_scale", "multiplier", 1, 0, 3, "multiplier on the procurement rate (plans that ask for more)"),
            new PolicySetting("verified", "0-1", 0, 0, 1, "1 = plans are set on last year's reports less the inflation verification finds (procurement.verification_share); 0 = on the reports as they came in"),
        ]),
        new("grain_plan", "The grain plan: the growth the year's plan expects over last year's harvest", "DIGEST (plan targets: grain +20 % in 1958, +10 % in 1959); mechanisms.md §e (the plan is last year's reported output × target growth)",
        [
            new PolicySetting("growth", "share", 0, -0.5, 2, "growth of this year's harvest over last year's report that the plan, and the quotas set on it, expect (0 = last year's report)"),
        ]),
    ];

    private int _flexible, _scale, _verified, _planGrowth;
    private double _verification;
    private double _tau, _prog, _zealEffect, _maxShare, _novemberShare, _floor, _erosion, _basePerCapita, _summerShare;
    private double[] _partial = [];
    private float[] _truthQuota = [];
    private double[] _quotaOnPlans = [], _quotaOnTruth = [];

    public override void Initialise(SimContext ctx)
    {
        _flexible = ctx.Levers.Index("procurement.flexible");
        _scale = ctx.Levers.Index("procurement.rate_scale");
        _verified = ctx.Levers.Index("procurement.verified");
        _planGrowth = ctx.Levers.Index("grain_plan.growth");
        _verification = Value(ctx, "verification_share");
        _tau = Value(ctx, "base_rate");
        _prog = Value(ctx, "progressivity");
        _zealEffect = Value(ctx, "zeal_effect");
        _floor = Value(ctx, "retention_floor_kg");
        _summerShare = ctx.Parameters["farming.summer_share"];
        _erosion = Value(ctx, "floor_erosion");
        _maxShare = Value(ctx, "max_quota_share");
        _novemberShare = Value(ctx, "november_share");
        double baseOut = 0, pop = 0;
        for (var u = 0; u < ctx.Units.Count; u++) { baseOut += ctx.Units.BaseOutputKg[u]; pop += ctx.Units.Persons[u]; }
        _basePerCapita = pop > 0 ? baseOut / pop : 1;
        _partial = new double[ctx.ChunkCount];
        _truthQuota = new float[ctx.Units.Count];
        _quotaOnPlans = new double[ctx.ChunkCount];
        _quotaOnTruth = new double[ctx.ChunkCount];
    }

    /// <summary>The quota for a harvest (kg) given the rule's inputs.</summary>
    /// <param name="seasonShare">The harvest's expected share of the year's output (summer or autumn).</param>
    /// <remarks>
    /// The power is <see cref="Power.Fast"/> (within a few tens of units in the last place of Math.Pow), so that the
    /// vector loop (<see cref="QuotasLanes{D, F}"/>) gives the same bits; the harvest against the 1957 one is kept within
    /// [0.01, <see cref="MaxRelativeHarvest"/>] before it (the lower bound is the rule's; the upper keeps the power exact).
    /// </remarks>
    public static double Quota(double basisKg, double seasonShare, double persons, double basePerCapita, double tau, double progressivity,
        double zeal, double pressureAbove, double zealEffect, double maxShare)
    {
        // (Written !(x > 0), as the vector loop's masks are: a NaN basis or headcount asks for nothing.)
        if (!(basisKg > 0) || !(persons > 0) || seasonShare <= 0) return 0;
        var rel = basisKg / seasonShare / persons / basePerCapita; // this harvest against a 1957 harvest of the season
        var rate = tau * Power.Fast(Math.Clamp(rel, 0.01, MaxRelativeHarvest), progressivity) * (1 + zealEffect * Math.Max(0, zeal - 1) * pressureAbove);
        return Math.Min(maxShare, rate) * basisKg;
    }

    /// <summary>
    /// The largest harvest per person against 1957's that the quota's power sees (1e100). Why: the vector power
    /// (Power.Four, Power.Eight) keeps each lane's bits to itself only while |progressivity × ln ratio| stays below
    /// about 700, where its exponential has no special case; with progressivity at most 3 (its declared range) and the
    /// ratio at most 1e100 it is at most 691. Real ratios are far inside (a float harvest over a float headcount); the
    /// bound matters only if the 1957 harvest per person were near 0, and any ratio near it asks for max_quota_share.
    /// </summary>
    internal const double MaxRelativeHarvest = 1e100;

    /// <summary>
    /// The quota loop of a harvest month for units <paramref name="a"/> onwards, eight or four at a time
    /// (<see cref="IDoubleLanes{D, F}"/>): each unit's plan, its quota on the plan and (flexible rule) on the truth, and
    /// its report and truth kept for next year, as the scalar loop computes them in the same order and precision (so the
    /// same bits), and the sums of both quotas in unit order. Why: the quotas' powers, one by one through libm's pow,
    /// were about 2 % of a team run's processor time (once a unit; twice under the flexible rule). Returns the first unit not done.
    /// </summary>
    // Mirrors, lane by lane, the scalar loop in Step and Quota, PlannedHarvest, VerifiedReport and Reporting.SeasonTruth:
    // a change there must be made here too (ProcurementEightAtATimeTests compare the two bit for bit).
    private int QuotasLanes<D, F>(World.RuralUnits units, int a, int b, float[] lastReport, float[] lastTruth, double scale, double seasonShare,
        double pressureAbove, double verified, double planGrowth, bool flexible, ref double onPlans, ref double onTruth)
        where D : struct, IDoubleLanes<D, F> where F : struct, IFloatLanes<F, D>
    {
        if (seasonShare <= 0) return a; // no quota at all: the scalar loop
        var zero = D.Zero;
        var one = D.One;
        var six = D.Create(6.0);
        var verifiedShare = D.Create(Math.Clamp(verified, 0, 1));
        var growth = D.Create(Math.Max(0, 1 + planGrowth));
        var seasonShareV = D.Create(seasonShare);
        var scaleV = D.Create(scale);
        // The sums in locals for the loop, written back at the end: added through the ref parameters, every addition
        // was a store to memory and a reload (a chain of store-to-load forwards), not a register.
        double plansSum = onPlans, truthSum = onTruth;
        var u = a;
        for (; u + D.Count <= b; u += D.Count)
        {
            var truth = F.Wide(F.Load(units.HarvestKg, u)) + F.Wide(F.Load(units.PrivateOutputKg, u)) * six;
            var report = F.Wide(F.Load(lastReport, u));
            var verifiedReport = report - verifiedShare * D.Max(zero, report - F.Wide(F.Load(lastTruth, u)));
            var plan = D.Select(D.GreaterThan(verifiedReport, zero), verifiedReport, F.Wide(F.Load(units.BaseOutputKg, u)) * seasonShareV) * growth;
            var persons = F.Wide(F.Load(units.Persons, u));
            var push = one + D.Create(_zealEffect) * D.Max(zero, F.Wide(F.Load(units.Zeal, u)) - one) * D.Create(pressureAbove);
            var q = scaleV * QuotaLanes<D, F>(plan, seasonShareV, persons, push);
            var qTruth = flexible ? scaleV * QuotaLanes<D, F>(truth, seasonShareV, persons, push) : zero;
            F.Store(units.QuotaKg, u, D.Narrow(q));
            F.Store(_truthQuota, u, D.Narrow(qTruth));
            F.Store(lastReport, u, D.Narrow(D.Max(truth, F.Wide(F.Load(units.ReportedKg, u)))));
            F.Store(lastTruth, u, D.Narrow(truth));
            D.AddInOrder(ref plansSum, q);
            D.AddInOrder(ref truthSum, qTruth);
        }
        onPlans = plansSum;
        onTruth = truthSum;
        return u;
    }

    /// <summary><see cref="Quota"/> of a vector of units (season share above 0), with the zeal's push 1 + effect × max(0, zeal − 1) × pressure worked out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private D QuotaLanes<D, F>(D basisKg, D seasonShare, D persons, D push) where D : struct, IDoubleLanes<D, F> where F : struct, IFloatLanes<F, D>
    {
        var zero = D.Zero;
        var valid = D.Select(D.GreaterThan(basisKg, zero), D.GreaterThan(persons, zero), zero);
        // Lanes without a quota take a ratio of 1, so that no lane sends the power down its special-value path.
        var rel = D.Select(valid, D.Clamp(basisKg / seasonShare / persons / D.Create(_basePerCapita), D.Create(0.01), D.Create(MaxRelativeHarvest)), D.One);
        var rate = D.Create(_tau) * D.Power(rel, _prog) * push;
        return D.Select(valid, D.Min(D.Create(_maxShare), rate) * basisKg, zero);
    }

    /// <summary>
    /// The factor that brings the quotas set on real harvests to the national total of the quotas set on the plans
    /// (last year's reports; 1 when the plans equal the truth).
    /// </summary>
    public static double FlexibleScale(double totalOnPlans, double totalOnTruth) =>
        totalOnTruth > 0 ? totalOnPlans / totalOnTruth : 1;

    /// <summary>
    /// The plan for a unit's harvest of a season: what it reported for the season last year (or its normal (1957) crop
    /// of the season before any report) grown by the plan's target growth (mechanisms.md §e: "last year's reported
    /// output × target growth").
    /// </summary>
    public static double PlannedHarvest(double lastReportKg, double normalSeasonKg, double planGrowth = 0) =>
        (lastReportKg > 0 ? lastReportKg : normalSeasonKg) * Math.Max(0, 1 + planGrowth);

    /// <summary>
    /// A report as the centre believes it after verification: the report less <paramref name="verified"/> (0-1) of
    /// its inflation over the truth; never below the truth, and the report itself when it was honest.
    /// </summary>
    public static double VerifiedReport(double reportKg, double truthKg, double verified) =>
        reportKg - Math.Clamp(verified, 0, 1) * Math.Max(0, reportKg - truthKg);

    /// <summary>What is collected this month: the due part of the quota, down to the (eroded) floor.</summary>
    public static double Collect(double due, double stockKg, double floorKg) => Math.Clamp(Math.Min(due, stockKg - floorKg), 0, Math.Max(0, stockKg));

    /// <summary>
    /// The collection of units <paramref name="a"/> onwards, four at a time, as the scalar loop of the collection
    /// collects one unit (its floor, <see cref="Collect"/>, the quota left, the stock, the procured grain): the same
    /// operations in the same order and precision, so the same bits; the take is added to <paramref name="got"/> in
    /// unit order. Returns the first unit not done. Why: the scalar loop was 2 % of a ten-year team run's samples,
    /// in only three months a year.
    /// </summary>
    // Mirrors, lane by lane, the scalar loop of Step's collection and Collect: a change there must be made here too
    // (ProcurementEightAtATimeTests.FourUnitsAtATimeCollectAsOneByOne compares the two bit for bit).
    private int CollectFour(World.RuralUnits units, int a, int b, double pressureAbove, int monthsToHarvest, double dueShare, ref double got)
    {
        var zero = Vector256<double>.Zero;
        var one = Vector256<double>.One;
        var erosionRate = Vector256.Create(_erosion);
        var pressure = Vector256.Create(pressureAbove);
        var floorPerPerson = Vector256.Create(_floor / 12 * monthsToHarvest);
        var due = Vector256.Create(dueShare);
        // The sum in a local for the loop (through the ref, each addition would be a store and a reload).
        var sum = got;
        var u = a;
        for (; u + 4 <= b; u += 4)
        {
            var erosion = Vector256.Min(one, erosionRate * Wide(Load(units.Zeal, u)) * pressure);
            var floor = floorPerPerson * Wide(Load(units.Persons, u)) * (one - erosion);
            var quotaF = Load(units.QuotaKg, u);
            var quota = Wide(quotaF);
            var stockF = Load(units.GrainStockKg, u);
            var stock = Wide(stockF);
            var take = Clamp(Vector256.Min(quota * due, stock - floor), zero, Vector256.Max(zero, stock));
            var takeF = Narrow(take);
            Store(units.QuotaKg, u, Narrow(Vector256.Max(zero, quota - take)));
            Store(units.GrainStockKg, u, stockF - takeF);
            Store(units.ProcuredKg, u, takeF);
            AddInOrder(ref sum, take);
        }
        got = sum;
        return u;
    }

    /// <summary>For tests: the quotas and the collection one unit at a time, as machines without AVX compute them.</summary>
    internal bool OneUnitAtATime { get; set; }
    /// <summary>For tests: four lanes (Doubles4) even where the machine has 512-bit vectors, as machines without AVX-512 do.</summary>
    internal bool FourAtATime { get; set; }

    private (World.RuralUnits Units, bool Summer, double Flexible, double Scale, double SeasonShare, double PressureAbove, double Verified, double PlanGrowth, double ToTotal) _quotaMonth;
    private (World.RuralUnits Units, double PressureAbove, int MonthsToHarvest, double DueShare) _collectMonth;
    // The chunk bodies read the month's values from fields, so their delegates are made once, not every month.
    private Action<int, int, int>? _setQuotas, _shareQuotas, _collect;

    public override void Step(SimContext ctx)
    {
        var moy = ctx.Month.MonthOfYear;
        var units = ctx.Units;
        var nat = ctx.World.National;
        var pressureAbove = nat.ExcessPressure;
        var flexible = ctx.Levers[_flexible];
        var scale = ctx.Levers[_scale];

        if (FarmCalendar.IsHarvestMonth(moy))
        {
            var summer = FarmCalendar.IsSummerHarvest(moy);
            var seasonShare = summer ? _summerShare : 1 - _summerShare;
            _quotaMonth = (units, summer, flexible, scale, seasonShare, pressureAbove, ctx.Levers[_verified] * _verification, ctx.Levers[_planGrowth], 0);
            ctx.ForEachChunk(_setQuotas ??= (c, a, b) =>
            {
                var (units, summer, flexible, scale, seasonShare, pressureAbove, verified, planGrowth, _) = _quotaMonth;
                var lastReport = summer ? units.SummerReportKg : units.AutumnReportKg;
                var lastTruth = summer ? units.SummerTruthKg : units.AutumnTruthKg;
                double onPlans = 0, onTruth = 0;
                var first = !Avx.IsSupported || OneUnitAtATime ? a
                    : Vector512.IsHardwareAccelerated && !FourAtATime
                        ? QuotasLanes<Doubles8, Floats8>(units, a, b, lastReport, lastTruth, scale, seasonShare, pressureAbove, verified, planGrowth, flexible > 0, ref onPlans, ref onTruth)
                        : QuotasLanes<Doubles4, Floats4>(units, a, b, lastReport, lastTruth, scale, seasonShare, pressureAbove, verified, planGrowth, flexible > 0, ref onPlans, ref onTruth);
                for (var u = first; u < b; u++)
                {
                    var truth = Reporting.SeasonTruth(units.HarvestKg[u], units.PrivateOutputKg[u]);
                    var plan = PlannedHarvest(VerifiedReport(lastReport[u], lastTruth[u], verified), units.BaseOutputKg[u] * seasonShare, planGrowth);
                    var q = scale * Quota(plan, seasonShare, units.Persons[u], _basePerCapita, _tau, _prog, units.Zeal[u], pressureAbove, _zealEffect, _maxShare);
                    var qTruth = flexible > 0 ? scale * Quota(truth, seasonShare, units.Persons[u], _basePerCapita, _tau, _prog, units.Zeal[u], pressureAbove, _zealEffect, _maxShare) : 0;
                    units.QuotaKg[u] = (float)q;
                    _truthQuota[u] = (float)qTruth;
                    // This harvest's report (never below the truth) is next year's plan for the season.
                    lastReport[u] = (float)Math.Max(truth, units.ReportedKg[u]);
                    lastTruth[u] = (float)truth;
                    onPlans += q;
                    onTruth += qTruth;
                }
                _quotaOnPlans[c] = onPlans;
                _quotaOnTruth[c] = onTruth;
            });
            if (flexible > 0)
            {
                // The same national total, shared by the real harvests (sums in chunk order: deterministic); no unit
                // is asked for more than max_quota_share of its real harvest, the cap of Quota.
                double totalPlans = 0, totalTruth = 0;
                for (var c = 0; c < _quotaOnPlans.Length; c++) { totalPlans += _quotaOnPlans[c]; totalTruth += _quotaOnTruth[c]; }
                _quotaMonth.ToTotal = FlexibleScale(totalPlans, totalTruth);
                ctx.ForEachChunk(_shareQuotas ??= (_, a, b) =>
                {
                    var (units, _, flexible, _, _, _, _, _, toTotal) = _quotaMonth;
                    for (var u = a; u < b; u++)
                        units.QuotaKg[u] = (float)((1 - flexible) * units.QuotaKg[u] + flexible * Math.Min(_maxShare * Reporting.SeasonTruth(units.HarvestKg[u], units.PrivateOutputKg[u]), toTotal * _truthQuota[u]));
                });
            }
        }

        // Collection: all of the summer quota in July; the autumn quota over November and December.
        var dueShare = !FarmCalendar.IsProcurementMonth(moy) ? 0.0 : moy == 11 ? _novemberShare : 1.0;
        if (dueShare <= 0) return;
        var monthsToHarvest = FarmCalendar.MonthsToNextHarvest(moy) + 1;
        Array.Clear(_partial);
        _collectMonth = (units, pressureAbove, monthsToHarvest, dueShare);
        ctx.ForEachChunk(_collect ??= (c, a, b) =>
        {
            var (units, pressureAbove, monthsToHarvest, dueShare) = _collectMonth;
            double got = 0;
            var first = Avx.IsSupported && !OneUnitAtATime ? CollectFour(units, a, b, pressureAbove, monthsToHarvest, dueShare, ref got) : a;
            for (var u = first; u < b; u++)
            {
                var persons = (double)units.Persons[u];
                var erosion = Math.Min(1, _erosion * units.Zeal[u] * pressureAbove);
                var floor = _floor / 12 * monthsToHarvest * persons * (1 - erosion);
                var due = units.QuotaKg[u] * dueShare;
                var take = Collect(due, units.GrainStockKg[u], floor);
                units.QuotaKg[u] = (float)Math.Max(0, units.QuotaKg[u] - take);
                units.GrainStockKg[u] -= (float)take;
                units.ProcuredKg[u] = (float)take;
                got += take;
            }
            _partial[c] = got;
        });
        double total = 0;
        foreach (var g in _partial) total += g;
        nat.ProcuredKg += total;
        nat.StateGrainStockKg += total;
    }
}
