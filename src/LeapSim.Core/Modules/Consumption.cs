using LeapSim.Core.Engine;
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
/// mechanisms.md §b), where need falls as bodies waste (need ∝ (BMI/reference)^a: lower metabolism and less
/// activity), so a lasting ration short of need settles at a lower BMI instead of falling forever; with enough food BMI recovers by up to 1 point a month. Heavy labour at
/// furnaces and water works adds to need. City people eat their ration (the state account decides what is paid).
/// </summary>
public sealed class Consumption : ModuleBase
{
    public override string Name => "consumption";
    public override string Summary => "Families or dining halls eat the village's grain; body-mass index follows intake against need";
    public override IReadOnlyList<string> Reads => ["grain_stock", "cohorts", "commune_share", "labour_backyard", "labour_water_works", "urban eaten", "levers dining_halls.*"];
    public override IReadOnlyList<string> Writes => ["eaten", "wasted", "grain_stock", "intake", "bmi", "urban intake, urban bmi"];

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("kcal_per_kg", "kcal per kg unhusked", 3000, 2800, 3200, "mechanisms.md §a: 0.87 × ~3,500 [D]", "food energy in a kg of unhusked grain"),
        P("grain_kcal_share", "share of calories", 0.85, 0.6, 1, "mechanisms.md §b: cereals ~85-90 % of calories in China (75 % nationally 1952-79, more in famine diets)", "grain's share of all food energy"),
        P("need_kcal", "kcal per person per day", 2100, 1500, 3000, "mechanisms.md §a: an average rural person needs about 2,100 kcal", "energy need of the average person at the reference body-mass index"),
        P("reference_bmi", "kg/m2", 21, 17, 25, "assumption [M]: adult BMI of well-fed 1950s Chinese peasants", "body-mass index at which need is the reference need"),
        P("heavy_labour_extra", "share of need", 0.25, 0, 1, "mechanisms.md §a: heavy work 2,500-3,000 kcal against ~2,100", "extra need of a worker at furnaces or water works"),
        P("adaptation_exponent", "exponent", 2.0, 1, 4, "calibrated (bodies adapt to scarcity by lower metabolism and less activity; mechanisms.md §b gives need falling with BMI)", "need ∝ (BMI / reference)^k: how strongly need falls as bodies waste"),
        P("bmi_loss_per_deficit", "BMI points per month at full deficit", 3.0, 0.5, 10, "Clingendael model (mechanisms.md §b): ΔBMI = −3.0 × deficit", "how fast bodies waste on a deficit"),
        P("bmi_gain_max", "BMI points per month", 1.0, 0.1, 3, "Clingendael model: recovery capped at +1 a month", "fastest recovery"),
        P("free_meal_overeating", "multiplier on need", 1.35, 1, 2, "mechanisms.md §d: 1.2-1.5 × normal for ~2 months [M]", "how much more people eat under free supply"),
        P("hall_leakage", "share of hall grain", 0.10, 0, 0.4, "mechanisms.md §d: cadre and cook leakage 5-15 % [M]", "grain lost to cooks, cadres and waste in dining halls"),
        P("storage_loss", "share per month", 0.004, 0, 0.05, "assumption: village storage losses", "monthly loss of village stocks"),
    ];

    public override IReadOnlyList<PolicyInfo> Policies =>
    [
        new("dining_halls", "Communal dining halls", "DIGEST; mechanisms.md §d; timeline.md",
        [
            new PolicySetting("share", "0-1", 0, 0, 1, "share of commune members eating in halls"),
            new PolicySetting("free_supply", "0-1", 0, 0, 1, "1 = eat without paying (no rationing, over-eating); 0 = rationed halls"),
        ]),
    ];

    private int _hallShare, _freeSupply;
    private double _kcalPerKg, _grainShare, _need, _refBmi, _heavy, _bmiLoss, _bmiGain, _overeat, _leakage, _storage, _kgToKcalPerDay, _adapt;

    public override void Initialise(SimContext ctx)
    {
        _hallShare = ctx.Levers.Index("dining_halls.share");
        _freeSupply = ctx.Levers.Index("dining_halls.free_supply");
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
        _kgToKcalPerDay = _kcalPerKg / _grainShare / (365.25 / 12);
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
        // Villages start January 1957 with the grain to reach the summer harvest, plus a month's reserve.
        for (var i = 0; i < u.Count; i++)
            u.GrainStockKg[i] = (float)(u.Persons[i] * NeedKg(_need) * (FarmCalendar.MonthsToNextHarvest(1) + 2));
    }

    /// <summary>Grain (kg unhusked per person per month) that gives <paramref name="kcalPerDay"/>.</summary>
    public double NeedKg(double kcalPerDay) => kcalPerDay / _kgToKcalPerDay;

    /// <summary>
    /// One month of a body: the new BMI after eating <paramref name="intake"/> kcal/day with a reference need of
    /// <paramref name="need"/> at <paramref name="refBmi"/>; need scales with body mass (BMI at fixed height).
    /// </summary>
    public static double NextBmi(double bmi, double intake, double need, double refBmi, double lossPerDeficit, double gainMax, double adaptation = 1)
    {
        var req = need * Math.Pow(bmi / refBmi, adaptation);
        var deficit = (req - intake) / req;
        if (deficit > 0) return Math.Max(8, bmi - lossPerDeficit * deficit);
        return Math.Min(refBmi, bmi + Math.Min(gainMax, -deficit * lossPerDeficit));
    }

    /// <summary>How much a family (or a rationed hall) eats this month: its need, or its stock spread to the harvest.</summary>
    public static double FamilyRation(double stockKg, double needKg, int monthsToHarvest) =>
        Math.Max(0, Math.Min(needKg, stockKg / (monthsToHarvest + 1)));

    public override void Step(SimContext ctx)
    {
        var units = ctx.Units;
        var moy = ctx.Month.MonthOfYear;
        var months = FarmCalendar.MonthsToNextHarvest(moy);
        var hallShare = ctx.Levers[_hallShare];
        var free = ctx.Levers[_freeSupply];
        ctx.ForEachChunk((_, a, b) =>
        {
            for (var u = a; u < b; u++)
            {
                var persons = (double)units.Persons[u];
                if (persons <= 0) { units.IntakeKcal[u] = 0; continue; }
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
                var familyEat = FamilyRation(stock * (1 - inHalls), needKg * (1 - inHalls), months);
                var hallStock = stock * inHalls;
                var hallWant = needKg * inHalls * (free * _overeat + (1 - free));
                var hallServe = free * Math.Min(hallWant, hallStock) + (1 - free) * FamilyRation(hallStock, hallWant, months);
                var hallLeak = hallServe * _leakage;
                var eaten = familyEat + hallServe - hallLeak;
                units.EatenKg[u] = (float)eaten;
                units.WastedKg[u] = (float)(loss + hallLeak);
                units.GrainStockKg[u] = (float)Math.Max(0, stock - familyEat - hallServe);

                var intake = eaten / persons * _kgToKcalPerDay;
                units.IntakeKcal[u] = (float)intake;
                units.Bmi[u] = (float)NextBmi(units.Bmi[u], intake, _need * (1 + _heavy * heavyShare), _refBmi, _bmiLoss, _bmiGain, _adapt);
            }
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
