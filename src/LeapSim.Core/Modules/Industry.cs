using LeapSim.Core.Engine;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;

namespace LeapSim.Core.Modules;

/// <summary>
/// Industry. Modern (state) industry produces with capacity and labour, Y = capacity × (1 − wear) × utilisation ×
/// (workers / 1957 workers)^β × raw materials × Soviet support × food (DIGEST, mechanisms.md §g):
/// - capacity grows with investment: the first-plan plants keep coming on line, faster while the Leap's investment
///   drive lasts, slower in the retrenchment; closing loss-making plants (1961) removes capacity;
/// - "politics in command" pushes utilisation above normal under pressure, and overwork wears machines out, wear
///   that takes years to repair (DIGEST: mines and factories kept expanding through 1960, overwork);
/// - from August 1960 the Soviet specialists leave and spare parts stop: the share of capacity that depends on them
///   runs down over the following months (mechanisms.md §g: 250+ enterprises halted);
/// - light industry works up agricultural raw materials: a share of output follows last year's farm output;
/// - hungry workers produce less (city intake).
/// Steel: modern steel follows capacity, wear, overwork and Soviet support (steel plants are capital-bound, so the
/// raw recruits, raw materials and food do not enter), raised during the steel campaign by the priority given to
/// steel, and what they make beyond their normal output (overwork, the campaign's priority) is partly off-grade;
/// backyard furnaces make iron and steel from labour (labour module), of which only a share is usable. The industrial output index counts
/// modern output and the backyard's usable steel valued like modern steel.
/// </summary>
public sealed class Industry : ModuleBase
{
    public override string Name => "industry";
    public override string Summary => "Modern industry (capacity, labour, wear, Soviet aid, raw materials) and backyard steel";
    public override IReadOnlyList<string> Reads => ["national: backyard workers, industrial workers, pressure", "urban intake", "levers industry_plan.*, soviet_aid.*, backyard_steel.usable_share, backyard_steel.productivity"];
    public override IReadOnlyList<string> Writes => ["national: capacity, wear, modern and backyard output, steel, industrial output points"];

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("base_growth", "share per year", 0.10, 0, 0.4, "assumption: first-plan capacity growth (DIGEST: 6 % a year growth of the economy 1952-57, industry faster)", "capacity growth with the first plan's investment"),
        P("leap_investment_growth", "share per year at full drive", 0.25, 0, 1, "calibrated", "extra capacity growth while the Leap's investment drive runs"),
        P("labour_elasticity", "elasticity", 0.3, 0.1, 0.9, "assumption: the 1958 recruits were raw peasants, so added labour raises output less than the Cobb-Douglas labour share of ~0.5 would", "output elasticity of industrial labour"),
        P("overwork_gain", "share of output at pressure 1", 0.25, 0, 1, "assumption, set by hand and not fitted; DIGEST: politics in command, overwork", "extra utilisation squeezed out under pressure"),
        P("wear_rate", "share of capacity per year of overwork", 0.6, 0, 3, "assumption, set by hand and not fitted", "wear from running machines above normal"),
        P("repair_rate", "share of wear per year", 0.25, 0, 2, "assumption", "share of wear repaired each year"),
        P("soviet_dependence", "share of capacity", 0.25, 0, 0.8, "calibrated (mechanisms.md §g: 250+ enterprises halted; 201 of 304 aid projects unfinished)", "capacity that needs Soviet parts and specialists"),
        P("soviet_rundown_months", "months", 8, 1, 36, "assumption: stocks of spare parts last some months", "how long it takes for the loss of Soviet support to bite fully"),
        P("raw_material_share", "share of output", 0.35, 0, 0.8, "assumption [M]: light industry working up cotton, oilseeds, sugar, tobacco", "share of industrial output that needs farm raw materials"),
        P("food_effect", "share of output per unit of intake shortfall", 0.5, 0, 2, "assumption", "output lost per unit of city food shortfall below 95 % of need"),
        P("food_tolerance", "share of need", 0.95, 0.5, 1, "assumption: a small shortfall does not show in factory output", "city intake (share of need) below which output suffers"),
        P("steel_value_share", "share of 1957 industrial output", 0.1, 0.01, 0.5, "assumption [M]: steel's share of gross industrial output value", "weight of usable backyard steel in the industrial index"),
        P("steel_share_boost", "multiplier at campaign 1", 0.35, 0, 2, "assumption: 'stop and give way to steel' (timeline.md Sep 1958)", "extra modern steel made during the steel campaign (coal, power and transport given to steel first)"),
        P("rushed_steel_usable_share", "share", 0.5, 0, 1, "calibrated (how much was off-grade is not documented): steel squeezed out of plants run above their normal output under pressure and in the campaign ('stop and give way to steel', timeline.md Sep 1958) was often off-grade (DIGEST: steel made against steel usable)", "usable share of the modern steel made beyond the plants' normal output"),
        P("steel_1957_mt", "Mt", 5.355, 1, 20, "national_1957.csv (weak source)", "modern steel output of 1957"),
        P("agriculture_weight", "share of national output", 0.45, 0.2, 0.8, "assumption [M]: agriculture's share of 1957 national income", "weight of agriculture in the national output index"),
        P("retrenchment_closure", "share of capacity", 0.3, 0, 0.9, "calibrated (DIGEST: loss-making plants closed in 1961)", "capacity closed by the retrenchment"),
    ];

    public override IReadOnlyList<PolicyInfo> Policies =>
    [
        new("industry_plan", "The Leap's investment drive and the retrenchment", "DIGEST; timeline.md",
        [
            new PolicySetting("investment_drive", "0-1", 0, 0, 1.5, "intensity of the Leap's investment in new capacity"),
            new PolicySetting("retrenchment", "0-1", 0, 0, 1, "share of the retrenchment's plant closures carried out"),
        ]),
        new("soviet_aid", "Soviet specialists and spare parts", "DIGEST; mechanisms.md §g",
        [
            new PolicySetting("present", "0-1", 1, 0, 1, "1 = specialists and parts as before; 0 = withdrawn"),
        ]),
    ];

    private int _drive, _retrench, _soviet, _backyardCampaign, _usable, _backyardProductivity;
    private double _rushedUsable;
    private double _g0, _gLeap, _beta, _overwork, _wear, _repair, _dep, _rundown, _raw, _foodEffect, _steelBoost, _steel57, _closure;
    private double _workers0;
    private double _needKcal, _furnace, _agriWeight, _foodTolerance, _steelValue;

    public override void Initialise(SimContext ctx)
    {
        _drive = ctx.Levers.Index("industry_plan.investment_drive");
        _retrench = ctx.Levers.Index("industry_plan.retrenchment");
        _soviet = ctx.Levers.Index("soviet_aid.present");
        _backyardCampaign = ctx.Levers.Index("backyard_steel.campaign");
        _usable = ctx.Levers.Index("backyard_steel.usable_share");
        _backyardProductivity = ctx.Levers.Index("backyard_steel.productivity");
        _g0 = Value(ctx, "base_growth");
        _gLeap = Value(ctx, "leap_investment_growth");
        _beta = Value(ctx, "labour_elasticity");
        _overwork = Value(ctx, "overwork_gain");
        _rushedUsable = Value(ctx, "rushed_steel_usable_share");
        _wear = Value(ctx, "wear_rate");
        _repair = Value(ctx, "repair_rate");
        _dep = Value(ctx, "soviet_dependence");
        _rundown = Value(ctx, "soviet_rundown_months");
        _raw = Value(ctx, "raw_material_share");
        _foodEffect = Value(ctx, "food_effect");
        _steelBoost = Value(ctx, "steel_share_boost");
        _steel57 = Value(ctx, "steel_1957_mt") * ctx.World.NationalShare;
        _closure = Value(ctx, "retrenchment_closure");
        _needKcal = ctx.Parameters["consumption.need_kcal"];
        _furnace = ctx.Parameters["labour.furnace_output_t_per_worker_month"];
        _agriWeight = Value(ctx, "agriculture_weight");
        _foodTolerance = Value(ctx, "food_tolerance");
        _steelValue = Value(ctx, "steel_value_share");
        _workers0 = ctx.Parameters["migration.initial_industrial_workers"] * ctx.World.NationalShare;
        var n = ctx.World.National;
        n.IndustrialCapacity = 1;
        n.IndustrialWear = 0;
        n.SovietSupport = 1;
        n.CapacityClosed = 0;
        Array.Fill(n.AgriculturalPointsLast12, 100.0 / 12);
    }

    public override void Step(SimContext ctx)
    {
        var n = ctx.World.National;

        // Capacity: growth from investment; closures as the retrenchment is carried out.
        var growth = (_g0 + _gLeap * ctx.Levers[_drive]) / 12;
        n.IndustrialCapacity *= 1 + growth;
        var closeTarget = _closure * ctx.Levers[_retrench];
        if (closeTarget > n.CapacityClosed)
        {
            n.IndustrialCapacity *= (1 - closeTarget) / (1 - n.CapacityClosed);
            n.CapacityClosed = closeTarget;
        }

        // Overwork under pressure lifts output now and wears machines for later.
        var overwork = _overwork * n.ExcessPressure;
        n.IndustrialWear = Math.Clamp(n.IndustrialWear + _wear * overwork / 12 - _repair * n.IndustrialWear / 12, 0, 0.9);

        // Soviet support runs down over some months once withdrawn (and back up if restored).
        n.SovietSupport += (ctx.Levers[_soviet] - n.SovietSupport) / _rundown;
        var sovietFactor = 1 - _dep * (1 - n.SovietSupport);

        // Raw materials: last twelve months of farm output against 1957.
        double agriLast12 = 0;
        foreach (var x in n.AgriculturalPointsLast12) agriLast12 += x;
        var rawFactor = (1 - _raw) + _raw * agriLast12 / 100;
        // Food: city workers' intake against need.
        double urbanPop = 0, intakeWeighted = 0;
        var urban = ctx.World.Urban;
        for (var p = 0; p < urban.Count; p++) { var pop = urban.Population(p); urbanPop += pop; intakeWeighted += pop * urban.IntakeKcal[p]; }
        var intake = urbanPop > 0 ? intakeWeighted / urbanPop : _needKcal;
        var foodFactor = Math.Max(0.3, 1 - _foodEffect * Math.Max(0, _foodTolerance - intake / _needKcal));

        var labourFactor = Math.Pow(Math.Max(0.05, n.IndustrialWorkers / _workers0), _beta);
        var modern = n.IndustrialCapacity * (1 - n.IndustrialWear) * (1 + overwork) * labourFactor * rawFactor * sovietFactor * foodFactor;
        n.ModernIndustryOutput = modern;

        // Steel: modern steel follows heavy industry (no raw-material or food drag on the steel share), with priority
        // during the campaign; backyard steel from furnace labour.
        var campaign = ctx.Levers[_backyardCampaign];
        // Steel plants are capital-bound: output follows capacity, overwork and Soviet support, not the raw recruits.
        var steelModern = _steel57 * 1e6 / 12 * n.IndustrialCapacity * (1 - n.IndustrialWear) * (1 + overwork) * sovietFactor * (1 + _steelBoost * campaign);
        var steelBackyard = n.BackyardWorkers * _furnace * ctx.Levers[_backyardProductivity];
        n.SteelModernT = steelModern;
        // What the plants make beyond their normal output (overwork, the campaign's priority) is partly off-grade.
        var normalSteel = steelModern / ((1 + overwork) * (1 + _steelBoost * campaign));
        n.SteelModernUsableT = normalSteel + _rushedUsable * (steelModern - normalSteel);
        n.SteelBackyardT = steelBackyard;
        n.SteelBackyardUsableT = steelBackyard * ctx.Levers[_usable];
        n.SteelMadeThisYearT += steelModern + steelBackyard;
        // Backyard output enters industry at the value of usable steel relative to 1957's whole industry, at the
        // 1957 ratio of steel to gross industrial output (industry.steel_value_share).
        var backyardPoints = n.SteelBackyardUsableT / (_steel57 * 1e6) * _steelValue * 100;
        n.BackyardIndustryOutput = backyardPoints;
        n.IndustrialOutputPoints = 100.0 / 12 * modern + backyardPoints;
        // National output: agriculture and the rest of the economy (which moves with industry) at 1957 weights.
        n.NationalOutputPoints = _agriWeight * n.AgriculturalOutputPoints + (1 - _agriWeight) * n.IndustrialOutputPoints;

        // Keep the rolling year of agricultural output for next month's raw materials.
        n.AgriculturalPointsLast12[ctx.Month.MonthOfYear - 1] = n.AgriculturalOutputPoints;
    }
}
