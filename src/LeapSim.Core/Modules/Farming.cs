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
/// Farming: the harvest of each unit, relative to its 1957 output (mechanisms.md §c, after Li &amp; Yang 2005):
///   potential = base × season share × L^α × animals^γa × tools^γt × weather × yield trend × techniques
///               × (1 − soil damage) × (1 + water works) × (sown area)^β × collective land share,
/// where L is the crop's effective field labour over its growing season (wheat November-May, autumn crops
/// April-September) relative to 1957: field workers / the unit's 1957 working people × effort × nutrition, weighted
/// month by month by the farm calendar's labour need. Nutrition enters as work capacity
/// e(kcal) = f + (1 − f) × (kcal − k_f)/(full − k_f), between f and 1 (f = 0.3 at k_f = 1,200 kcal, mechanisms.md §c), relative to e at the normal
/// intake. In the harvest month the crop must be brought in: with too few hands part of it rots in the fields
/// (mechanisms.md §c: Hubei 1958). Seed (a share of the harvest) and feed (in proportion to the animals) are set
/// aside at harvest. Private plots yield every month on their share of the land, at a higher productivity (family
/// effort). Deep ploughing and close planting cut yields on the land they cover and leave soil damage that heals
/// slowly; water works add to yields when built with care and harm them (waterlogging, salinity) when rushed under
/// pressure (DIGEST: "badly built water-control works"). Furnaces melt tools; hunger and slaughter thin the animals.
/// The yield trend is each unit's yield level from the inputs of the plans (irrigation, fertiliser, seed): it grows by
/// (1 + yield_trend)^(capacity/12) a month, capacity being the farmers' relative work capacity (1 when fed), so the
/// yields of the plans' inputs grow only as fast as fed farmers apply them and stall in a famine (assumption [M]).
/// The private part of agricultural output is the grain of private plots and household farming plus the share of
/// livestock and sidelines (pigs, poultry, handicrafts sold at rural markets) in household hands: the communes took
/// them in 1958, and the Twelve and Sixty Articles gave them back (DIGEST: "private farming and trade").
/// The pig-raising campaign of late 1959-60 (DIGEST; Mao's letter on hog raising of 1959, "the entire country should
/// carry it out") fed collective sties from the commune's grain: each month a unit in a commune gives
/// campaign × pig_campaign_feed_kg per person of its stock to them (as feed), less in proportion when the stock does not
/// hold the people's need to the next harvest (the sties share the shortage; they do not eat the last grain first).
/// The herd still fell with the people's hunger (mechanisms.md §a), so the grain buys no animals here.
/// </summary>
public sealed class Farming : ModuleBase
{
    public override string Name => "farming";
    public override string Summary => "Harvests from labour, effort, nutrition, land, animals, tools, weather, techniques, soil and water works";
    public override IReadOnlyList<string> Reads => ["labour_*", "green_eaten", "individual_farming", "workers", "effort", "intake", "animals", "tools", "soil_damage", "water_works", "yield_level", "county weather factor", "persons", "commune_share", "levers techniques.*, sown_area.*, private_plots.*, household_sidelines.*, pig_campaign.*"];
    public override IReadOnlyList<string> Writes => ["harvest", "harvest_lost", "private_output", "seed", "feed", "grain_stock", "summer_labour", "autumn_labour", "animals", "tools", "soil_damage", "water_works", "yield_level", "national: agricultural output, its private part"];

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("labour_elasticity", "elasticity", 0.3, 0.1, 0.9, "mechanisms.md §c: α ≈ 0.3-0.4 [M]", "output elasticity of effective field labour"),
        P("land_elasticity", "elasticity", 0.45, 0.2, 1, "mechanisms.md §c: β ≈ 0.4-0.5 for sown area in the Li & Yang (2005) production function [M]", "output elasticity of the grain sown area: land taken out of grain leaves its labour, animals and manure on the land still sown"),
        P("animal_elasticity", "elasticity", 0.1, 0, 0.5, "mechanisms.md §c: capital (draught animals) in the production function [M]", "output elasticity of draught animals"),
        P("tool_elasticity", "elasticity", 0.08, 0, 0.5, "assumption: tools as capital [M]", "output elasticity of farm tools"),
        P("summer_share", "share of the year's grain", 0.3, 0.1, 0.6, "assumption: wheat and early rice are about a third of the crop [M]", "share of the year's grain in the summer harvest"),
        P("full_capacity_kcal", "kcal per person per day", 2400, 1500, 3500, "mechanisms.md §c", "intake at which work capacity is full"),
        P("work_capacity_floor", "share of full capacity", 0.3, 0, 1, "mechanisms.md §c [D]: e(kcal) falls linearly to ~0.3 at 1,200 kcal", "work capacity at the floor intake (and below it)"),
        P("work_capacity_floor_kcal", "kcal per person per day", 1200, 500, 1400, "mechanisms.md §c [D]: e(kcal) falls linearly to ~0.3 at 1,200 kcal", "intake at which work capacity reaches its floor"),
        P("normal_intake_kcal", "kcal per person per day", 2100, 1500, 3000, "mechanisms.md §a: an average rural person needs about 2,100 kcal", "intake of the 1957 reference, at which relative work capacity is 1"),
        P("harvest_labour_need", "share of working people", 0.85, 0.3, 1, "assumption: nearly all hands are needed in a harvest month", "field workers needed to bring the harvest in on time"),
        P("harvest_loss_elasticity", "elasticity", 0.6, 0, 2, "calibrated (mechanisms.md §c: the harvest loss, crop left in the fields, is the output channel of the labour diversion; its size is not documented)", "how fast the crop brought in falls when hands are short"),
        P("seed_rate", "share of harvest", 0.09, 0.03, 0.2, "mechanisms.md §a: seed 0.08-0.12 of unhusked output", "grain kept for seed"),
        P("feed_rate", "share of harvest at 1957 animals", 0.1, 0, 0.3, "mechanisms.md §a: feed + seed + industrial use ≈ 30 % of net holdings (Yang Jisheng)", "grain fed to animals"),
        P("private_productivity", "ratio to collective land", 1, 1, 6, "fitted, now fixed: every calibration from version 16 to 23 put it at its lower bound (1.0000-1.0007), so it is fixed at 1 and no longer fitted; the plots' higher output per hectare than collective land (mechanisms.md §d) comes in this model from family effort: plots are not subject to the collective's shirking (collectivisation's effort), so this factor adds nothing the fits wanted", "output per hectare of a private plot relative to collective land"),
        P("deep_plough_yield", "yield multiplier", 0.88, 0.6, 1, "mechanisms.md §c: 0.8-0.95 on affected land [M]", "yield on land deep-ploughed and close-planted"),
        P("soil_damage_rate", "share of yield per year", 0.06, 0, 0.3, "assumption [M]: lasting damage from deep ploughing", "soil damage added per year of deep ploughing on all land"),
        P("soil_recovery_rate", "share per year", 0.3, 0, 1, "assumption [M]", "share of soil damage that heals in a year"),
        P("water_works_gain", "yield share per worker-year", 0.06, 0, 0.3, "assumption [M]: well-built irrigation raises yields", "yield gain from a year of one worker per worker on careful water works"),
        P("rushed_works_harm", "yield share per worker-year at pressure 1", 0.12, 0, 0.5, "assumption, set by hand and not fitted; DIGEST: badly built water-control works", "yield harm from water works rushed under political pressure (above the 1957 level)"),
        P("water_works_decay", "share per year", 0.1, 0, 1, "assumption: works silt up and are repaired", "yearly decay of the water works' effect"),
        P("tool_melt_rate", "share of tools per month", 0.25, 0, 1, "assumption: household metal and tools melted (DIGEST, mechanisms.md §f)", "tools melted per month by a full backyard workforce"),
        P("tool_rebuild_rate", "share of the gap per month", 0.03, 0, 0.5, "assumption: small plants make tools again", "monthly recovery of tools toward the 1957 level"),
        P("animal_recovery_rate", "share of the gap per month", 0.02, 0, 0.5, "assumption: herds regrow over years", "monthly recovery of animals toward the 1957 level when people are fed"),
        P("animal_hunger_loss", "share per month at full deficit", 0.3, 0, 1, "assumption: the pig herd collapsed in 1959-61 (mechanisms.md §a) [M]", "animals lost per month per unit of food deficit"),
        P("animal_hunger_tolerance", "share of normal intake", 0.08, 0, 0.5, "assumption: herds are kept through ordinary lean months", "food deficit below which animals are not eaten or starved"),
        P("animal_floor", "index 1957 = 1", 0.05, 0, 0.5, "assumption: however hungry a village, a remnant of its draught animals and breeding stock is kept", "lowest the animal herd falls"),
        P("yield_trend", "share per year", 0.025, 0, 0.08, "assumption: grain output grew about 3 % a year in 1952-57 with more irrigation, fertiliser and area [M]", "yearly growth of yields from the inputs of the plans while the farmers are fed (slower as hunger cuts their work capacity)"),
        P("livestock_weight", "share of agricultural output", 0.2, 0, 0.5, "assumption [M]: livestock and sidelines in gross agricultural output", "weight of animals in the agricultural output index"),
        P("pig_campaign_feed_kg", "kg of grain per person a month at campaign 1", 0.5, 0, 3, "calibrated (DIGEST: a pig-raising campaign in late 1959-60; its feed is not documented; 3 kg, the top of the range, is about one pig per household fed on grain)", "grain a commune feeds to collective pigs each month, per member"),
    ];

    public override IReadOnlyList<PolicyInfo> Policies =>
    [
        new("techniques", "Deep ploughing and close planting", "DIGEST; mechanisms.md §c",
        [
            new PolicySetting("deep_ploughing", "share of land", 0, 0, 1, "share of the land deep-ploughed and close-planted"),
        ]),
        new("sown_area", "The grain sown area (the 1959 cut after the 1958 'surplus')", "mechanisms.md §c",
        [
            new PolicySetting("grain_factor", "multiplier", 1, 0.5, 1.2, "grain sown area relative to 1957"),
        ]),
        new("private_plots", "Private plots ('ten-side land') of the members", "mechanisms.md §d; timeline.md",
        [
            new PolicySetting("land_share", "share of land", 0.05, 0, 0.3, "share of the land farmed privately"),
        ]),
        new("pig_campaign", "The pig-raising campaign: collective sties fed from the commune's grain", "DIGEST (late 1959-60); Mao's letter on hog raising, 1959 (Selected Works vol. 8)",
        [
            new PolicySetting("campaign", "0-1", 0, 0, 1, "how fully communes feed grain to collective pigs (0 = none)"),
        ]),
        new("household_sidelines", "Livestock and sidelines kept by households and sold at rural markets", "DIGEST; timeline.md",
        [
            new PolicySetting("private_share", "share", 0.6, 0, 1, "share of livestock and sideline output in household hands (1957: most pigs and poultry were raised by households [M])"),
        ]),
    ];

    private int _deep, _area, _private, _sidelines, _pigCampaign;
    // Bounds shared by the scalar loop and StepFour (one definition, so that the two paths cannot drift apart).
    private const double MaxPrivateShare = 0.9;       // most of a unit's land farmed privately
    private const double MaxSoilDamage = 0.9;
    private const double WaterWorksLimit = 0.5;        // water works' effect on yields lies in [-0.5, 0.5]
    private const double WaterWorksYieldFloor = 0.2;   // the least yield multiplier water works leave
    private const double ToolsFloor = 0.05;
    private const double MaxAnimals = 1.2;             // herds, index 1957 = 1
    private const double SmallestInput = 1e-6;         // animals and tools before their powers (no power of 0)

    private double _alpha, _beta, _ga, _gt, _summer, _full, _capacityFloor, _capacityFloorKcal, _animalFloor, _normalIntake, _harvestNeed, _harvestElast, _seed, _feed, _privProd;
    private double _deepYield, _soilRate, _soilRecovery, _worksGain, _worksHarm, _worksDecay, _melt, _rebuild, _animalRecovery, _animalLoss, _livestockWeight;
    private double _greenEfficiency, _pigFeed, _needKgMonth;
    private double _baseShareNorm, _eNormal, _baseTotal, _animalTolerance, _trend, _logTrendMonth;
    private double[] _partial = [];

    /// <summary>
    /// The yield trend at a month for farmers always fed (1 on average over 1957): (1 + yearly trend)^(years since
    /// mid-1957). Each unit starts from its January 1957 value; its level then grows a month at a time by
    /// <see cref="YieldLevelGrowth"/>.
    /// </summary>
    public static double YieldTrend(int monthIndex, double yearlyTrend) => Math.Pow(1 + yearlyTrend, (monthIndex + 0.5) / 12.0 - 0.5);

    /// <summary>
    /// A month's growth factor of a unit's yield level: (1 + yearly trend)^(work capacity / 12), the yields of the plans'
    /// inputs growing only as fast as fed farmers can apply them (relative work capacity, 1 when fed). Computed as
    /// 1 + x + x²/2 + x³/6 of x = ln(1 + trend) × capacity / 12 (below 0.0066 a month, the error is under 1e-10).
    /// </summary>
    public static double YieldLevelGrowth(double logTrendPerMonth, double relativeCapacity)
    {
        var x = logTrendPerMonth * relativeCapacity;
        return 1 + x * (1 + x * (0.5 + x / 6));
    }

    public override void Initialise(SimContext ctx)
    {
        _deep = ctx.Levers.Index("techniques.deep_ploughing");
        _area = ctx.Levers.Index("sown_area.grain_factor");
        _private = ctx.Levers.Index("private_plots.land_share");
        _sidelines = ctx.Levers.Index("household_sidelines.private_share");
        _pigCampaign = ctx.Levers.Index("pig_campaign.campaign");
        _pigFeed = Value(ctx, "pig_campaign_feed_kg");
        _needKgMonth = ctx.Parameters["consumption.need_kcal"] / Consumption.KcalPerDayPerKgMonth(ctx.Parameters["consumption.kcal_per_kg"], ctx.Parameters["consumption.grain_kcal_share"]);
        _alpha = Value(ctx, "labour_elasticity");
        _beta = Value(ctx, "land_elasticity");
        _ga = Value(ctx, "animal_elasticity");
        _gt = Value(ctx, "tool_elasticity");
        _summer = Value(ctx, "summer_share");
        _full = Value(ctx, "full_capacity_kcal");
        _normalIntake = Value(ctx, "normal_intake_kcal");
        _harvestNeed = Value(ctx, "harvest_labour_need");
        _harvestElast = Value(ctx, "harvest_loss_elasticity");
        _seed = Value(ctx, "seed_rate");
        _feed = Value(ctx, "feed_rate");
        _privProd = Value(ctx, "private_productivity");
        _deepYield = Value(ctx, "deep_plough_yield");
        _soilRate = Value(ctx, "soil_damage_rate");
        _soilRecovery = Value(ctx, "soil_recovery_rate");
        _worksGain = Value(ctx, "water_works_gain");
        _worksHarm = Value(ctx, "rushed_works_harm");
        _worksDecay = Value(ctx, "water_works_decay");
        _melt = Value(ctx, "tool_melt_rate");
        _rebuild = Value(ctx, "tool_rebuild_rate");
        _animalRecovery = Value(ctx, "animal_recovery_rate");
        _animalLoss = Value(ctx, "animal_hunger_loss");
        _livestockWeight = Value(ctx, "livestock_weight");
        _animalTolerance = Value(ctx, "animal_hunger_tolerance");
        _trend = Value(ctx, "yield_trend");
        _logTrendMonth = Math.Log(1 + _trend) / 12;
        Array.Fill(ctx.Units.YieldLevel, (float)YieldTrend(0, _trend));
        _greenEfficiency = ctx.Parameters["consumption.green_crop_efficiency"];
        // The 1957 output includes the private plots of 1957 (the lever's value at the start).
        var p0 = ctx.Levers[_private];
        _baseShareNorm = (1 - p0) + p0 * _privProd;
        _animalFloor = Value(ctx, "animal_floor");
        _capacityFloor = Value(ctx, "work_capacity_floor");
        _capacityFloorKcal = Value(ctx, "work_capacity_floor_kcal");
        _eNormal = WorkCapacity(_normalIntake, _full, _capacityFloor, _capacityFloorKcal);
        _baseTotal = 0;
        foreach (var b in ctx.Units.BaseOutputKg) _baseTotal += b;
        _partial = new double[ctx.ChunkCount * 3];
    }

    /// <summary>Work capacity at an intake (mechanisms.md §c): <paramref name="floor"/> (0.3) at <paramref name="floorKcal"/> (1,200 kcal) or less, rising linearly to 1 at full.</summary>
    public static double WorkCapacity(double kcal, double full, double floor, double floorKcal) =>
        floor + (1 - floor) * Math.Clamp((kcal - floorKcal) / (full - floorKcal), 0, 1);

    /// <summary>The share of the crop brought in when <paramref name="fieldShare"/> of the workers are in the fields.</summary>
    public static double HarvestCompletion(double fieldShare, double need, double elasticity) =>
        fieldShare >= need ? 1 : Power.Fast(Math.Max(0, fieldShare) / need, elasticity);

    private (World.RuralUnits Units, int MonthOfYear, double FieldLabourNeed, bool Harvest, double SeasonShare, double DeepPloughing,
        double Technique, double Area, double PrivateShare, World.ProvinceState Weather, double WaterWorksNet, double PigFeedKg) _month;
    private Action<int, int, int>? _stepUnits;

    /// <summary>For tests: step every unit with the scalar loop, as machines without AVX do.</summary>
    internal bool OneUnitAtATime { get; set; }

    /// <summary>
    /// The monthly loop for units <paramref name="a"/> onwards, four at a time: the same operations as the scalar loop
    /// in the same order and precision (float where it computes in float, double elsewhere; Vector256.Min/Max are
    /// Math.Min/Max, Clamp is written as it is defined, the harvest's powers are Power.Four, each lane Power.Fast's bits),
    /// less the divisions whose results four units' regime makes known (below), so every unit's numbers are the same
    /// bits; the chunk's sums add the four units' values in unit order, as the scalar loop does. Why: the
    /// loop is a dozen divisions and some forty multiply-adds a unit with no dependence between units, which the
    /// scalar loop does one by one. Returns the first unit not stepped (the last one to three are left to the caller).
    /// </summary>
    // Mirrors, lane by lane, the scalar loop: WorkCapacity, YieldLevelGrowth, the production function, the slow state
    // (soil, works, tools, animals): a change there must be made here too (the *FourAtATimeTests compare the two bit
    // for bit).
    private int StepFour(World.RuralUnits units, int a, int b, int moy, double needM, bool harvest, double seasonShare, double deep, double tech,
        double area, double priv, World.ProvinceState weather, double worksNet, double pigFeed, ref double produced, ref double livestock, ref double privateGrain)
    {
        var zeroF = Vector128<float>.Zero;
        var oneF = Vector128<float>.One;
        var zero = Vector256<double>.Zero;
        var one = Vector256<double>.One;
        var harvestNeed = Vector256.Create(_harvestNeed);
        var capacityFloor = Vector256.Create(_capacityFloor);
        var capacityRise = Vector256.Create(1 - _capacityFloor);
        var floorKcal = Vector256.Create(_capacityFloorKcal);
        var capacityRange = Vector256.Create(_full - _capacityFloorKcal);
        var eNormal = Vector256.Create(_eNormal);
        var logTrend = Vector256.Create(_logTrendMonth);
        var need = Vector256.Create(needM);
        var needF = Vector128.Create((float)needM);
        var summerCrop = FarmCalendar.GrowsSummerCrop(moy);
        var autumnCrop = FarmCalendar.GrowsAutumnCrop(moy);
        var privateCap = Vector256.Create(MaxPrivateShare);
        var privV = Vector256.Create(priv);
        var privProd = Vector256.Create(_privProd);
        var baseShareNorm = Vector256.Create(_baseShareNorm);
        var needKgMonth = Vector256.Create(_needKgMonth);
        var monthsToFeed = Vector256.Create((double)FarmCalendar.MonthsToFeed(moy));
        var pigFeedV = Vector256.Create(pigFeed);
        var soilAdd = Vector256.Create(deep * _soilRate / 12);
        var soilKeep = Vector256.Create(1 - _soilRecovery / 12);
        var soilMax = Vector256.Create(MaxSoilDamage);
        var worksKeep = Vector256.Create(1 - _worksDecay / 12);
        var worksNetV = Vector256.Create(worksNet);
        var twelve = Vector256.Create(12.0);
        var worksMin = Vector256.Create(-WaterWorksLimit);
        var worksMax = Vector256.Create(WaterWorksLimit);
        var melt = Vector256.Create(_melt);
        var rebuild = Vector256.Create(_rebuild);
        var toolsMin = Vector256.Create(ToolsFloor);
        var normalIntake = Vector256.Create(_normalIntake);
        var animalTolerance = Vector256.Create(_animalTolerance);
        var animalLoss = Vector256.Create(_animalLoss);
        var animalRecovery = Vector256.Create(_animalRecovery);
        var animalFloor = Vector256.Create(_animalFloor);
        var animalMax = Vector256.Create(MaxAnimals);
        var summerHarvest = FarmCalendar.IsSummerHarvest(moy);
        var seasonShareV = Vector256.Create(seasonShare);
        var smallest = Vector256.Create(SmallestInput);
        var techV = Vector256.Create(tech);
        var areaV = Vector256.Create(area);
        var worksFloor = Vector256.Create(WaterWorksYieldFloor);
        var greenEfficiency = Vector256.Create(_greenEfficiency);
        var seedRate = Vector256.Create(_seed);
        var feedRate = Vector256.Create(_feed);
        // The sums in locals for the loop, written back at the end: added through the ref parameters, every addition
        // was a store to memory and a reload (a chain of store-to-load forwards), not a register.
        double producedSum = produced, livestockSum = livestock, privateSum = privateGrain;
        // Four units in a regime where a division's result is known are spared it, with the same bits: fed (every
        // intake at least the normal intake), without private land, without labour at the water works or the
        // furnaces (below). Divisions are the loop's slowest operations; in a month where all units are fed, the
        // farming month took 0.85 of its time (Sichuan+Henan, January 1958, one thread, alternated in-process pairs),
        // and the other three 0.93-0.95 in the months they apply (December 1958, April 1960); no change in famine months.
        // Fed: work capacity rises with intake (each operation is monotone), so an intake at least the normal intake
        // gives a capacity at least the normal capacity, a relative capacity of exactly 1 and no hunger for the herds,
        // while the parameters keep the capacity rising and the normal capacity and intake above 0.
        var fedShortcut = _eNormal > 0 && _normalIntake > 0 && _capacityFloor <= 1 && _full > _capacityFloorKcal && _animalTolerance >= 0;
        // A fed lane's x is logTrend × 1 and its growth factor the loop's polynomial of it: the same operations, so the same bits.
        var fedX = logTrend * one;
        var fedGrowth = one + fedX * (one + fedX * (Vector256.Create(0.5) + fedX / Vector256.Create(6.0)));
        // No private land (a share of +0 in all four): the private output is ±0 (or NaN) whatever it is divided by,
        // with the sign of the product; dividing by 12 and by the positive base share does not change that.
        var noPlotShortcut = double.IsFinite(_privProd) && _privProd > 0 && double.IsFinite(_baseShareNorm) && _baseShareNorm > 0;
        // No labour at the works (+0 in all four): the works' gain is +0 × the net gain / 12 in every lane.
        var noWorksGain = Wide(zeroF) * worksNetV / twelve;
        var u = a;
        for (; u + 4 <= b; u += 4)
        {
            var workers = Load(units.Workers, u);
            var baseWorkers = Load(units.BaseWorkers, u);
            var labourFarming = Load(units.LabourFarming, u);
            var hasWorkers = Vector128.GreaterThan(workers, zeroF);
            var hasBase = Vector128.GreaterThan(baseWorkers, zeroF);
            var fieldShare = Vector128.ConditionalSelect(hasWorkers, labourFarming / workers, oneF);
            var fieldLabour = Vector128.ConditionalSelect(hasBase, labourFarming / baseWorkers, fieldShare);
            var intake = Wide(Load(units.IntakeKcal, u));
            var fed = fedShortcut && Vector256.GreaterThanOrEqualAll(intake, normalIntake);
            Vector256<double> nutrition, growth;
            if (fed)
            {
                nutrition = one;
                growth = fedGrowth;
            }
            else
            {
                var capacity = capacityFloor + capacityRise * Clamp((intake - floorKcal) / capacityRange, zero, one);
                nutrition = Vector256.Min(one, capacity / eNormal);
                var x = logTrend * nutrition;
                growth = one + x * (one + x * (Vector256.Create(0.5) + x / Vector256.Create(6.0)));
            }
            var yieldLevel = Wide(Load(units.YieldLevel, u));
            var w = Vector256.Create(weather.For(units, u), weather.For(units, u + 1), weather.For(units, u + 2), weather.For(units, u + 3)) * yieldLevel;
            Store(units.YieldLevel, u, Narrow(yieldLevel * growth));
            var effective = Narrow(need * Wide(fieldLabour) * Wide(Load(units.Effort, u)) * nutrition);
            if (summerCrop)
            {
                Store(units.SummerLabour, u, Load(units.SummerLabour, u) + effective);
                Store(units.SummerNeed, u, Load(units.SummerNeed, u) + needF);
            }
            if (autumnCrop)
            {
                Store(units.AutumnLabour, u, Load(units.AutumnLabour, u) + effective);
                Store(units.AutumnNeed, u, Load(units.AutumnNeed, u) + needF);
            }

            var privShare = Vector256.Min(privateCap, privV + Wide(Load(units.IndividualFarming, u)));
            var tending = Vector128.ConditionalSelect(hasBase, Vector128.Min(oneF, workers / baseWorkers), zeroF);
            var baseOutput = Load(units.BaseOutputKg, u);
            var privateKg = noPlotShortcut && privShare.AsUInt64() == Vector256<ulong>.Zero
                ? Wide(baseOutput) * privShare * nutrition * w * Wide(tending)
                : Wide(baseOutput) / twelve * privShare * privProd / baseShareNorm * nutrition * w * Wide(tending);
            var privateKgF = Narrow(privateKg);
            Store(units.PrivateOutputKg, u, privateKgF);
            var stock = Load(units.GrainStockKg, u) + privateKgF;
            AddInOrder(ref privateSum, privateKg);
            if (harvest)
            {
                var grownF = Load(summerHarvest ? units.SummerLabour : units.AutumnLabour, u);
                var neededF = Load(summerHarvest ? units.SummerNeed : units.AutumnNeed, u);
                var labour = Wide(Vector128.ConditionalSelect(Vector128.GreaterThan(neededF, zeroF), grownF / neededF, oneF));
                var animalsNow = Load(units.Animals, u);
                var collectiveFactor = (one - privShare) / baseShareNorm;
                var potential = Wide(baseOutput) * seasonShareV * collectiveFactor
                                * Vector256.ConditionalSelect(Vector256.GreaterThan(labour, zero), Power.Four(labour, _alpha), zero)
                                * Power.Four(Vector256.Max(smallest, Wide(animalsNow)), _ga)
                                * Power.Four(Vector256.Max(smallest, Wide(Load(units.Tools, u))), _gt)
                                * w * techV * areaV
                                // Both as the scalar loop computes them: 1 − soil damage in float, 1 + works in float.
                                * Wide(Vector128.Max(zeroF, oneF - Load(units.SoilDamage, u)))
                                * Vector256.Max(worksFloor, Wide(oneF + Load(units.WaterWorks, u)));
                var eatenGreenF = Load(units.GreenEatenKg, u);
                var eatenGreen = Wide(eatenGreenF);
                // HarvestCompletion: 1 where the fields had the hands the harvest needs, a power below. The power (a
                // logarithm and an exponential) is skipped when all four had them, as they mostly do: 15 % of a
                // harvest month's farming (Sichuan+Henan, June 1959, one thread, alternated in-process pairs).
                var share = Wide(fieldShare);
                var completion = Vector256.GreaterThanOrEqualAll(share, harvestNeed) ? one
                    : Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(share, harvestNeed), one, Power.Four(Vector256.Max(zero, share) / harvestNeed, _harvestElast));
                var brought = Vector256.Max(zero, potential * completion - eatenGreen / greenEfficiency);
                Store(units.GreenEatenKg, u, zeroF);
                var seed = seedRate * brought;
                var feed = Vector256.Min(brought - seed, feedRate * brought * Wide(animalsNow));
                Store(units.HarvestKg, u, Narrow(brought));
                Store(units.HarvestLostKg, u, Narrow(potential - brought));
                Store(units.SeedKg, u, Narrow(seed));
                Store(units.FeedKg, u, Narrow(feed));
                stock += Narrow(brought - seed - feed);
                Store(summerHarvest ? units.SummerLabour : units.AutumnLabour, u, zeroF);
                Store(summerHarvest ? units.SummerNeed : units.AutumnNeed, u, zeroF);
                AddInOrder(ref producedSum, privateKg, brought + eatenGreen);
            }
            else AddInOrder(ref producedSum, privateKg);

            if (pigFeed > 0)
            {
                var persons = Wide(Load(units.Persons, u));
                var peopleNeed = persons * needKgMonth * monthsToFeed;
                var stockKg = Wide(stock);
                var provisioned = Vector256.ConditionalSelect(Vector256.GreaterThan(peopleNeed, zero), Vector256.Min(one, stockKg / peopleNeed), one);
                var sty = Narrow(Vector256.Min(stockKg, pigFeedV * persons * Wide(Load(units.CommuneShare, u)) * provisioned));
                stock -= sty;
                Store(units.FeedKg, u, Load(units.FeedKg, u) + sty);
            }
            Store(units.GrainStockKg, u, stock);

            var soil = Wide(Load(units.SoilDamage, u)) + soilAdd;
            Store(units.SoilDamage, u, Narrow(Clamp(soil * soilKeep, zero, soilMax)));
            var worksLabour = Load(units.LabourWaterWorks, u);
            var worksGain = worksLabour.AsUInt32() == Vector128<uint>.Zero ? noWorksGain
                : Wide(Vector128.ConditionalSelect(hasWorkers, worksLabour / workers, zeroF)) * worksNetV / twelve;
            Store(units.WaterWorks, u, Narrow(Clamp(Wide(Load(units.WaterWorks, u)) * worksKeep + worksGain, worksMin, worksMax)));
            var backyardLabour = Load(units.LabourBackyard, u);
            var backyardShare = backyardLabour.AsUInt32() == Vector128<uint>.Zero ? zeroF : Vector128.ConditionalSelect(hasWorkers, backyardLabour / workers, zeroF);
            var tools = Wide(Load(units.Tools, u)) * (one - melt * Wide(backyardShare));
            Store(units.Tools, u, Narrow(Clamp(tools + rebuild * (one - tools), toolsMin, one)));
            var herdF = Load(units.Animals, u);
            var herd = Wide(herdF);
            // The scalar loop's 1 − animals is a float subtraction (int − float).
            Vector256<double> animals;
            if (fed) animals = herd + animalRecovery * Wide(oneF - herdF);
            else
            {
                var hunger = Vector256.Max(zero, one - intake / normalIntake - animalTolerance);
                animals = Vector256.ConditionalSelect(Vector256.GreaterThan(hunger, zero), herd * (one - animalLoss * hunger), herd + animalRecovery * Wide(oneF - herdF));
            }
            var animalsF = Narrow(Clamp(animals, animalFloor, animalMax));
            Store(units.Animals, u, animalsF);
            var stockOfAnimals = baseOutput * animalsF;
            AddInOrder(ref livestockSum, Wide(stockOfAnimals));
        }
        produced = producedSum;
        livestock = livestockSum;
        privateGrain = privateSum;
        return u;
    }

    public override void Step(SimContext ctx)
    {
        var units = ctx.Units;
        var moy = ctx.Month.MonthOfYear;
        var needM = FarmCalendar.FieldLabourNeed[moy - 1];
        var harvest = FarmCalendar.IsHarvestMonth(moy);
        var seasonShare = FarmCalendar.IsSummerHarvest(moy) ? _summer : 1 - _summer;
        var deep = ctx.Levers[_deep];
        // Deep ploughing and close planting shape the crops sown while the campaign runs: the summer crop is sown in
        // October-November, the autumn crops in April. The standing crop is not ploughed up.
        var nat = ctx.World.National;
        if (moy == 11) nat.SummerCropDeepPloughing = deep;
        if (moy == 4) nat.AutumnCropDeepPloughing = deep;
        var tech = 1 - (FarmCalendar.IsSummerHarvest(moy) ? nat.SummerCropDeepPloughing : nat.AutumnCropDeepPloughing) * (1 - _deepYield);
        var area = Math.Pow(ctx.Levers[_area], _beta); // the sown area's effect on the harvest, land elasticity β
        var priv = ctx.Levers[_private];

        var weather = ctx.World.ProvinceState;
        var worksNet = _worksGain - _worksHarm * ctx.World.National.ExcessPressure;
        Array.Clear(_partial);
        var pigFeed = ctx.Levers[_pigCampaign] * _pigFeed;
        _month = (units, moy, needM, harvest, seasonShare, deep, tech, area, priv, weather, worksNet, pigFeed);
        // The chunk body reads the month's values from a field, so the delegate is made once, not every month.
        ctx.ForEachChunk(_stepUnits ??= (c, a, b) =>
        {
            var (units, moy, needM, harvest, seasonShare, deep, tech, area, priv, weather, worksNet, pigFeed) = _month;
            double produced = 0, livestock = 0, privateGrain = 0;
            // Four units at a time (StepFour); the last few units here.
            var first = a;
            if (Avx.IsSupported && !OneUnitAtATime)
                first = StepFour(units, a, b, moy, needM, harvest, seasonShare, deep, tech, area, priv, weather, worksNet, pigFeed, ref produced, ref livestock, ref privateGrain);
            for (var u = first; u < b; u++)
            {
                var workers = units.Workers[u];
                // Hands in the fields against the unit's 1957 workforce (famine deaths and recruitment thin it, the
                // people sent back in 1961-63 fill it); the harvest month's completion uses today's workforce.
                var fieldShare = workers > 0 ? units.LabourFarming[u] / workers : 1;
                var fieldLabour = units.BaseWorkers[u] > 0 ? units.LabourFarming[u] / units.BaseWorkers[u] : fieldShare;
                var nutrition = Math.Min(1, WorkCapacity(units.IntakeKcal[u], _full, _capacityFloor, _capacityFloorKcal) / _eNormal);
                var w = weather.For(units, u) * units.YieldLevel[u];
                units.YieldLevel[u] = (float)(units.YieldLevel[u] * YieldLevelGrowth(_logTrendMonth, nutrition));
                var effective = (float)(needM * fieldLabour * units.Effort[u] * nutrition);
                if (FarmCalendar.GrowsSummerCrop(moy)) { units.SummerLabour[u] += effective; units.SummerNeed[u] += (float)needM; }
                if (FarmCalendar.GrowsAutumnCrop(moy)) { units.AutumnLabour[u] += effective; units.AutumnNeed[u] += (float)needM; }

                // Private land: the official plots plus what households have taken back (collectivisation module).
                var privShare = Math.Min(MaxPrivateShare, priv + units.IndividualFarming[u]);
                var collectiveFactor = (1 - privShare) / _baseShareNorm;
                // Plots are tended by the unit's own households: output follows its workers (up to its 1957 workforce).
                var tending = units.BaseWorkers[u] > 0 ? Math.Min(1, workers / units.BaseWorkers[u]) : 0;
                var privateKg = units.BaseOutputKg[u] / 12.0 * privShare * _privProd / _baseShareNorm * nutrition * w * tending;
                units.PrivateOutputKg[u] = (float)privateKg;
                units.GrainStockKg[u] += (float)privateKg;
                produced += privateKg;
                privateGrain += privateKg;

                if (harvest)
                {
                    var summer = FarmCalendar.IsSummerHarvest(moy);
                    var grown = summer ? units.SummerLabour[u] : units.AutumnLabour[u];
                    var needed = summer ? units.SummerNeed[u] : units.AutumnNeed[u];
                    var labour = needed > 0 ? grown / needed : 1;
                    var potential = units.BaseOutputKg[u] * seasonShare * collectiveFactor
                                    * (labour > 0 ? Power.Fast(labour, _alpha) : 0)
                                    * Power.Fast(Math.Max(SmallestInput, units.Animals[u]), _ga)
                                    * Power.Fast(Math.Max(SmallestInput, units.Tools[u]), _gt)
                                    * w * tech * area
                                    * Math.Max(0, 1 - units.SoilDamage[u]) * Math.Max(WaterWorksYieldFloor, 1 + units.WaterWorks[u]);
                    // The crop eaten green in the months before is gone, at more than its weight (Consumption).
                    var eatenGreen = units.GreenEatenKg[u];
                    var brought = Math.Max(0, potential * HarvestCompletion(fieldShare, _harvestNeed, _harvestElast) - eatenGreen / _greenEfficiency);
                    units.GreenEatenKg[u] = 0;
                    var seed = _seed * brought;
                    var feed = Math.Min(brought - seed, _feed * brought * units.Animals[u]);
                    units.HarvestKg[u] = (float)brought;
                    units.HarvestLostKg[u] = (float)(potential - brought);
                    units.SeedKg[u] = (float)seed;
                    units.FeedKg[u] = (float)feed;
                    units.GrainStockKg[u] += (float)(brought - seed - feed);
                    if (summer) { units.SummerLabour[u] = 0; units.SummerNeed[u] = 0; }
                    else { units.AutumnLabour[u] = 0; units.AutumnNeed[u] = 0; }
                    // The season's output is what was brought in and what was eaten green before it: the grain series
                    // counts the green crop as harvested in the month it was eaten (Consumption), the index at harvest.
                    produced += brought + eatenGreen;
                }

                // The campaign's sties eat from the commune's stock every month (after this month's harvest is in).
                if (pigFeed > 0)
                {
                    var peopleNeed = units.Persons[u] * _needKgMonth * FarmCalendar.MonthsToFeed(moy);
                    var provisioned = peopleNeed > 0 ? Math.Min(1, units.GrainStockKg[u] / peopleNeed) : 1;
                    var sty = (float)Math.Min(units.GrainStockKg[u], pigFeed * units.Persons[u] * units.CommuneShare[u] * provisioned);
                    units.GrainStockKg[u] -= sty;
                    units.FeedKg[u] += sty;
                }

                // Slow state: soil, water works, tools, animals.
                var soil = units.SoilDamage[u] + deep * _soilRate / 12;
                units.SoilDamage[u] = (float)Math.Clamp(soil * (1 - _soilRecovery / 12), 0, MaxSoilDamage);
                var worksShare = workers > 0 ? units.LabourWaterWorks[u] / workers : 0;
                units.WaterWorks[u] = (float)Math.Clamp(units.WaterWorks[u] * (1 - _worksDecay / 12) + worksShare * worksNet / 12, -WaterWorksLimit, WaterWorksLimit);
                var backyardShare = workers > 0 ? units.LabourBackyard[u] / workers : 0;
                var tools = units.Tools[u] * (1 - _melt * backyardShare);
                units.Tools[u] = (float)Math.Clamp(tools + _rebuild * (1 - tools), ToolsFloor, 1);
                // Animals are eaten or starve only when people go hungry beyond the normal margin; otherwise herds regrow.
                var hunger = Math.Max(0, 1 - units.IntakeKcal[u] / _normalIntake - _animalTolerance);
                var animals = hunger > 0 ? units.Animals[u] * (1 - _animalLoss * hunger) : units.Animals[u] + _animalRecovery * (1 - units.Animals[u]);
                units.Animals[u] = (float)Math.Clamp(animals, _animalFloor, MaxAnimals);
                livestock += units.BaseOutputKg[u] * units.Animals[u];
            }
            _partial[3 * c] = produced;
            _partial[3 * c + 1] = livestock;
            _partial[3 * c + 2] = privateGrain;
        });

        double producedTotal = 0, livestockTotal = 0, privateTotal = 0;
        for (var c = 0; c < ctx.ChunkCount; c++) { producedTotal += _partial[3 * c]; livestockTotal += _partial[3 * c + 1]; privateTotal += _partial[3 * c + 2]; }
        // Index points: a 1957 year (base grain, animals at 1) sums to 100.
        if (_baseTotal <= 0) return;
        var livestockPoints = 100 * _livestockWeight * livestockTotal / _baseTotal / 12;
        nat.AgriculturalOutputPoints = 100 * (1 - _livestockWeight) * producedTotal / _baseTotal + livestockPoints;
        nat.PrivateAgriculturalPoints = 100 * (1 - _livestockWeight) * privateTotal / _baseTotal + livestockPoints * ctx.Levers[_sidelines];
    }
}
