using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using static LeapSim.Core.Numerics.FourUnits;

namespace LeapSim.Core.Modules;

/// <summary>
/// The state grain account (mechanisms.md §h, §g): procurement comes in; out go exports (trade.csv, decided by the
/// centre), the army and state use, the urban ration (a legal entitlement: urban people × ration × the ration
/// level, cut 10 % at the end of 1960), fixed sales to grain-deficit villages (the Three-Fix policy, 1955: each village's
/// need beyond the crop the centre believes it has, after seed and feed: its latest summer and autumn reports less the
/// inflation verification strips from last year's reports, the belief the quotas are planned on; ranked with the city
/// rations and cut in proportion with them), and
/// relief to villages short of food. Imports (trade.csv) come in. The army,
/// the cities and then exports come first (exports owed go undelivered before the cities starve); relief is limited by its stock above a reserve and
/// by how far the centre sees the famine: under political pressure (which also inflates the reports) relief is slow
/// (Fan, Xiong &amp; Zhou 2016, literature.md); the relief lever restores sight whatever the pressure. Relief reaches
/// remote units less: a unit's share of resales is weighted by 1 / (1 + distance to the county seat / relief_half_reach_km). The urban ration is a hard constraint on
/// procurement (mechanisms.md §h): when the stock cannot pay this month's city rations, or cover them for
/// emergency_stock_months more beyond the quota still owed, the centre levies the villages at once for what is missing, up to a share of
/// their stocks and whatever their retention floor (May-June 1960 transfers, mechanisms.md §h).
/// Years without a trade.csv figure: 1957 uses the 1950-60 mean net export of 2.3 Mt (Shang Changfeng 2010,
/// literature.md); after 1963 the 1962 export and the 1963 import levels continue.
/// </summary>
public sealed class StateGrainAccount : ModuleBase
{
    public override string Name => "state_grain";
    public override string Summary => "The state's grain: procurement in; exports, army, city rations and village resales out; imports in";
    public override IReadOnlyList<string> Reads => ["national: procured, state grain stock, excess pressure", "urban cohorts", "grain_stock", "quota", "persons", "zeal", "base output", "summer_report", "autumn_report", "summer_truth", "autumn_truth", "yield_level", "distance", "inputs: trade.csv", "levers grain_trade.*, urban_ration.*, relief.*, fixed_sales.*, procurement.verified"];
    public override IReadOnlyList<string> Writes => ["national: exports, imports, urban ration, army, resales", "urban eaten", "resold", "grain_stock"];

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("urban_ration_kg_month", "kg unhusked per person per month", 15 / 0.87, 8, 30, "mechanisms.md §h: r_u ≈ 15 kg trade grain a month [M]; ÷ 0.87 for unhusked (§a)", "urban grain ration per person"),
        P("army_and_state_use_mt", "Mt a year", 8, 0, 30, "assumption [M]: army, state industry, seed farms and other non-ration state use", "state grain used outside the urban ration"),
        P("initial_stock_mt", "Mt", 17, 0, 60, "literature.md: 1959 state stocks 343 亿斤 = 17.15 Mt (low confidence)", "state grain stock in January 1957"),
        P("reserve_months", "months of city needs", 3, 0, 24, "assumption: the state holds a few months of city supply before selling back", "stock the state keeps for the cities before relief"),
        P("release_rate", "share of the free stock per month", 0.25, 0, 1, "assumption, set by hand and not fitted", "how fast the state sells its free stock back to short villages"),
        P("relief_blindness", "share of relief lost per unit of pressure", 0.8, 0, 1, "assumption, set by hand and not fitted; Fan, Xiong & Zhou 2016: the centre did not organise relief until about two years into the famine", "how far political pressure (and the reports it inflates) blinds the centre to famine"),
        P("need_kg_month", "kg unhusked per person per month", 18, 8, 30, "mechanisms.md §a: ~217 kg a year of grain for 2,100 kcal with 85 % from grain", "village food need per person that resales aim at"),
        P("emergency_stock_months", "months of city needs", 1, 0, 6, "mechanisms.md §h: Beijing had 7 days of stock in May-June 1960", "stock below which the centre levies the villages"),
        P("emergency_levy_share", "share of village stocks", 0.2, 0, 0.5, "assumption, set by hand and not fitted (mechanisms.md §h: the May-June 1960 transfers emptied provincial granaries for the big cities)", "most of the village stocks the centre levies in a month when the cities' supply is not covered"),
        P("storage_loss", "share per month", 0.002, 0, 0.05, "assumption: state granary losses", "monthly loss of state stocks"),
        P("net_exports_1950s_mt", "Mt a year", 2.3, 0, 10, "literature.md, Shang Changfeng 2010: 1950-60 net grain exports about 2.3 Mt a year", "exports of a year trade.csv does not give before its first row, and the exports of the counterfactual that does not follow the record"),
        P("relief_half_reach_km", "km", 15, 1, 200, "assumption: resold grain went by cart, boat and carrying pole from county granaries; set equal to the default mean distance to the county seat (world.distance_mean_km), so a unit at the mean distance gets half the resales of one beside the granary", "distance from the county seat at which a unit gets half the resales of one beside the granary"),
    ];

    public override IReadOnlyList<PolicyInfo> Policies =>
    [
        new("grain_trade", "Grain exports and imports decided by the centre (trade.csv)", "trade.csv; DIGEST",
        [
            new PolicySetting("recorded", "0-1", 1, 0, 1, "1 = the trade of trade.csv; 0 = the 1950s net export (2.3 Mt a year) every year"),
            new PolicySetting("export_scale", "multiplier", 1, 0, 3, "multiplier on the recorded exports"),
            new PolicySetting("import_scale", "multiplier", 1, 0, 3, "multiplier on the recorded imports"),
            new PolicySetting("extra_imports_mt", "Mt a year", 0, 0, 30, "imports beyond the record (e.g. from spring 1959)"),
        ]),
        new("urban_ration", "The urban grain ration level", "DIGEST: end of 1960 rations cut 10 %",
        [
            new PolicySetting("level", "multiplier", 1, 0.3, 1.5, "ration level relative to the 1957 ration"),
        ]),
        new("fixed_sales", "Fixed sales to grain-deficit villages (the Three-Fix policy of 1955: fixed output, purchase and sales)", "cambridge.org/core/product/E7EC2078FBBCA2DF12A72CB5E038B7DF (the Three-Fix policy in Funan County, Anhui: fixed sales guaranteed grain to households in deficit)",
        [
            new PolicySetting("level", "multiplier", 1, 0, 1.5, "fixed sales relative to the 1957 deficits of grain-deficit villages"),
        ]),
        new("relief", "Relief to famine areas beyond the usual resales", "timeline.md; counterfactuals",
        [
            new PolicySetting("attention", "0-1", 0, 0, 1, "1 = the centre sees the famine whatever the reports say"),
        ]),
    ];

    private int _recorded, _exportScale, _importScale, _extraImports, _rationLevel, _attention, _fixedSalesLever;
    private double _fixedSales, _seedAndFeed, _inflation, _summerShare, _verification, _verifiedSummer, _verifiedAutumn;
    private int _verified;
    private double _share, _halfReachKm, _ration, _armyMonth, _reserveMonths, _release, _blindness, _need, _emergencyMonths, _levy, _loss;
    private readonly Dictionary<int, (double Exports, double Imports)> _trade = new();
    private double[] _partial = [], _partialQuota = [];

    public override void Initialise(SimContext ctx)
    {
        _recorded = ctx.Levers.Index("grain_trade.recorded");
        _exportScale = ctx.Levers.Index("grain_trade.export_scale");
        _importScale = ctx.Levers.Index("grain_trade.import_scale");
        _extraImports = ctx.Levers.Index("grain_trade.extra_imports_mt");
        _rationLevel = ctx.Levers.Index("urban_ration.level");
        _attention = ctx.Levers.Index("relief.attention");
        _fixedSalesLever = ctx.Levers.Index("fixed_sales.level");
        _seedAndFeed = ctx.Parameters["farming.seed_rate"] + ctx.Parameters["farming.feed_rate"];
        _summerShare = ctx.Parameters["farming.summer_share"];
        _verified = ctx.Levers.Index("procurement.verified");
        _verification = ctx.Parameters["procurement.verification_share"];
        _inflation = ctx.Parameters["reporting.inflation_per_pressure"];
        _ration = Value(ctx, "urban_ration_kg_month");
        _share = ctx.World.NationalShare;
        _armyMonth = Value(ctx, "army_and_state_use_mt") * 1e9 / 12 * _share;
        _reserveMonths = Value(ctx, "reserve_months");
        _release = Value(ctx, "release_rate");
        _blindness = Value(ctx, "relief_blindness");
        _need = Value(ctx, "need_kg_month");
        _emergencyMonths = Value(ctx, "emergency_stock_months");
        _levy = Value(ctx, "emergency_levy_share");
        _loss = Value(ctx, "storage_loss");
        _halfReachKm = Value(ctx, "relief_half_reach_km");
        // A unit's reach is fixed (its distance is): computed once, not with two divisions twice a month.
        var units = ctx.Units;
        _reach = new double[units.Count];
        for (var u = 0; u < units.Count; u++) _reach[u] = 1 / (1 + units.DistanceKm[u] / _halfReachKm);
        ctx.World.National.StateGrainStockKg = Value(ctx, "initial_stock_mt") * 1e9 * _share;
        _netExports1950s = Value(ctx, "net_exports_1950s_mt");
        BuildTrade(ctx.Inputs.Trade);
        _partial = new double[ctx.ChunkCount];
        _partialQuota = new double[ctx.ChunkCount];
        // Made here, not at first use: the levy may first be needed years into a run, inside the monthly loop.
        _takeLevy = TakeLevy;
        _sumStocks = SumStocksAndQuotas;
    }

    /// <summary>Net grain exports of a 1950s year (Mt): net_exports_1950s_mt.</summary>
    private double _netExports1950s;

    private void BuildTrade(IReadOnlyList<TradeInput> rows)
    {
        foreach (var r in rows) _trade[r.Year] = (r.ExportsMt ?? double.NaN, r.ImportsMt ?? double.NaN);
        double lastExports = _netExports1950s, lastImports = 0;
        for (var y = 1957; y <= 1966; y++)
        {
            var (e, i) = _trade.TryGetValue(y, out var t) ? t : (double.NaN, double.NaN);
            if (double.IsNaN(e)) e = lastExports;
            if (double.IsNaN(i)) i = lastImports;
            _trade[y] = (e, i);
            lastExports = e;
            lastImports = i;
        }
    }

    /// <summary>Exports and imports of a year (Mt) before the policy levers.</summary>
    public (double Exports, double Imports) RecordedTrade(int year) => _trade.TryGetValue(year, out var t) ? t : (0, 0);

    private (World.RuralUnits Units, int MonthsToHarvest, double Share) _month;
    private World.RuralUnits? _units;
    private (World.RuralUnits Units, double Pressure, double Scale) _fixedSalesMonth;
    // The chunk bodies read the month's values from fields, so their delegates are made once, not every month.
    private Action<int, int, int>? _sumDeficits, _resell, _sumStocks, _sumFixedSales, _payFixedSales;

    public override void Step(SimContext ctx)
    {
        var nat = ctx.World.National;
        var urban = ctx.World.Urban;
        var (exp, imp) = RecordedTrade(ctx.Month.Year);
        var recorded = ctx.Levers[_recorded];
        exp = recorded * exp + (1 - recorded) * _netExports1950s;
        imp *= recorded;
        var exports = exp * 1e9 / 12 * ctx.Levers[_exportScale] * _share;
        var imports = (imp * ctx.Levers[_importScale] + ctx.Levers[_extraImports]) * 1e9 / 12 * _share;
        nat.ImportsKg = imports;
        nat.StateGrainStockKg += imports;

        // Committed outflows, in priority order: army and state use, city rations (a legal entitlement), exports. When
        // the granary is empty the exports owed are not delivered (end 1960: exports owed to the USSR and Eastern
        // Europe undelivered, mechanisms.md §g) before the cities go without.
        var army = Math.Min(_armyMonth, nat.StateGrainStockKg);
        nat.ArmyKg = army;
        nat.StateGrainStockKg -= army;
        var level = ctx.Levers[_rationLevel];
        _fixedSales = ctx.Levers[_fixedSalesLever];
        double owed = 0;
        for (var p = 0; p < urban.Count; p++)
        {
            urban.RationKg[p] = urban.Population(p) * _ration * level;
            owed += urban.RationKg[p];
        }
        // The fixed sales' verification strips inflation from last year's reports only: the summer report is this
        // year's from June (Procurement, which runs first, has just stored it), the autumn report from October.
        var verifiedNow = ctx.Levers[_verified] * _verification;
        var moy = ctx.Month.MonthOfYear;
        _verifiedSummer = moy >= FarmCalendar.SummerHarvestMonth ? 0 : verifiedNow;
        _verifiedAutumn = moy >= FarmCalendar.AutumnHarvestMonth ? 0 : verifiedNow;
        // Fixed sales to grain-deficit villages rank with the city rations: when the granary cannot pay both, both
        // are cut in proportion.
        var fixedOwed = FixedSalesOwed(ctx);
        // Exports are not a hard claim: they go undelivered when the granary is short (below), and are not levied for.
        nat.EmergencyLevyKg = EmergencyLevyNow(ctx, owed + fixedOwed + _armyMonth, army);
        nat.StateGrainStockKg += nat.EmergencyLevyKg;
        var paid = Math.Min(owed + fixedOwed, nat.StateGrainStockKg);
        var paidShare = owed + fixedOwed > 0 ? paid / (owed + fixedOwed) : 1;
        for (var p = 0; p < urban.Count; p++) urban.EatenKg[p] = urban.RationKg[p] * paidShare;
        nat.UrbanRationKg = owed;
        nat.UrbanEatenKg = owed * paidShare;
        nat.StateGrainStockKg -= owed * paidShare;
        nat.ResoldKg = PayFixedSales(ctx, paidShare);
        // What was paid is at most the stock; summed village by village it can exceed it by a rounding error
        // (1e-9 kg), which must not leave the granary below zero.
        nat.StateGrainStockKg = Math.Max(0, nat.StateGrainStockKg - nat.ResoldKg);
        var ex = Math.Min(exports, nat.StateGrainStockKg);
        nat.ExportsKg = ex;
        nat.StateGrainStockKg -= ex;
        var loss = nat.StateGrainStockKg * _loss;
        nat.StateLossKg = loss;
        nat.StateGrainStockKg -= loss;

        var cityMonth = owed + fixedOwed + _armyMonth + exports;
        // Resales to villages short of food, limited by the free stock and by the centre's sight of the famine.
        var sight = Math.Max(ctx.Levers[_attention], 1 - _blindness * nat.ExcessPressure);
        var free = Math.Max(0, nat.StateGrainStockKg - _reserveMonths * cityMonth) * _release * sight;
        if (free <= 0) return;
        var monthsToHarvest = FarmCalendar.MonthsToFeed(ctx.Month.MonthOfYear);
        _month = (ctx.Units, monthsToHarvest, 0);
        Array.Clear(_partial);
        // The chunk bodies read the month's values from a field, so their delegates are made once, not every month.
        ctx.ForEachChunk(_sumDeficits ??= (c, a, b) =>
        {
            var (units, monthsToHarvest, _) = _month;
            double d = 0;
            var u = Avx.IsSupported && !OneUnitAtATime ? DeficitsFour(units, a, b, monthsToHarvest, ref d) : a;
            for (; u < b; u++) d += Deficit(units, u, monthsToHarvest) * _reach[u];
            _partial[c] = d;
        });
        double totalDeficit = 0;
        foreach (var d in _partial) totalDeficit += d;
        if (totalDeficit <= 0) return;
        _month.Share = Math.Min(1, free / totalDeficit);
        Array.Clear(_partial);
        ctx.ForEachChunk(_resell ??= (c, a, b) =>
        {
            var (units, monthsToHarvest, share) = _month;
            double sold = 0;
            var u = Avx.IsSupported && !OneUnitAtATime ? ResellFour(units, a, b, monthsToHarvest, share, ref sold) : a;
            for (; u < b; u++)
            {
                var deficit = Deficit(units, u, monthsToHarvest);
                var give = deficit * _reach[u] * share; // reach and share are at most 1: never more than the deficit
                units.ResoldKg[u] += (float)give;
                units.GrainStockKg[u] += (float)give;
                sold += give;
            }
            _partial[c] = sold;
        });
        double resold = 0;
        foreach (var s in _partial) resold += s;
        nat.ResoldKg += resold;
        nat.StateGrainStockKg = Math.Max(0, nat.StateGrainStockKg - resold); // a rounding error, as for the fixed sales
    }

    /// <summary>
    /// The emergency levy (May-June 1960 transfers, mechanisms.md §h): the urban ration is a hard constraint on
    /// procurement, so when the state's stock cannot pay this month's city rations, fixed sales and army, or cannot cover them for
    /// emergency_stock_months more, counting the quota still owed when next month collects it, the
    /// centre takes what is missing from the villages at once, as a share of their stocks up to a ceiling, whatever
    /// their retention floor. Returns the kg levied (added to each unit's procurement).
    /// </summary>
    private double EmergencyLevyNow(SimContext ctx, double cityMonth, double armyPaid)
    {
        var nat = ctx.World.National;
        var moy = ctx.Month.MonthOfYear;
        var stock = nat.StateGrainStockKg;
        // This month's bill still to pay (the army has been paid from the stock already).
        var thisMonth = cityMonth - armyPaid;
        var shortNow = thisMonth - stock;
        var shortAhead = thisMonth + _emergencyMonths * cityMonth - stock;
        if (shortNow <= 0 && shortAhead <= 0) return 0;
        var (villageStock, quotaOwed) = VillageStockAndQuota(ctx);
        if (FarmCalendar.IsProcurementMonth(moy % 12 + 1)) shortAhead -= quotaOwed;
        var share = EmergencyLevy(Math.Max(shortNow, shortAhead), villageStock, _levy);
        if (share <= 0) return 0;
        _levyMonth = (ctx.Units, share);
        Array.Clear(_partial);
        ctx.ForEachChunk(_takeLevy!);
        double total = 0;
        foreach (var t in _partial) total += t;
        nat.ProcuredKg += total;
        return total;
    }

    private (World.RuralUnits Units, double Share) _levyMonth;
    private Action<int, int, int>? _takeLevy;

    private void TakeLevy(int c, int a, int b)
    {
        var (units, share) = _levyMonth;
        double taken = 0;
        for (var u = a; u < b; u++)
        {
            var take = (float)(share * units.GrainStockKg[u]);
            units.GrainStockKg[u] -= take;
            units.ProcuredKg[u] += take;
            taken += take;
        }
        _partial[c] = taken;
    }

    /// <summary>
    /// Share of village stocks the centre levies in an emergency: what the cities miss over the villages' stocks, at
    /// most <paramref name="ceiling"/>.
    /// </summary>
    public static double EmergencyLevy(double missingKg, double villageStockKg, double ceiling) =>
        missingKg <= 0 || villageStockKg <= 0 ? 0 : Math.Min(ceiling, missingKg / villageStockKg);

    private void SumStocksAndQuotas(int c, int a, int b)
    {
        var units = _units!;
        double s = 0, q = 0;
        for (var u = a; u < b; u++) { s += units.GrainStockKg[u]; q += units.QuotaKg[u]; }
        _partial[c] = s;
        _partialQuota[c] = q;
    }

    private (double Stock, double QuotaOwed) VillageStockAndQuota(SimContext ctx)
    {
        _units = ctx.Units;
        Array.Clear(_partial);
        Array.Clear(_partialQuota);
        ctx.ForEachChunk(_sumStocks!);
        double stock = 0, quota = 0;
        foreach (var s in _partial) stock += s;
        foreach (var q in _partialQuota) quota += q;
        return (stock, quota);
    }

    /// <summary>
    /// A village's fixed sale for a month (kg): what its people need beyond the yearly crop the centre believes it has
    /// (<paramref name="cropKg"/>: the caller passes <see cref="BelievedCrop"/>), after seed and feed, never negative;
    /// <paramref name="reportedOverTrue"/> scales the crop (1 when the crop passed is already as reported).
    /// </summary>
    public static double FixedSale(double persons, double needKgMonth, double cropKg, double seedAndFeedShare, double reportedOverTrue = 1) =>
        Math.Max(0, persons * needKgMonth - cropKg * reportedOverTrue * (1 - seedAndFeedShare) / 12);

    /// <summary>
    /// The crop the centre believes a village has, for its fixed sales (kg a year): the village's latest summer and
    /// latest autumn reports (from the harvest month on, this season's), each less the share of its inflation that
    /// verification strips — which, as in Procurement, strips only reports made in an earlier year (the Lushan
    /// verification revised the 1958 figures), so the caller passes 0 for a report of this year. A village whose crop
    /// failed is sold more from that harvest on, and one that inflated its reports is sold less. A season the village
    /// has not yet reported (a report of 0: before the run's first harvest of that season) counts at its normal crop
    /// (the 1957 crop of the season at the unit's yield level, Farming) as its reports would inflate it.
    /// </summary>
    public static double BelievedCrop(double summerReportKg, double summerTruthKg, double autumnReportKg, double autumnTruthKg,
        double normalCropKg, double summerShare, double verifiedSummer, double verifiedAutumn, double reportedOverTrue) =>
        (summerReportKg > 0 ? Procurement.VerifiedReport(summerReportKg, summerTruthKg, verifiedSummer) : normalCropKg * summerShare * reportedOverTrue)
        + (autumnReportKg > 0 ? Procurement.VerifiedReport(autumnReportKg, autumnTruthKg, verifiedAutumn) : normalCropKg * (1 - summerShare) * reportedOverTrue);

    private double FixedSale(World.RuralUnits units, int u, double pressure) =>
        FixedSale(units.Persons[u], _need,
            BelievedCrop(units.SummerReportKg[u], units.SummerTruthKg[u], units.AutumnReportKg[u], units.AutumnTruthKg[u],
                units.BaseOutputKg[u] * units.YieldLevel[u], _summerShare, _verifiedSummer, _verifiedAutumn, Reporting.Reported(1, units.Zeal[u], pressure, _inflation)),
            _seedAndFeed);

    /// <summary>For tests: the fixed sales one unit at a time, as machines without AVX compute them.</summary>
    internal bool OneUnitAtATime { get; set; }

    /// <summary>
    /// <see cref="FixedSale(World.RuralUnits, int, double)"/> of units <paramref name="a"/> onwards, four at a time, into
    /// the resale column, and their sum (of the stored floats, in unit order) into <paramref name="owed"/>: the same
    /// operations in the same order and precision, so the same bits. Returns the first unit not done.
    /// </summary>
    // Mirrors, lane by lane, FixedSale, BelievedCrop, Reporting.Reported and Procurement.VerifiedReport: a change there
    // must be made here too (the *FourAtATimeTests compare the two bit for bit).
    private int FixedSalesFour(World.RuralUnits units, int a, int b, double pressure, ref double owed)
    {
        var zero = Vector256<double>.Zero;
        var one = Vector256<double>.One;
        var need = Vector256.Create(_need);
        var inflation = Vector256.Create(_inflation);
        var pressureV = Vector256.Create(pressure);
        var summerShare = Vector256.Create(_summerShare);
        var autumnShare = Vector256.Create(1 - _summerShare);
        var verifiedSummer = Vector256.Create(Math.Clamp(_verifiedSummer, 0, 1));
        var verifiedAutumn = Vector256.Create(Math.Clamp(_verifiedAutumn, 0, 1));
        var kept = Vector256.Create(1 - _seedAndFeed);
        var twelve = Vector256.Create(12.0);
        // The sum in a local for the loop, written back at the end: added through the ref parameter, every addition
        // was a store to memory and a reload (a chain of store-to-load forwards), not a register.
        var owedSum = owed;
        var u = a;
        for (; u + 4 <= b; u += 4)
        {
            // Reporting.Reported(1, zeal, pressure, inflation), BelievedCrop and Procurement.VerifiedReport as written.
            var reportedOverTrue = one * (one + inflation * Wide(Load(units.Zeal, u)) * pressureV);
            var normal = Wide(Load(units.BaseOutputKg, u) * Load(units.YieldLevel, u));
            var summerReport = Wide(Load(units.SummerReportKg, u));
            var autumnReport = Wide(Load(units.AutumnReportKg, u));
            var summer = Vector256.ConditionalSelect(Vector256.GreaterThan(summerReport, zero),
                summerReport - verifiedSummer * Vector256.Max(zero, summerReport - Wide(Load(units.SummerTruthKg, u))),
                normal * summerShare * reportedOverTrue);
            var autumn = Vector256.ConditionalSelect(Vector256.GreaterThan(autumnReport, zero),
                autumnReport - verifiedAutumn * Vector256.Max(zero, autumnReport - Wide(Load(units.AutumnTruthKg, u))),
                normal * autumnShare * reportedOverTrue);
            var crop = summer + autumn;
            var sale = Narrow(Vector256.Max(zero, Wide(Load(units.Persons, u)) * need - crop * one * kept / twelve));
            Store(units.ResoldKg, u, sale);
            AddInOrder(ref owedSum, Wide(sale));
        }
        owed = owedSum;
        return u;
    }

    private double FixedSalesOwed(SimContext ctx)
    {
        _fixedSalesMonth = (ctx.Units, ctx.World.National.ExcessPressure, 0);
        Array.Clear(_partial);
        ctx.ForEachChunk(_sumFixedSales ??= (c, a, b) =>
        {
            var (units, pressure, _) = _fixedSalesMonth;
            double owed = 0;
            var first = Avx.IsSupported && !OneUnitAtATime ? FixedSalesFour(units, a, b, pressure, ref owed) : a;
            for (var u = first; u < b; u++)
            {
                // Kept in the resale column until PayFixedSales scales it to what is paid: the sale is computed once
                // a month, and the second pass reads one column instead of the eight the sale depends on.
                units.ResoldKg[u] = (float)FixedSale(units, u, pressure);
                owed += units.ResoldKg[u]; // the stored value, so that what PayFixedSales pays adds up to the bill
            }
            _partial[c] = owed;
        });
        double total = 0;
        foreach (var o in _partial) total += o;
        return total * _fixedSales;
    }

    private double PayFixedSales(SimContext ctx, double paidShare)
    {
        _fixedSalesMonth = (ctx.Units, ctx.World.National.ExcessPressure, paidShare * _fixedSales);
        Array.Clear(_partial);
        ctx.ForEachChunk(_payFixedSales ??= (c, a, b) =>
        {
            var (units, _, scale) = _fixedSalesMonth;
            double sold = 0;
            var u = a;
            if (Avx.IsSupported && !OneUnitAtATime)
                for (var scaleV = Vector256.Create(scale); u + 4 <= b; u += 4)
                {
                    var give = Wide(Load(units.ResoldKg, u)) * scaleV;
                    var giveF = Narrow(give);
                    Store(units.ResoldKg, u, giveF);
                    Store(units.GrainStockKg, u, Load(units.GrainStockKg, u) + giveF);
                    AddInOrder(ref sold, give);
                }
            for (; u < b; u++)
            {
                var give = units.ResoldKg[u] * scale; // this month's fixed sale, left there by FixedSalesOwed
                units.ResoldKg[u] = (float)give;
                units.GrainStockKg[u] += (float)give;
                sold += give;
            }
            _partial[c] = sold;
        });
        double total = 0;
        foreach (var o in _partial) total += o;
        return total;
    }

    /// <summary>
    /// The sum of <see cref="Deficit"/> × reach over units <paramref name="a"/> onwards, four at a time, added to
    /// <paramref name="sum"/> in unit order: the same operations, the same bits. Returns the first unit not done.
    /// </summary>
    // Mirrors Deficit and the scalar loop of the resales' first pass: a change there must be made here too
    // (StateGrainFourAtATimeTests compare the two bit for bit).
    private int DeficitsFour(World.RuralUnits units, int a, int b, int months, ref double sum)
    {
        var needForMonths = Vector256.Create(_need * months);
        // The sum in a local for the loop (through the ref, each addition would be a store and a reload).
        var total = sum;
        var u = a;
        for (; u + 4 <= b; u += 4)
        {
            AddInOrder(ref total, DeficitFour(units, u, needForMonths, Load(units.GrainStockKg, u)) * Vector256.LoadUnsafe(ref _reach[u]));
        }
        sum = total;
        return u;
    }

    /// <summary>
    /// The resales' second pass for units <paramref name="a"/> onwards, four at a time: each unit's deficit × reach ×
    /// <paramref name="share"/> added to its resales and its stock, and summed into <paramref name="sold"/> in unit
    /// order; the same operations, the same bits. Returns the first unit not done.
    /// </summary>
    // Mirrors Deficit and the scalar loop of the resales' second pass: a change there must be made here too.
    private int ResellFour(World.RuralUnits units, int a, int b, int months, double share, ref double sold)
    {
        var needForMonths = Vector256.Create(_need * months);
        var shareV = Vector256.Create(share);
        var total = sold;
        var u = a;
        for (; u + 4 <= b; u += 4)
        {
            var stock = Load(units.GrainStockKg, u);
            var give = DeficitFour(units, u, needForMonths, stock) * Vector256.LoadUnsafe(ref _reach[u]) * shareV;
            var giveF = Narrow(give);
            Store(units.ResoldKg, u, Load(units.ResoldKg, u) + giveF);
            Store(units.GrainStockKg, u, stock + giveF);
            AddInOrder(ref total, give);
        }
        sold = total;
        return u;
    }

    /// <summary><see cref="Deficit"/> of the four units from <paramref name="u"/>, whose stocks are <paramref name="stock"/>: the same operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> DeficitFour(World.RuralUnits units, int u, Vector256<double> needForMonths, Vector128<float> stock) =>
        Vector256.Max(Vector256<double>.Zero, needForMonths * Wide(Load(units.Persons, u)) - Wide(stock));

    /// <summary>How far the state's resales reach each unit: 1 / (1 + distance / relief_half_reach_km).</summary>
    private double[] _reach = [];

    private double Deficit(World.RuralUnits units, int u, int months) =>
        Math.Max(0, _need * months * units.Persons[u] - units.GrainStockKg[u]);
}
