using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LeapSim.Core.Engine;
using LeapSim.Core.Numerics;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;

namespace LeapSim.Core.Modules;

/// <summary>
/// Consumption and nutrition. What the state leaves in a village is eaten in family kitchens or communal dining
/// halls (mechanisms.md §a, §d):
/// - families ration their stock over the months to the next harvest and eat at most their need;
/// - dining halls with free supply ("eat without paying", autumn 1958) serve more than the need and do not ration
///   until the stock runs out; halls also lose a share of their grain to cooks, cadres and waste;
/// halls exist only in units organised in communes. Intake in kcal = grain × kcal/kg ÷ grain's share of calories.
/// The body adapts: BMI moves by −k × deficit a month (Clingendael famine model, aristotle-tek/famine-prediction,
/// mechanisms.md §b; the deficit in kcal measured against the reference need, an energy balance), where need falls as
/// bodies waste (need ∝ (BMI/reference)^a: lower metabolism and less
/// activity), so a lasting ration short of need settles at a lower BMI instead of falling forever; with enough food BMI recovers by up to 1 point a month. Heavy labour at
/// furnaces and water works adds to need. City people eat their ration (the state account decides what is paid).
/// Two famine behaviours shape when hunger bites:
/// - rationing is imperfect: a household (or a hall) eats (1 + impatience)/(months to feed) of its stock when it
///   cannot eat its need (months to feed: this month and the others to the next harvest, FarmCalendar.MonthsToFeed),
///   so a stock that must last to the next harvest runs low in the last months before it, most of all over the long
///   winter gap (timeline.md: the food gap peaks in March-May, 青黄不接; canteens ran out
///   of grain in the spring of 1959);
/// - the hungry gather substitute foods (wild plants, leaves, roots, husks and stalks) up to a ceiling that is
///   highest while plants grow (April-October) and low in winter; the centre's "substitute foods" campaign of
///   August-September 1960 (timeline.md) raises it. Substitutes add calories, not grain: the grain balance is untouched;
/// - in the two months before a harvest (April-May, August-September) hungry households eat the standing crop green
///   (吃青), up to a share of it (half of it in the first of the two months, as the crop fills); unripe grain gives less food than the ripe grain it destroys, so the coming harvest
///   is short of what was eaten ÷ the green-crop efficiency (Farming takes it off). Grain eaten green counts as
///   harvested in the month it is eaten.
/// </summary>
public sealed class Consumption : ModuleBase
{
    public override string Name => "consumption";
    public override string Summary => "Families or dining halls eat the village's grain; body-mass index follows intake against need";
    public override IReadOnlyList<string> Reads => ["grain_stock", "cohorts", "commune_share", "base output", "county weather factor", "labour_backyard", "labour_water_works", "urban eaten", "levers dining_halls.*"];
    public override IReadOnlyList<string> Writes => ["eaten", "wasted", "grain_stock", "green_eaten", "harvest (crop eaten green)", "intake", "bmi", "urban intake, urban bmi"];

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("kcal_per_kg", "kcal per kg unhusked", 3000, 2800, 3200, "mechanisms.md §a: 0.87 × ~3,500 [D]", "food energy in a kg of unhusked grain"),
        P("grain_kcal_share", "share of calories", 0.85, 0.6, 1, "mechanisms.md §b: cereals ~85-90 % of calories in China (75 % nationally 1952-79, more in famine diets)", "grain's share of all food energy"),
        P("need_kcal", "kcal per person per day", 2100, 1500, 3000, "mechanisms.md §a: an average rural person needs about 2,100 kcal", "energy need of the average person at the reference body-mass index"),
        P("reference_bmi", "kg/m2", 21, 17, 25, "Ge et al. 1994, The body mass index of Chinese adults in the 1980s (the 1982 national nutrition survey; archive.unu.edu/unupress/food2/UID10E): rural men 163.3 cm and women 152.7 cm tall, about 3 kg lighter than the urban, the means of all being 57.2 kg (55.2 in the abstract) and 50.7 kg: a rural adult BMI of about 20-21.5; taken for the fed peasants of 1957 [M]", "body-mass index at which need is the reference need"),
        P("heavy_labour_extra", "share of need", 0.25, 0, 1, "mechanisms.md §a: heavy work 2,500-3,000 kcal against ~2,100", "extra need of a worker at furnaces or water works"),
        P("adaptation_exponent", "exponent", 2.0, 1, 4, "calibrated (bodies adapt to scarcity by lower metabolism and less activity; mechanisms.md §b gives need falling with BMI)", "need ∝ (BMI / reference)^k: how strongly need falls as bodies waste"),
        P("bmi_loss_per_deficit", "BMI points per month at full deficit", 3.0, 0.5, 10, "Clingendael model (mechanisms.md §b): ΔBMI = −3.0 × deficit", "how fast bodies waste on a deficit"),
        P("bmi_gain_max", "BMI points per month", 1.0, 0.1, 3, "Clingendael model: recovery capped at +1 a month", "fastest recovery"),
        P("free_meal_overeating", "multiplier on need", 1.35, 1.2, 1.5, "calibrated within mechanisms.md §d's range (1.2-1.5 × normal for ~2 months [M]; the note says to calibrate the multiplier)", "how much more people eat under free supply"),
        P("hall_leakage", "share of hall grain", 0.10, 0, 0.4, "mechanisms.md §d: cadre and cook leakage 5-15 % [M]", "grain lost to cooks, cadres and waste in dining halls"),
        P("storage_loss", "share per month", 0.004, 0, 0.05, "assumption: village storage losses", "monthly loss of village stocks"),
        P("initial_reserve_months", "months of need", 2, 0, 12, "assumption: in January 1957 villages hold, beyond the grain to reach the summer harvest, a reserve from the good 1956-57 crops", "months of need a village holds in January 1957 beyond those to the summer harvest"),
        P("family_impatience", "share", 0.1, 0, 1, "assumption [M]: households short of grain eat somewhat ahead of a perfect spread (timeline.md: the gap peaks in March-May)", "how far a short household eats ahead of an even spread to the harvest"),
        P("hall_impatience", "share", 0.3, 0, 1.5, "calibrated (timeline.md: canteens served meals until the grain ran out in spring 1959; how far ahead they ate is not documented)", "how far a short dining hall eats ahead of an even spread to the harvest"),
        P("substitute_kcal_max", "kcal per person per day", 150, 0, 600, "calibrated (timeline.md: famine diets of wild plants, leaves, roots, husks and stalks; substitute foods promoted in 1960; no measured ceiling)", "most food energy the hungry can gather from substitutes while plants grow"),
        P("green_crop_max_share", "share of the standing crop", 0.15, 0, 0.5, "assumption [M]: eating the crop green (吃青) was widespread in 1959-61 and fought by cadres", "most of the standing crop hungry households eat green before a harvest"),
        P("green_crop_efficiency", "kg eaten per kg of ripe grain lost", 0.6, 0.2, 1, "assumption [M]: unripe grain has not filled", "food from a kg of crop eaten green, against the ripe grain it would have become"),
        P("green_crop_first_month_share", "share of the season's cap", 0.5, 0, 1, "assumption: the crop fills over the two months before a harvest (April-May, August-September), so less of it can be eaten in the first", "share of the season's green-eating cap open in the first of the two months"),
        P("substitute_winter_share", "share", 0.3, 0, 1, "assumption: wild plants grow April-October; in winter only husks, roots and stored stalks", "substitutes available November-March, as a share of the growing-season ceiling"),
    ];

    public override IReadOnlyList<PolicyInfo> Policies =>
    [
        new("dining_halls", "Communal dining halls", "DIGEST; mechanisms.md §d; timeline.md",
        [
            new PolicySetting("share", "0-1", 0, 0, 1, "share of commune members eating in halls"),
            new PolicySetting("free_supply", "0-1", 0, 0, 1, "1 = eat without paying (no rationing, over-eating); 0 = rationed halls"),
        ]),
        new("substitute_foods", "Substitute foods: the hungry gather and process non-grain food", "timeline.md: Aug-Sep 1960 the centre promotes substitute foods [M]",
        [
            new PolicySetting("availability", "multiplier", 1, 0, 3, "multiplier on the substitutes the hungry can gather (a campaign that processes stalks and husks raises it)"),
        ]),
    ];

    private int _hallShare, _freeSupply, _substitutes;
    private double _familyImpatience, _hallImpatience, _substituteMax, _substituteWinter, _greenMax, _greenEfficiency, _greenFirstMonth, _summerShare;
    /// <summary>The lowest BMI a body reaches in <see cref="NextBmi"/> (also StepLanes' bound).</summary>
    private const double LowestBmi = 8;

    private double _kcalPerKg, _grainShare, _need, _refBmi, _heavy, _bmiLoss, _bmiGain, _overeat, _leakage, _storage, _kgToKcalPerDay, _adapt;

    public override void Initialise(SimContext ctx)
    {
        _hallShare = ctx.Levers.Index("dining_halls.share");
        _freeSupply = ctx.Levers.Index("dining_halls.free_supply");
        _substitutes = ctx.Levers.Index("substitute_foods.availability");
        _familyImpatience = Value(ctx, "family_impatience");
        _hallImpatience = Value(ctx, "hall_impatience");
        _substituteMax = Value(ctx, "substitute_kcal_max");
        _substituteWinter = Value(ctx, "substitute_winter_share");
        _greenMax = Value(ctx, "green_crop_max_share");
        _greenEfficiency = Value(ctx, "green_crop_efficiency");
        _greenFirstMonth = Value(ctx, "green_crop_first_month_share");
        _summerShare = ctx.Parameters["farming.summer_share"];
        _kcalPerKg = Value(ctx, "kcal_per_kg");
        _grainShare = Value(ctx, "grain_kcal_share");
        _need = Value(ctx, "need_kcal");
        _refBmi = Value(ctx, "reference_bmi");
        _heavy = Value(ctx, "heavy_labour_extra");
        _bmiLoss = Value(ctx, "bmi_loss_per_deficit");
        _adapt = Value(ctx, "adaptation_exponent");
        _bmiGain = Value(ctx, "bmi_gain_max");
        _overeat = Value(ctx, "free_meal_overeating");
        _leakage = Value(ctx, "hall_leakage");
        _storage = Value(ctx, "storage_loss");
        _kgToKcalPerDay = KcalPerDayPerKgMonth(_kcalPerKg, _grainShare);
        var u = ctx.Units;
        Array.Fill(u.Bmi, (float)_refBmi);
        Array.Fill(u.FertilityNutrition, (float)_refBmi);
        Array.Fill(u.FertilityNutritionLag, (float)_refBmi);
        Array.Fill(u.IntakeKcal, (float)_need);
        var urban = ctx.World.Urban;
        Array.Fill(urban.Bmi, _refBmi);
        Array.Fill(urban.FertilityNutrition, _refBmi);
        Array.Fill(urban.FertilityNutritionLag, _refBmi);
        Array.Fill(urban.IntakeKcal, _need);
        // Villages start January 1957 with the grain to reach the summer harvest (January-May) and a reserve.
        var startMonths = FarmCalendar.MonthsToNextHarvest(1) + Value(ctx, "initial_reserve_months");
        for (var i = 0; i < u.Count; i++)
            u.GrainStockKg[i] = (float)(u.Persons[i] * NeedKg(_need) * startMonths);
    }

    /// <summary>Grain (kg unhusked per person per month) that gives <paramref name="kcalPerDay"/>.</summary>
    public double NeedKg(double kcalPerDay) => kcalPerDay / _kgToKcalPerDay;

    /// <summary>
    /// Kcal a day that a kg of unhusked grain a month gives when grain is <paramref name="grainShare"/> of the diet
    /// (the diet's other foods come in proportion): a monthly need in kg is kcal a day over this.
    /// </summary>
    public static double KcalPerDayPerKgMonth(double kcalPerKg, double grainShare) => kcalPerKg / grainShare / (365.25 / 12);

    /// <summary>
    /// One month of a body: the new BMI after eating <paramref name="intake"/> kcal/day with a reference need of
    /// <paramref name="need"/> at <paramref name="refBmi"/>; need scales with body mass (BMI at fixed height). Energy
    /// balance: the body loses (or gains) tissue in proportion to its energy deficit in kcal, req − intake, measured
    /// against the reference need, so BMI moves by −k × (req − intake) / need (the Clingendael rule, −k × deficit, at
    /// the reference body) and a wasted body, which burns less, loses weight more slowly on the same empty plate.
    /// </summary>
    public static double NextBmi(double bmi, double intake, double need, double refBmi, double lossPerDeficit, double gainMax, double adaptation = 1)
    {
        var req = need * Power.Fast(bmi / refBmi, adaptation);
        var deficit = (req - intake) / need;
        if (deficit > 0) return Math.Max(LowestBmi, bmi - lossPerDeficit * deficit);
        return Math.Min(refBmi, bmi + Math.Min(gainMax, -deficit * lossPerDeficit));
    }

    /// <summary>
    /// How much a family (or a rationed hall) eats this month: its need, or its stock spread over the
    /// <paramref name="monthsToFeed"/> months to the next harvest (this one included, <see cref="FarmCalendar.MonthsToFeed"/>),
    /// eaten ahead of an even spread by <paramref name="impatience"/> (0 = a perfect spread; never more than the stock).
    /// </summary>
    public static double FamilyRation(double stockKg, double needKg, int monthsToFeed, double impatience = 0) =>
        Math.Max(0, Math.Min(needKg, stockKg * Math.Min(1, (1 + impatience) / Math.Max(1, monthsToFeed))));

    /// <summary>
    /// Substitute foods eaten (kcal per person per day): what grain leaves short of the need, up to the season's
    /// ceiling × the campaign's availability.
    /// </summary>
    public static double SubstituteKcal(double grainKcal, double needKcal, double ceilingKcal) =>
        Math.Clamp(needKcal - grainKcal, 0, Math.Max(0, ceilingKcal));

    /// <summary>
    /// Grain eaten green this month (kg): the shortfall against the need, up to what is left of the season's cap
    /// (max share × standing crop × efficiency, less what was eaten green already).
    /// </summary>
    public static double GreenEaten(double shortfallKg, double standingCropKg, double eatenGreenKg, double maxShare, double efficiency) =>
        Math.Clamp(Math.Min(shortfallKg, maxShare * standingCropKg * efficiency - eatenGreenKg), 0, double.MaxValue);

    /// <summary>True in the two months before a harvest, when a crop stands ripening in the fields.</summary>
    public static bool IsGreenCropMonth(int monthOfYear) => monthOfYear is 4 or 5 or 8 or 9;

    /// <summary>True in the months wild plants grow (April-October).</summary>
    public static bool IsGrowingSeason(int monthOfYear) => monthOfYear is >= 4 and <= 10;

    private (World.RuralUnits Units, int MonthsToHarvest, double HallShare, double FreeSupply, bool Green, double GreenCap, double CropShare,
        World.ProvinceState Weather, double SubstituteCeiling) _month;
    private Action<int, int, int>? _stepUnits;

    /// <summary>One unit's month: its kitchens and halls eat, its body follows (the scalar loop).</summary>
    private void StepOne(World.RuralUnits units, int u, int months, double hallShare, double free, bool green, double greenCap, double cropShare,
        World.ProvinceState weather, double substituteCeiling)
    {
        var persons = (double)units.Persons[u];
        if (persons <= 0)
        {
            // Nobody eats or wastes; written all the same, since the engine does not clear these flows (RuralUnits.FlowsWrittenInFull).
            units.IntakeKcal[u] = 0;
            units.EatenKg[u] = 0;
            units.WastedKg[u] = 0;
            return;
        }
        var workers = units.Workers[u];
        var heavyShare = workers > 0 ? (units.LabourBackyard[u] + units.LabourWaterWorks[u]) / persons : 0;
        // People want a normal diet whatever their body has become; the body's adaptation is in NextBmi.
        var needKcal = _need * (1 + _heavy * heavyShare);
        var needKg = NeedKg(needKcal) * persons;
        var stock = (double)units.GrainStockKg[u];
        var loss = stock * _storage;
        stock -= loss;

        var inHalls = hallShare * units.CommuneShare[u];
        // Families: ration to the harvest. Halls: free supply eats on demand; rationed halls ration like families.
        var familyEat = FamilyRation(stock * (1 - inHalls), needKg * (1 - inHalls), months, _familyImpatience);
        var hallStock = stock * inHalls;
        var hallWant = needKg * inHalls * (free * _overeat + (1 - free));
        var hallServe = free * Math.Min(hallWant, hallStock) + (1 - free) * FamilyRation(hallStock, hallWant, months, _hallImpatience);
        var hallLeak = hallServe * _leakage;
        var eaten = familyEat + hallServe - hallLeak;
        if (green && eaten < needKg)
        {
            // The standing crop as the village sees it: its 1957 crop of the season in this year's weather.
            var standing = units.BaseOutputKg[u] * cropShare * weather.For(units, u);
            var greenKg = GreenEaten(needKg - eaten, standing, units.GreenEatenKg[u], greenCap, _greenEfficiency);
            units.GreenEatenKg[u] += (float)greenKg;
            units.HarvestKg[u] += (float)greenKg;
            stock += greenKg;
            familyEat += greenKg;
            eaten += greenKg;
        }
        units.EatenKg[u] = (float)eaten;
        units.WastedKg[u] = (float)(loss + hallLeak);
        units.GrainStockKg[u] = (float)Math.Max(0, stock - familyEat - hallServe);

        var grainKcal = eaten / persons * _kgToKcalPerDay;
        var intake = grainKcal + SubstituteKcal(grainKcal, needKcal, substituteCeiling);
        units.IntakeKcal[u] = (float)intake;
        units.Bmi[u] = (float)NextBmi(units.Bmi[u], intake, needKcal, _refBmi, _bmiLoss, _bmiGain, _adapt);
    }

    /// <summary>For tests: step every unit with the scalar loop (<see cref="StepOne"/>), as machines without AVX do.</summary>
    internal bool OneUnitAtATime { get; set; }
    /// <summary>For tests: four lanes (Doubles4) even where the machine has 512-bit vectors, as machines without AVX-512 do.</summary>
    internal bool FourAtATime { get; set; }

    /// <summary>
    /// <see cref="StepOne"/> for units <paramref name="a"/> onwards, eight or four at a time (<see cref="IDoubleLanes{D, F}"/>): the
    /// same operations in the same order and precision, so every unit's numbers are the same bits (Min/Max are Math.Min/Max, Clamp is
    /// written as it is defined, the green crop's branch is a select, and the power of <see cref="NextBmi"/> is
    /// D.Power, which gives each lane Power.Fast's bits). A block with an empty unit goes one by one. Why: the loop is a few
    /// divisions and some forty multiply-adds a unit with no dependence between units. Returns the first unit not stepped.
    /// </summary>
    // Mirrors, lane by lane, StepOne: NeedKg, FamilyRation, GreenEaten, SubstituteKcal and NextBmi: a change there must
    // be made here too (the *AtATimeTests compare the two bit for bit).
    private int StepLanes<D, F>(World.RuralUnits units, int a, int b, int months, double hallShare, double free, bool green, double greenCap, double cropShare,
        World.ProvinceState weather, double substituteCeiling) where D : struct, IDoubleLanes<D, F> where F : struct, IFloatLanes<F, D>
    {
        Span<double> weatherOf = stackalloc double[D.Count];
        var zero = D.Zero;
        var one = D.One;
        var need = D.Create(_need);
        var heavy = D.Create(_heavy);
        var kgToKcal = D.Create(_kgToKcalPerDay);
        var storage = D.Create(_storage);
        var halls = D.Create(hallShare);
        var familyShare = D.Create(Math.Min(1, (1 + _familyImpatience) / Math.Max(1, months)));
        var hallRationShare = D.Create(Math.Min(1, (1 + _hallImpatience) / Math.Max(1, months)));
        var hallAppetite = D.Create(free * _overeat + (1 - free));
        var freeV = D.Create(free);
        var rationed = D.Create(1 - free);
        var leakage = D.Create(_leakage);
        var cropShareV = D.Create(cropShare);
        var greenCapV = D.Create(greenCap);
        var greenEfficiency = D.Create(_greenEfficiency);
        var noCeiling = D.Create(double.MaxValue);
        var substitutes = D.Create(Math.Max(0, substituteCeiling));
        var refBmi = D.Create(_refBmi);
        var bmiLoss = D.Create(_bmiLoss);
        var bmiGain = D.Create(_bmiGain);
        var lowestBmi = D.Create(LowestBmi);
        var u = a;
        for (; u + D.Count <= b; u += D.Count)
        {
            var personsF = F.Load(units.Persons, u);
            if (!F.GreaterThanAll(personsF, F.Zero))
            {
                for (var i = u; i < u + D.Count; i++) StepOne(units, i, months, hallShare, free, green, greenCap, cropShare, weather, substituteCeiling);
                continue;
            }
            var persons = F.Wide(personsF);
            var hasWorkers = D.GreaterThan(F.Wide(F.Load(units.Workers, u)), zero);
            var heavyShare = D.Select(hasWorkers, F.Wide(F.Load(units.LabourBackyard, u) + F.Load(units.LabourWaterWorks, u)) / persons, zero);
            var needKcal = need * (one + heavy * heavyShare);
            var needKg = needKcal / kgToKcal * persons;
            var stock = F.Wide(F.Load(units.GrainStockKg, u));
            var loss = stock * storage;
            stock -= loss;

            var inHalls = halls * F.Wide(F.Load(units.CommuneShare, u));
            var familyEat = Ration<D, F>(stock * (one - inHalls), needKg * (one - inHalls), familyShare);
            var hallStock = stock * inHalls;
            var hallWant = needKg * inHalls * hallAppetite;
            var hallServe = freeV * D.Min(hallWant, hallStock) + rationed * Ration<D, F>(hallStock, hallWant, hallRationShare);
            var hallLeak = hallServe * leakage;
            var eaten = familyEat + hallServe - hallLeak;
            if (green)
            {
                var hungry = D.LessThan(eaten, needKg);
                if (D.Any(hungry))
                {
                    var standing = F.Wide(F.Load(units.BaseOutputKg, u)) * cropShareV
                        * WeatherOf<D, F>(weather, units, u, weatherOf);
                    var greenEatenF = F.Load(units.GreenEatenKg, u);
                    var greenKg = D.Clamp(D.Min(needKg - eaten, greenCapV * standing * greenEfficiency - F.Wide(greenEatenF)), zero, noCeiling);
                    var greenKgF = D.Narrow(greenKg);
                    // A float widened to double and back is the same float: the select runs on the double mask.
                    F.Store(units.GreenEatenKg, u, D.Narrow(D.Select(hungry, F.Wide(greenEatenF + greenKgF), F.Wide(greenEatenF))));
                    var harvest = F.Load(units.HarvestKg, u);
                    F.Store(units.HarvestKg, u, D.Narrow(D.Select(hungry, F.Wide(harvest + greenKgF), F.Wide(harvest))));
                    stock = D.Select(hungry, stock + greenKg, stock);
                    familyEat = D.Select(hungry, familyEat + greenKg, familyEat);
                    eaten = D.Select(hungry, eaten + greenKg, eaten);
                }
            }
            F.Store(units.EatenKg, u, D.Narrow(eaten));
            F.Store(units.WastedKg, u, D.Narrow(loss + hallLeak));
            F.Store(units.GrainStockKg, u, D.Narrow(D.Max(zero, stock - familyEat - hallServe)));

            var grainKcal = eaten / persons * kgToKcal;
            var intake = grainKcal + D.Clamp(needKcal - grainKcal, zero, substitutes);
            F.Store(units.IntakeKcal, u, D.Narrow(intake));
            // NextBmi, a vector of units at a time.
            var bmi = F.Wide(F.Load(units.Bmi, u));
            var ratio = bmi / refBmi;
            var adaptation = D.Power(ratio, _adapt);
            var deficit = (needKcal * adaptation - intake) / needKcal;
            var wasting = D.Max(lowestBmi, bmi - bmiLoss * deficit);
            var recovering = D.Min(refBmi, bmi + D.Min(bmiGain, -deficit * bmiLoss));
            F.Store(units.Bmi, u, D.Narrow(D.Select(D.GreaterThan(deficit, zero), wasting, recovering)));
        }
        return u;
    }

    /// <summary><see cref="FamilyRation"/> of a vector of units with its month's share of the stock, Math.Min(1, (1 + impatience) / months to feed), worked out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static D Ration<D, F>(D stockKg, D needKg, D share) where D : struct, IDoubleLanes<D, F> where F : struct, IFloatLanes<F, D> =>
        D.Max(D.Zero, D.Min(needKg, stockKg * share));

    /// <summary>The weather factor of each unit of the vector from <paramref name="u"/> (through <paramref name="scratch"/>, D.Count doubles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static D WeatherOf<D, F>(World.ProvinceState weather, World.RuralUnits units, int u, Span<double> scratch)
        where D : struct, IDoubleLanes<D, F> where F : struct, IFloatLanes<F, D>
    {
        for (var i = 0; i < D.Count; i++) scratch[i] = weather.For(units, u + i);
        return D.Load(scratch);
    }

    public override void Step(SimContext ctx)
    {
        var units = ctx.Units;
        var moy = ctx.Month.MonthOfYear;
        var months = FarmCalendar.MonthsToFeed(moy);
        var hallShare = ctx.Levers[_hallShare];
        var free = ctx.Levers[_freeSupply];
        var green = IsGreenCropMonth(moy);
        // The crop fills over the two months: in the first, only part of the season's cap can be eaten.
        var greenCap = _greenMax * (moy is 4 or 8 ? _greenFirstMonth : 1);
        var cropShare = moy <= 6 ? _summerShare : 1 - _summerShare;
        var weather = ctx.World.ProvinceState;
        var substituteCeiling = _substituteMax * ctx.Levers[_substitutes] * (IsGrowingSeason(moy) ? 1 : _substituteWinter);
        _month = (units, months, hallShare, free, green, greenCap, cropShare, weather, substituteCeiling);
        // The chunk body reads the month's values from a field, so the delegate is made once, not every month.
        ctx.ForEachChunk(_stepUnits ??= (_, a, b) =>
        {
            var (units, months, hallShare, free, green, greenCap, cropShare, weather, substituteCeiling) = _month;
            var first = a;
            if (Avx.IsSupported && !OneUnitAtATime)
                first = Vector512.IsHardwareAccelerated && !FourAtATime
                    ? StepLanes<Doubles8, Floats8>(units, a, b, months, hallShare, free, green, greenCap, cropShare, weather, substituteCeiling)
                    : StepLanes<Doubles4, Floats4>(units, a, b, months, hallShare, free, green, greenCap, cropShare, weather, substituteCeiling);
            for (var u = first; u < b; u++) StepOne(units, u, months, hallShare, free, green, greenCap, cropShare, weather, substituteCeiling);
        });

        var urban = ctx.World.Urban;
        for (var p = 0; p < urban.Count; p++)
        {
            var persons = urban.Population(p);
            if (persons <= 0) continue;
            var intake = urban.EatenKg[p] / persons * _kgToKcalPerDay;
            urban.IntakeKcal[p] = intake;
            urban.Bmi[p] = NextBmi(urban.Bmi[p], intake, _need, _refBmi, _bmiLoss, _bmiGain, _adapt);
        }
    }
}
