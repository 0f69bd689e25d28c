using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LeapSim.Core.Engine;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using static LeapSim.Core.Numerics.FourUnits;

namespace LeapSim.Core.Modules;

/// <summary>
/// Labour allocation: each unit divides its working-age people (15-59) among the fields, backyard furnaces and
/// water-control works. Backyard labour answers the steel plan: the centre's monthly steel gap (the year's target
/// less what modern industry and the furnaces have made, spread over the months left) divided by the furnaces' output
/// per worker-month (which rises as the furnaces are consolidated in 1959, mechanisms.md §f), shared out in
/// proportion to working people and cadre zeal, capped by a share of the workforce (mechanisms.md §f). Water-works
/// labour answers the winter campaigns (Oct-Mar only: the farm calendar leaves winter labour idle, mechanisms.md §c):
/// a share of the workforce scaled by the campaign, political pressure and zeal. Field labour is what remains; the
/// farm calendar says how much each month needs.
/// </summary>
public sealed class LabourAllocation : ModuleBase
{
    public override string Name => "labour";
    public override string Summary => "Working people split among fields, backyard furnaces and water works";
    public override IReadOnlyList<string> Reads => ["cohorts", "zeal", "levers backyard_steel.*, water_works.*, steel_plan.*", "national: steel made so far, pressure"];
    public override IReadOnlyList<string> Writes => ["labour_farming", "labour_backyard", "labour_water_works", "national: backyard workers"];

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("furnace_output_t_per_worker_month", "t per worker-month", 0.028, 0.005, 0.2, "calibrated (mechanisms.md §f gives 0.1-0.3 [M], far above what 1958's furnaces reached)", "iron and steel a backyard worker makes in a month"),
        P("max_backyard_share", "share of working people", 0.35, 0, 0.9, "assumption: Hubei sent 5-6 M of its people to the furnaces, 'only the old, women and children remained' (mechanisms.md §c)", "most of a unit's workforce the furnaces can take"),
        P("water_works_share", "share of working people at campaign 1", 0.14, 0.02, 0.6, "calibrated", "share of the workforce a full winter campaign sends to water works at pressure 1 and zeal 1"),
        P("max_water_works_share", "share of working people", 0.6, 0, 0.9, "assumption", "most of a unit's workforce water works can take"),
    ];

    public override IReadOnlyList<PolicyInfo> Policies =>
    [
        new("backyard_steel", "The mass steel campaign: backyard furnaces in every unit", "DIGEST; timeline.md (Beidaihe, Aug 1958)",
        [
            new PolicySetting("campaign", "0-1", 0, 0, 1, "how fully units answer the steel gap with furnaces (0 = no furnaces)"),
            new PolicySetting("usable_share", "share", 0.3, 0, 1, "share of backyard steel fit for use (mechanisms.md §f: 0.2-0.5 in 1958, ~0.8 by late 1959)"),
            new PolicySetting("productivity", "multiplier", 1, 0.1, 5, "output per worker-month relative to the native furnaces of 1958 (mechanisms.md §f, Hongqi 1960 no. 1: by October 1959 the consolidated small blast furnaces made iron at a cost 40 % below the fourth quarter of 1958, so about 1/0.6 of its output per worker)"),
        ]),
        new("steel_plan", "The year's national steel target", "mechanisms.md §f; timeline.md",
        [
            new PolicySetting("target_mt", "Mt a year", 5.35, 0, 100, "the centre's steel target for the current year"),
        ]),
        new("water_works", "Winter campaigns of irrigation and water-control works", "DIGEST; timeline.md",
        [
            new PolicySetting("campaign", "0-1.5", 0.3, 0, 1.5, "intensity of the winter water-works campaign"),
        ]),
    ];

    private int _backyard, _target, _water, _productivity;
    private double _furnace, _maxBackyard, _waterShare, _maxWater;
    private double[] _partial = [];

    public override void Initialise(SimContext ctx)
    {
        _backyard = ctx.Levers.Index("backyard_steel.campaign");
        _productivity = ctx.Levers.Index("backyard_steel.productivity");
        _target = ctx.Levers.Index("steel_plan.target_mt");
        _water = ctx.Levers.Index("water_works.campaign");
        _furnace = Value(ctx, "furnace_output_t_per_worker_month");
        _maxBackyard = Value(ctx, "max_backyard_share");
        _waterShare = Value(ctx, "water_works_share");
        _maxWater = Value(ctx, "max_water_works_share");
        _partial = new double[ctx.ChunkCount];
    }

    private World.RuralUnits? _units;
    private (double WeightTotal, double BackyardWorkers, double Water) _month;
    private Action<int, int, int>? _sumWeights, _allocate;

    /// <summary>For tests: allocate one unit at a time, as machines without AVX do.</summary>
    internal bool OneUnitAtATime { get; set; }

    /// <summary>
    /// The allocation loop for units <paramref name="a"/> onwards, four at a time, and the backyard workers stored (in
    /// unit order) into <paramref name="allocated"/>: the same operations in the same order and precision as the scalar
    /// loop, so the same bits. Returns the first unit not done.
    /// </summary>
    // Mirrors, lane by lane, the scalar loop's shares of backyard and water-works labour and the field-labour floor: a
    // change there must be made here too (the *FourAtATimeTests compare the two bit for bit).
    private int AllocateFour(RuralUnits units, int a, int b, double weightTotal, double backyardWorkers, double water, ref double allocated)
    {
        var zero = Vector256<double>.Zero;
        var maxBackyard = Vector256.Create(_maxBackyard);
        var maxWater = Vector256.Create(_maxWater);
        var backyard = Vector256.Create(backyardWorkers);
        var total = Vector256.Create(weightTotal);
        var waterV = Vector256.Create(water);
        // The sum in a local for the loop, written back at the end: added through the ref parameter, every addition
        // was a store to memory and a reload (a chain of store-to-load forwards), not a register.
        var allocatedSum = allocated;
        var u = a;
        for (; u + 4 <= b; u += 4)
        {
            var workers = Wide(Load(units.Workers, u));
            var zeal = Wide(Load(units.Zeal, u));
            var by = weightTotal > 0 ? Vector256.Min(maxBackyard * workers, backyard * workers * zeal / total) : zero;
            var ww = Vector256.Min(maxWater, waterV * zeal) * workers;
            ww = Vector256.ConditionalSelect(Vector256.GreaterThan(by + ww, workers), workers - by, ww);
            var byF = Narrow(by);
            Store(units.LabourBackyard, u, byF);
            Store(units.LabourWaterWorks, u, Narrow(ww));
            Store(units.LabourFarming, u, Narrow(workers - by - ww));
            AddInOrder(ref allocatedSum, Wide(byF));
        }
        allocated = allocatedSum;
        return u;
    }

    public override void Step(SimContext ctx)
    {
        var nat = ctx.World.National;
        var units = ctx.Units;
        _units = units;
        var moy = ctx.Month.MonthOfYear;

        // A new plan year: nothing made yet (labour runs before industry, so the reset belongs here).
        if (moy == 1) nat.SteelMadeThisYearT = 0;
        // The steel gap the furnaces are asked to close this month (national), as workers needed.
        double backyardWorkers = 0;
        var campaign = ctx.Levers[_backyard];
        if (campaign > 0)
        {
            var monthsLeft = 13 - moy;
            var gapT = Math.Max(0, ctx.Levers[_target] * 1e6 * ctx.World.NationalShare - nat.SteelMadeThisYearT) / monthsLeft;
            backyardWorkers = campaign * gapT / (_furnace * ctx.Levers[_productivity]);
        }

        var winter = moy is >= 10 or <= 3;
        var water = winter ? ctx.Levers[_water] * _waterShare * nat.Pressure : 0; // campaigns mobilise in proportion to the whole climate, 1957 included
        // Backyard labour is shared out in proportion to working people × zeal.
        var partial = _partial;
        Array.Clear(partial);
        // The chunk bodies read the month's values from a field, so their delegates are made once, not every month.
        if (backyardWorkers > 0)
            ctx.ForEachChunk(_sumWeights ??= (c, a, b) =>
            {
                var units = _units!;
                double w = 0;
                for (var u = a; u < b; u++) w += units.Workers[u] * units.Zeal[u];
                _partial[c] = w;
            });
        double weightTotal = 0;
        foreach (var w in partial) weightTotal += w;
        Array.Clear(partial);
        _month = (weightTotal, backyardWorkers, water);
        ctx.ForEachChunk(_allocate ??= (c, a, b) =>
        {
            var (units, partial) = (_units!, _partial);
            var (weightTotal, backyardWorkers, water) = _month;
            double allocated = 0;
            var first = Avx.IsSupported && !OneUnitAtATime ? AllocateFour(units, a, b, weightTotal, backyardWorkers, water, ref allocated) : a;
            for (var u = first; u < b; u++)
            {
                var workers = (double)units.Workers[u];
                var zeal = units.Zeal[u];
                var by = weightTotal > 0 ? Math.Min(_maxBackyard * workers, backyardWorkers * workers * zeal / weightTotal) : 0;
                var ww = Math.Min(_maxWater, water * zeal) * workers;
                if (by + ww > workers) ww = workers - by;
                units.LabourBackyard[u] = (float)by;
                units.LabourWaterWorks[u] = (float)ww;
                units.LabourFarming[u] = (float)(workers - by - ww);
                allocated += units.LabourBackyard[u];
            }
            partial[c] = allocated;
        });
        // The furnaces' workforce, for industry's backyard steel (chunk sums in chunk order: any thread count).
        double total = 0;
        foreach (var x in partial) total += x;
        nat.BackyardWorkers = total;
    }
}
