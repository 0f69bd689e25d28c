using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LeapSim.Core.Engine;
using LeapSim.Core.Parameters;
using LeapSim.Core.Random;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using LeapSim.Core.Numerics;
using static LeapSim.Core.Numerics.FourUnits;

namespace LeapSim.Core.Modules;

/// <summary>
/// Demography, monthly, for every rural unit and every city:
/// - deaths: the 1957 age schedule (<see cref="DemographicSchedules"/>, scaled to the province's 1957 rate) plus
///   famine mortality from the body-mass index, m = a × exp((18.5 − BMI)^b) a month below BMI 18.5 (Clingendael
///   model, mechanisms.md §b: a = 0.00023, b = 1.36) of each individual, averaged over a normal spread of individual
///   BMI around the unit's mean (the weak die first: the survivors' mean BMI rises by the expected selection), times an age relative risk (infants and the old first;
///   mechanisms.md §b suggests RR ≈ 3 at 0-4, 1 at 15-49, 2-3 at 60+). BMI falls over months before deaths rise, so
///   deaths lag the ration cut;
/// - mobilisation mortality: while political pressure is above normal, the mass campaigns' labour at the backyard
///   furnaces and the water works (LabourAllocation) kills beyond hunger — exhaustion from work by day and night,
///   accidents, cold, and (an assumption) the young and old left without care when the able-bodied are away
///   (Dikötter 2010: accidents at mines, furnaces and works rose from 1958). A unit's extra monthly hazard is
///   mobilisation_mortality × excess pressure × (furnace + works labour) / its people, weighted by the same age risks
///   as famine deaths and registered like them; no source gives its size (calibrated);
/// - births: women 15-49 × the 1957 age-specific rates × a fertility factor (BMI seen through a two-stage lag of
///   about nine months, mechanisms.md §b; 1 above a threshold BMI, (BMI / threshold)^e below) × the birth-control lever; births lost to hunger are partly made up
///   when food returns (catch-up);
/// - one Poisson draw per unit for deaths and one for births, split over the age groups in proportion to their
///   expected numbers (aggregate hazards, then split);
/// - registration: normal deaths are registered at the 1957 completeness (10.8/18.1, Banister 1984), famine deaths
///   less completely; births at 34.0/43.3;
/// - ageing: each month 1/12 of a single-year group and 1/60 of a five-year group move up.
/// </summary>
public sealed class Demography : ModuleBase
{
    public override string Name => "demography";
    public override string Summary => "Births and deaths by age and sex from nutrition, with lags, catch-up, registration and ageing";
    public override IReadOnlyList<string> Reads => ["cohorts", "bmi", "urban bmi", "labour_backyard", "labour_water_works", "national: excess pressure", "levers birth_control.*"];
    public override IReadOnlyList<string> Writes => ["cohorts", "workers", "bmi (survivors of famine deaths)", "births", "deaths", "births_registered", "deaths_registered", "fertility_nutrition", "postponed_births", "urban cohorts and flows"];

    /// <summary>Registered share of normal deaths in 1957 (national_1957.csv, Banister 1984: 10.8 of 18.1 per 1000); famine deaths were registered no better.</summary>
    private const double NormalDeathRegistration = 10.8 / 18.1;

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("famine_mortality_scale", "monthly probability", 0.00023, 0.00001, 0.01, "Clingendael model via aristotle-tek/famine-prediction (mechanisms.md §b)", "a in m = a × exp((18.5 − BMI)^b)"),
        P("famine_mortality_exponent", "exponent", 1.36, 0.5, 3, "Clingendael model (mechanisms.md §b)", "b in m = a × exp((18.5 − BMI)^b)"),
        P("famine_bmi_threshold", "kg/m2", 18.5, 15, 21, "Clingendael model (mechanisms.md §b)", "BMI below which famine mortality starts"),
        P("mobilisation_mortality", "monthly death probability", 0.004, 0, 0.05, "calibrated (no source in research/ gives a size; Dikötter 2010, the chapters on ways of dying, read through the search corpus: accidents at mines, furnaces and works rose from 1958; the labour it scales is the model's own; the famine's age risks are an assumption)", "extra monthly death hazard of a unit whose people were all at furnaces or water works, per unit of political pressure above normal (exhaustion, accidents, cold, neglect of the young and old)"),
        P("famine_hazard_max", "monthly probability", 0.5, 0.1, 1, "assumption: the Clingendael formula (mechanisms.md §b) has no ceiling and passes 1 below BMI 13.7; a person has at most this chance of dying of hunger in a month (0.5 binds below an individual BMI of 14.0)", "ceiling on one person's monthly famine death probability"),
        P("individual_bmi_sd", "kg/m2", 1.0, 0.3, 2.5, "calibrated (members of a team or commune do not starve alike: frailty, household stocks, who serves the ladle; the Clingendael relation, mechanisms.md §b, is applied to individuals and averaged over this spread, and the weakest die first, which raises the survivors' mean BMI; the spread within a unit in a famine is not measured; the whole rural population's spread in 1982 was about 1.5-1.9, from 9 % of rural adults aged 20-45 below BMI 18.5 around a mean of 20.5-21 if normal, Ge et al. 1994: an upper bound for the spread within a unit)", "within-unit spread of individual BMI over which the famine hazard is averaged"),
        P("rr_under5", "relative risk", 3, 0.5, 10, "mechanisms.md §b [M]: ≈ 3 for 0-4", "famine mortality of children 0-4 relative to adults 15-49"),
        P("rr_5_14", "relative risk", 1.2, 0.3, 10, "assumption", "famine mortality of children 5-14 relative to adults 15-49"),
        P("rr_50_59", "relative risk", 1.6, 0.5, 10, "assumption", "famine mortality at 50-59 relative to adults 15-49"),
        P("rr_60plus", "relative risk", 2.5, 0.5, 10, "mechanisms.md §b [M]: 2-3 for 60+", "famine mortality at 60+ relative to adults 15-49"),
        P("fertility_bmi_elasticity", "elasticity", 4, 0, 15, "calibrated (mechanisms.md §b: F falls below 1 when food is short; its level is a calibration parameter)", "fertility ∝ (lagged BMI / threshold)^e below the threshold, reference_bmi − fertility_bmi_gap"),
        P("fertility_bmi_gap", "kg/m2", 0, 0, 4, "assumption, not fitted (mechanisms.md §b: F falls below 1 when food is short, from a level not documented): 0, so that any shortfall below the reference BMI lowers fertility; a gap spares mild seasonal shortfalls (a what-if: MODEL.md §6.11)", "how far below consumption.reference_bmi the lagged BMI must fall before fertility falls"),
        P("fertility_lag_rate", "share per month", 0.22, 0.05, 1, "mechanisms.md §b: births respond 9-12 months after the shortfall (two stages of ~4.5 months)", "speed of each stage of the nutrition lag seen by fertility"),
        P("catch_up_rate", "share of postponed births per month", 0.04, 0, 0.5, "assumption (mechanisms.md §b: a catch-up term restores part of the postponed births)", "share of postponed births made up each month once fed"),
        P("catch_up_decay", "share per month", 0.03, 0, 0.5, "assumption: postponed births not made up within a few years are lost", "monthly loss of postponed births"),
        P("catch_up_fertility", "share of normal fertility", 0.95, 0, 1, "assumption: postponed births are made up once couples are about fed again (mechanisms.md §b gives no level)", "fertility factor at or above which postponed births start to be made up"),
        P("death_registration", "share", NormalDeathRegistration, 0.1, 1, "national_1957.csv (Banister 1984): 10.8 registered of 18.1 true per 1000", "share of normal deaths registered"),
        P("famine_death_registration", "share", 0.35, 0.05, NormalDeathRegistration, "calibrated (SOURCES.md: registration was worse in the famine, so the share is at most the normal share, death_registration)", "share of famine deaths registered"),
        P("birth_registration", "share", 34.0 / 43.3, 0.1, 1, "national_1957.csv (Banister 1984): 34.0 registered of 43.3 true per 1000", "share of births registered"),
        P("stochastic", "0 or 1", 1, 0, 1, "design choice", "1 = Poisson draws for births and deaths; 0 = expected values"),
    ];

    public override IReadOnlyList<PolicyInfo> Policies =>
    [
        new("birth_control", "Birth-control campaigns", "DIGEST: 1963 campaign (no benefits beyond three children)",
        [
            new PolicySetting("fertility_factor", "multiplier", 1, 0.3, 1.2, "fertility relative to the 1957 schedule"),
        ]),
    ];

    private int _birthControl;
    private double _mobilisation;
    /// <summary>This month's mobilisation hazard per share of a unit's people at furnaces or works (mobilisation_mortality × excess pressure).</summary>
    private double _mobilisedHazard;
    private double _a, _b, _threshold, _hazardMax, _catchUpFertility, _fertElast, _fertThreshold, _lagRate, _catchUp, _catchDecay, _regDeath, _regFamine, _regBirth, _refBmi;
    private bool _stochastic;
    private double[] _famineTable = [];   // expected monthly famine hazard by unit mean BMI (step TableStep from TableMin)
    private double[] _survivorShift = []; // rise of the mean BMI of a unit's survivors after a month of expected famine deaths
    internal const double TableMin = 5, TableStep = 0.01;
    private double[] _baseMonthly = [];   // monthly death probability per cohort at the national level
    private double[] _qNormal = [];       // monthly death probability by province and cohort (province-major)
    private double[] _rr = [];
    private double[] _fertMonthly = [];
    // The monthly kernel's tables in float, padded from 42 cohorts to 48 (six 8-float vectors): the normal death
    // probability by province (province-major), the famine relative risk, the monthly fertility of each female group
    // (0 for males and outside 15-49), the share ageing out of each group (0 for 80+ and the padding), working ages.
    private const int Padded = 48, WorkLength = Padded;
    private float[] _qNormalF = [], _rrF = [], _fertF = [], _ageOutF = [], _workingF = [];
    // The normal death probability by province and group, each value repeated over 8 lanes (province-major, then
    // group, then lane) for the kernel that steps 16 units at a time (StepLanes).
    private float[] _qNormalLanes = [];
    private RngStream _deathRng, _birthRng, _urbanRng;
    private static readonly ulong DeathStream = CounterRng.StreamId("demography.deaths");
    private static readonly ulong BirthStream = CounterRng.StreamId("demography.births");
    private static readonly ulong UrbanStream = CounterRng.StreamId("demography.urban");

    public override void Initialise(SimContext ctx)
    {
        _birthControl = ctx.Levers.Index("birth_control.fertility_factor");
        _a = Value(ctx, "famine_mortality_scale");
        _b = Value(ctx, "famine_mortality_exponent");
        _threshold = Value(ctx, "famine_bmi_threshold");
        _hazardMax = Value(ctx, "famine_hazard_max");
        _mobilisation = Value(ctx, "mobilisation_mortality");
        _catchUpFertility = Value(ctx, "catch_up_fertility");
        _fertElast = Value(ctx, "fertility_bmi_elasticity");
        // The threshold sits a gap below the reference BMI (a fed body), so a gap of 0 is the old rule whatever the reference.
        _fertThreshold = ctx.Parameters["consumption.reference_bmi"] - Value(ctx, "fertility_bmi_gap");
        _lagRate = Value(ctx, "fertility_lag_rate");
        _catchUp = Value(ctx, "catch_up_rate");
        _catchDecay = Value(ctx, "catch_up_decay");
        _regDeath = Value(ctx, "death_registration");
        _regFamine = Value(ctx, "famine_death_registration");
        _regBirth = Value(ctx, "birth_registration");
        _stochastic = Value(ctx, "stochastic") >= 0.5;
        _refBmi = ctx.Parameters["consumption.reference_bmi"];
        var spread = Value(ctx, "individual_bmi_sd");
        _famineTable = FamineTable(_a, _b, _threshold, spread, _hazardMax);
        _survivorShift = SurvivorShiftTable(_a, _b, _threshold, spread, _hazardMax);
        // StepLanes reads both tables at one place per unit (TablePlace): they must have the same steps.
        if (_survivorShift.Length != _famineTable.Length) throw new InvalidOperationException("demography: the survivor and famine tables differ in length");
        // Count only hazard above the 1957 nutritional state: the 1957 death rates already hold it.
        var atReference = ExpectedFamineMortality(_refBmi);
        for (var i = 0; i < _famineTable.Length; i++) _famineTable[i] = Math.Max(0, _famineTable[i] - atReference);

        var schedules = WorldBuilder.Schedules(ctx.Inputs);
        _baseMonthly = schedules.AnnualHazard.Select(h => 1 - Math.Exp(-h / 12)).ToArray();
        _fertMonthly = schedules.AnnualFertility.Select(f => f / 12).ToArray();
        var pr = ctx.World.Provinces;
        _qNormal = new double[pr.Count * AgeGroups.Cohorts];
        for (var p = 0; p < pr.Count; p++)
            for (var k = 0; k < AgeGroups.Cohorts; k++)
                _qNormal[p * AgeGroups.Cohorts + k] = _baseMonthly[k] * pr.TrueDeathRate1957[p] / schedules.DeathRate;
        _rr = new double[AgeGroups.Cohorts];
        for (var s = 0; s < 2; s++)
            for (var g = 0; g < AgeGroups.PerSex; g++)
            {
                var age = AgeGroups.LowerAge[g];
                _rr[AgeGroups.Index(s, g)] = age < 5 ? Value(ctx, "rr_under5")
                    : age < 15 ? Value(ctx, "rr_5_14")
                    : age < 50 ? 1
                    : age < 60 ? Value(ctx, "rr_50_59")
                    : Value(ctx, "rr_60plus");
            }

        _qNormalF = new float[pr.Count * Padded];
        for (var p = 0; p < pr.Count; p++)
            for (var k = 0; k < AgeGroups.Cohorts; k++) _qNormalF[p * Padded + k] = (float)_qNormal[p * AgeGroups.Cohorts + k];
        _qNormalLanes = new float[pr.Count * AgeGroups.Cohorts * Lanes];
        for (var p = 0; p < pr.Count; p++)
            for (var k = 0; k < AgeGroups.Cohorts; k++)
                _qNormalLanes.AsSpan((p * AgeGroups.Cohorts + k) * Lanes, Lanes).Fill(_qNormalF[p * Padded + k]);
        _rrF = new float[Padded];
        _fertF = new float[Padded];
        _ageOutF = new float[Padded];
        _workingF = new float[Padded];
        for (var s = 0; s < 2; s++)
            for (var g = 0; g < AgeGroups.PerSex; g++)
            {
                var k = AgeGroups.Index(s, g);
                _rrF[k] = (float)_rr[k];
                if (s == AgeGroups.Female && g is >= AgeGroups.FirstFertileGroup and <= AgeGroups.LastFertileGroup) _fertF[k] = (float)_fertMonthly[g];
                if (g < AgeGroups.PerSex - 1) _ageOutF[k] = AgeOut[g];
                if (g is >= AgeGroups.FirstWorkingGroup and <= AgeGroups.LastWorkingGroup) _workingF[k] = 1;
            }
        _deathRng = ctx.Stream(DeathStream);
        _birthRng = ctx.Stream(BirthStream);
        _urbanRng = ctx.Stream(UrbanStream);
    }

    /// <summary>Monthly famine death probability of an adult 15-49 at a body-mass index, at most <paramref name="max"/>.</summary>
    public static double FamineMortality(double bmi, double a, double b, double threshold, double max) =>
        bmi >= threshold ? 0 : Math.Min(max, a * Math.Exp(Math.Pow(threshold - bmi, b)));

    /// <summary>
    /// The unit's expected monthly famine hazard as a function of its mean BMI: the individual hazard averaged over a
    /// normal spread (sd) of individual BMI around the mean. Tabulated once; looked up in the monthly loop.
    /// </summary>
    public static double[] FamineTable(double a, double b, double threshold, double sd, double max)
    {
        var n = (int)((30 - TableMin) / TableStep) + 1;
        var table = new double[n];
        for (var i = 0; i < n; i++)
        {
            var mean = TableMin + i * TableStep;
            if (sd <= 0) { table[i] = FamineMortality(mean, a, b, threshold, max); continue; }
            double acc = 0, wsum = 0;
            for (var z = -4.0; z <= 4.0; z += 0.05)
            {
                var w = Math.Exp(-0.5 * z * z);
                acc += w * FamineMortality(mean + z * sd, a, b, threshold, max);
                wsum += w;
            }
            table[i] = acc / wsum;
        }
        return table;
    }

    /// <summary>
    /// The weak die first: with a normal spread (sd) of individual BMI around a unit's mean, a month of famine deaths
    /// at the individual hazard leaves survivors whose mean BMI is higher, by E[x (1 − m(x))] / E[1 − m(x)] − mean.
    /// Tabulated like <see cref="FamineTable"/>; 0 everywhere when sd = 0.
    /// </summary>
    public static double[] SurvivorShiftTable(double a, double b, double threshold, double sd, double max)
    {
        var n = (int)((30 - TableMin) / TableStep) + 1;
        var table = new double[n];
        if (sd <= 0) return table;
        for (var i = 0; i < n; i++)
        {
            var mean = TableMin + i * TableStep;
            double survivors = 0, survivorBmi = 0;
            for (var z = -4.0; z <= 4.0; z += 0.05)
            {
                var x = mean + z * sd;
                var w = Math.Exp(-0.5 * z * z) * (1 - FamineMortality(x, a, b, threshold, max));
                survivors += w;
                survivorBmi += w * x;
            }
            // Never negative: selection can only raise the mean (rounding could make a uniform hazard's shift −1e-15).
            table[i] = survivors > 0 ? Math.Max(0, survivorBmi / survivors - mean) : 0;
        }
        return table;
    }

    private double ExpectedFamineMortality(double meanBmi) => Lookup(_famineTable, meanBmi);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Lookup(double[] table, double meanBmi)
    {
        var x = (meanBmi - TableMin) / TableStep;
        if (x <= 0) return table[0];
        var i = (int)x;
        if (i >= table.Length - 1) return table[^1];
        var f = x - i;
        return table[i] * (1 - f) + table[i + 1] * f;
    }

    /// <summary>Fertility relative to 1957 at a lagged BMI: 1 at or above the threshold, (BMI/threshold)^e below.</summary>
    public static double FertilityFactor(double laggedBmi, double threshold, double elasticity) =>
        laggedBmi >= threshold ? 1 : Math.Pow(Math.Max(0.1, laggedBmi / threshold), elasticity);

    /// <summary>Units per block of the monthly loop: their fertility factors are computed together, 4 at a time.</summary>
    private const int Block = 256;

    /// <summary>
    /// <see cref="FertilityFactor"/> of each lagged BMI, 8 or 4 at a time as exp(e × ln(max(0.1, BMI / ref))) (the
    /// vector logarithm and exponential agree with Math.Pow to within a few units in the last place). Eight at a time
    /// where the machine has 512-bit vectors: .NET's vector Log and Exp are one algorithm at every width, so a lane
    /// gets the same bits in 8 lanes as in 4 (FertilityFactorsEightAtATimeTests); <paramref name="eightAtATime"/> false
    /// (for tests) takes 4 at a time throughout.
    /// </summary>
    internal void FertilityFactors(ReadOnlySpan<float> laggedBmi, Span<double> factor, bool eightAtATime = true)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated && Avx.IsSupported && eightAtATime)
        {
            var reference = Vector512.Create(_fertThreshold);
            var inverse = Vector512.Create(1 / _fertThreshold);
            var floor = Vector512.Create(0.1);
            var elasticity = Vector512.Create(_fertElast);
            ref var bmi = ref MemoryMarshal.GetReference(laggedBmi);
            for (; i + 8 <= laggedBmi.Length; i += 8)
            {
                // Mirrors the 4-lane loop below: a change there must be made here too.
                var x = Vector512.Create(Wide(Vector128.LoadUnsafe(ref bmi, (nuint)i)), Wide(Vector128.LoadUnsafe(ref bmi, (nuint)i + 4)));
                var fed = Vector512.GreaterThanOrEqual(x, reference);
                if (Vector512.GreaterThanOrEqualAll(x, reference)) { Vector512<double>.One.CopyTo(factor[i..]); continue; } // all eight fed
                var below = Vector512.Exp(elasticity * Vector512.Log(Vector512.Max(floor, x * inverse)));
                Vector512.ConditionalSelect(fed, Vector512<double>.One, below).CopyTo(factor[i..]);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var reference = Vector256.Create(_fertThreshold);
            var inverse = Vector256.Create(1 / _fertThreshold);
            var floor = Vector256.Create(0.1);
            var elasticity = Vector256.Create(_fertElast);
            for (; i + 4 <= laggedBmi.Length; i += 4)
            {
                var x = Vector256.Create((double)laggedBmi[i], laggedBmi[i + 1], laggedBmi[i + 2], laggedBmi[i + 3]);
                var fed = Vector256.GreaterThanOrEqual(x, reference);
                if (Vector256.GreaterThanOrEqualAll(x, reference)) { Vector256<double>.One.CopyTo(factor[i..]); continue; } // all four fed
                var below = Vector256.Exp(elasticity * Vector256.Log(Vector256.Max(floor, x * inverse)));
                Vector256.ConditionalSelect(fed, Vector256<double>.One, below).CopyTo(factor[i..]);
            }
        }
        for (; i < laggedBmi.Length; i++) factor[i] = FertilityFactor(laggedBmi[i], _fertThreshold, _fertElast);
    }

    /// <summary>
    /// Units [<paramref name="from"/>, <paramref name="to"/>) move their fertility's view of nutrition through its two
    /// lagged stages: four units at a time where the machine has AVX (unless <see cref="OneUnitAtATime"/>), in the
    /// scalar loop's operations and precision (a float difference, times the rate in double, rounded to float, added in
    /// float), so the same bits.
    /// </summary>
    private void LagFertilityNutrition(RuralUnits units, int from, int to)
    {
        var u = from;
        if (Avx.IsSupported && !OneUnitAtATime)
        {
            // Mirrors the scalar loop below: a change there must be made here too.
            var rate = Vector256.Create(_lagRate);
            for (; u + 4 <= to; u += 4)
            {
                var lag = Load(units.FertilityNutritionLag, u);
                lag += Narrow(rate * Wide(Load(units.Bmi, u) - lag));
                Store(units.FertilityNutritionLag, u, lag);
                var seen = Load(units.FertilityNutrition, u);
                Store(units.FertilityNutrition, u, seen + Narrow(rate * Wide(lag - seen)));
            }
        }
        for (; u < to; u++)
        {
            units.FertilityNutritionLag[u] += (float)(_lagRate * (units.Bmi[u] - units.FertilityNutritionLag[u]));
            units.FertilityNutrition[u] += (float)(_lagRate * (units.FertilityNutritionLag[u] - units.FertilityNutrition[u]));
        }
    }

    private (RuralUnits Units, double Control, int Month) _month;
    private Action<int, int, int>? _stepUnits;

    public override void Step(SimContext ctx)
    {
        var control = ctx.Levers[_birthControl];
        _month = (ctx.Units, control, ctx.Month.Index);
        _mobilisedHazard = _mobilisation * ctx.World.National.ExcessPressure;
        // The chunk body reads the month's values from a field, so the delegate is made once, not every month.
        ctx.ForEachChunk(_stepUnits ??= (_, a, b) =>
        {
            var (units, control, month) = _month;
            Span<float> work = stackalloc float[WorkLength];
            Span<double> fertility = stackalloc double[Block];
            Span<float> block = stackalloc float[LaneScratch];
            Span<double> ratioAndAll = stackalloc double[4 * Lanes];
            for (var start = a; start < b; start += Block)
            {
                var end = Math.Min(b, start + Block);
                // Fertility sees nutrition through two lagged stages.
                LagFertilityNutrition(units, start, end);
                FertilityFactors(units.FertilityNutrition.AsSpan(start, end - start), fertility);
                // Blocks of eight units, two at a time (StepLanes), then the block's last few one by one. A pair with
                // an empty unit goes as two single blocks, and the block with the empty unit one by one.
                var next = start;
                if (Avx.IsSupported && !OneUnitAtATime)
                    for (; next + Eight <= end; next += Eight)
                    {
                        var pair = !EightAtATime && next + 2 * Eight <= end;
                        if (pair && StepLanes(units, next, true, fertility[(next - start)..], control, month, block, ratioAndAll)) { next += Eight; continue; }
                        if (!StepLanes(units, next, false, fertility[(next - start)..], control, month, block, ratioAndAll))
                            StepOneByOne(units, next, next + Eight, fertility[(next - start)..], control, month, work);
                    }
                StepOneByOne(units, next, end, fertility[(next - start)..], control, month, work);
            }
        });

        var urban = ctx.World.Urban;
        Span<float> exp = stackalloc float[WorkLength];
        Span<float> buffer = stackalloc float[AgeGroups.Cohorts];
        for (var p = 0; p < urban.Count; p++)
        {
            urban.FertilityNutritionLag[p] += _lagRate * (urban.Bmi[p] - urban.FertilityNutritionLag[p]);
            urban.FertilityNutrition[p] += _lagRate * (urban.FertilityNutritionLag[p] - urban.FertilityNutrition[p]);
            var c = urban.CohortsOf(p);
            for (var k = 0; k < AgeGroups.Cohorts; k++) buffer[k] = (float)c[k];
            var (d, dReg, births, _, _, deathRatio) = StepPopulation(buffer, exp, urban.Bmi[p], 0, p,
                FertilityFactor(urban.FertilityNutrition[p], _fertThreshold, _fertElast), control, ref urban.PostponedBirths[p],
                ctx.Rng(_urbanRng, 2L * p), ctx.Rng(_urbanRng, 2L * p + 1));
            // Cities keep double precision: apply the same flows to the double cohorts.
            var before = 0.0;
            for (var k = 0; k < AgeGroups.Cohorts; k++) before += c[k];
            for (var k = 0; k < AgeGroups.Cohorts; k++) c[k] = buffer[k];
            urban.Deaths[p] = d;
            if (deathRatio > 0) urban.Bmi[p] = SurvivorsBmi(urban.Bmi[p], deathRatio);
            urban.DeathsRegistered[p] = dReg;
            urban.Births[p] = births;
            urban.BirthsRegistered[p] = births * _regBirth;
            // Make the stock change equal the recorded flows exactly (float rounding of the buffer).
            var after = 0.0;
            for (var k = 0; k < AgeGroups.Cohorts; k++) after += c[k];
            var drift = before + births - d - after;
            var largest = 0;
            for (var k = 1; k < AgeGroups.Cohorts; k++) if (c[k] > c[largest]) largest = k;
            // On the largest group, where a rounding-sized change cannot make a cohort negative, unless the city is
            // empty (all groups ~0, as when everyone has been sent back): then a rounding error is left unbooked.
            c[largest] = Math.Max(0, c[largest] + drift);
        }
    }

    /// <summary>Units <paramref name="from"/> to <paramref name="to"/> (exclusive) one at a time (<see cref="StepPopulation"/>).</summary>
    private void StepOneByOne(RuralUnits units, int from, int to, ReadOnlySpan<double> fertility, double control, int month, Span<float> work)
    {
        for (var u = from; u < to; u++)
        {
            var r = StepPopulation(units.CohortsOf(u), work, units.Bmi[u], MobilisationHazard(units, u), units.ProvinceOf[u],
                fertility[u - from], control,
                ref units.PostponedBirths[u], _deathRng.For(u, month), _birthRng.For(u, month));
            WriteOutcome(units, u, r);
        }
    }

    /// <summary>
    /// A unit's mobilisation hazard this month: <see cref="_mobilisedHazard"/> × (furnace + works labour) / people, 0
    /// for an empty unit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double MobilisationHazard(RuralUnits units, int u) =>
        _mobilisedHazard > 0 && units.Persons[u] > 0
            ? _mobilisedHazard * ((double)units.LabourBackyard[u] + units.LabourWaterWorks[u]) / units.Persons[u] : 0;

    /// <summary><see cref="MobilisationHazard(RuralUnits, int)"/> of the four units from <paramref name="u"/>: the same operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<double> MobilisationHazardFour(RuralUnits units, int u)
    {
        if (_mobilisedHazard <= 0) return Vector256<double>.Zero;
        var persons = Wide(Load(units.Persons, u));
        var hazard = Vector256.Create(_mobilisedHazard) * (Wide(Load(units.LabourBackyard, u)) + Wide(Load(units.LabourWaterWorks, u))) / persons;
        return Vector256.ConditionalSelect(Vector256.GreaterThan(persons, Vector256<double>.Zero), hazard, Vector256<double>.Zero);
    }

    /// <summary>Writes one unit's month: its flows, headcounts and the survivors' BMI.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteOutcome(RuralUnits units, int u, in Outcome r)
    {
        units.Deaths[u] = (float)r.Deaths;
        units.DeathsRegistered[u] = (float)r.DeathsRegistered;
        units.Births[u] = (float)r.Births;
        units.BirthsRegistered[u] = (float)(r.Births * _regBirth);
        units.Persons[u] = (float)r.Persons;
        units.Workers[u] = (float)r.Workers;
        // Those who died were the weakest: the survivors' mean BMI rises by the expected shift, scaled by the
        // month's realised deaths against the expected.
        if (r.DeathRatio > 0) units.Bmi[u] = (float)SurvivorsBmi(units.Bmi[u], r.DeathRatio);
    }

    // ---- Sixteen units at a time ----
    //
    // Why the kernel runs across units: one unit's 42 groups fill five and a quarter vectors, and each of its sums
    // (expected deaths, famine deaths, deaths, births, people, workers) needs a horizontal sum at the end, as does the
    // ageing a lane rotation between vectors. Consecutive units, transposed so that each vector holds one group of
    // the units (lane = unit), need none of that: every sum stays in its unit's lane, ageing passes movers from one
    // vector to the next, and the last vector is full. The design probe (bench/LeapSim.Bench, CohortLayoutBenchmarks)
    // measured this arithmetic 1.72× faster than the unit-at-a-time kernel. The cohort table keeps its layout (every
    // other module reads a unit's 42 groups together): two blocks of eight units are transposed, each block's 8 × 42
    // groups into eight of the sixteen lanes of a scratch block on the stack (five 8 × 8 AVX transposes and a sixth,
    // overlapping one for groups 34-41), stepped in 512-bit vectors, and transposed back. Sixteen lanes rather than
    // eight: each pass is a chain of additions per sum, group after group, so twice the units a vector is twice the
    // work a step of the chain, for the same instructions on a machine with 512-bit vectors (elsewhere .NET runs a
    // 512-bit vector as two 256-bit halves). Every lane does the same operations in the same order whichever lanes
    // share its vector, so a unit's numbers do not depend on which other units are stepped with it; a single block
    // of eight (the last of a chunk, or beside an empty unit) fills both halves with its own units and writes back one.
    // Each unit's death and birth draws come from its own streams, with the uniforms StepPopulation uses
    // (RngStream.Poissons inverts the sixteen together and gives the counts a scalar draw gives at the same mean);
    // births, postponed births and the BMI shift stay per unit, so a unit's month is StepPopulation's up to the order
    // of float sums. That order moves a draw's mean in its last bits, which now and then changes a count by one (a
    // review counted 22 unit-months in 4.77 million draws), so results depend, at that level, on whether the machine
    // has AVX and on whether a unit's block of eight goes one by one (it does when one of them is empty).

    /// <summary>Units of a block: a tile of the transposes, one Poisson call of eight draws.</summary>
    private const int Eight = 8;
    /// <summary>Lanes of the kernel's vectors (Vector512 of float): two blocks of eight units.</summary>
    private const int Lanes = 2 * Eight;
    /// <summary>
    /// Units ahead of a step whose cohorts it asks the processor for (<see cref="Prefetch"/>): three steps (8 KB) ahead.
    /// Anywhere from one step to six measured alike (Sichuan's teams, July 1959: 19.1-20.7 ms against 22.3-22.9 without).
    /// </summary>
    private const int PrefetchAhead = 3 * Lanes;

    /// <summary>For tests: step every rural unit alone (<see cref="StepPopulation"/>), as machines without AVX do.</summary>
    internal bool OneUnitAtATime { get; set; }
    /// <summary>For tests: step each block of eight units alone (<see cref="StepLanes"/> with one block), never two together.</summary>
    internal bool EightAtATime { get; set; }
    /// <summary>
    /// Floats of <see cref="StepLanes"/>'s scratch: the units' cohorts, their expected deaths and their normal death
    /// probabilities (42 × 16 each, group-major: [group × 16 + lane]), then seven per-unit values (16 each).
    /// </summary>
    private const int LaneScratch = 3 * GroupsByLanes + 7 * Lanes;
    private const int GroupsByLanes = AgeGroups.Cohorts * Lanes;
    // Offsets of the per-unit values in the scratch, from LaneValues.
    private const int LaneValues = 3 * GroupsByLanes;
    private const int FamineAt = 0, ExpectedAt = Lanes, FamineDeathsAt = 2 * Lanes, RatioAt = 3 * Lanes, DeadAt = 4 * Lanes, BirthsAt = 5 * Lanes, WorkingAt = 6 * Lanes;

    /// <summary>
    /// One month for the sixteen units from <paramref name="first"/> (<paramref name="pair"/>), or for the eight from
    /// it: as <see cref="StepPopulation"/> and <see cref="WriteOutcome"/> for each, with the vector arithmetic across
    /// the units. Returns false, having changed nothing, when one of them has nobody at risk (an empty unit): the caller
    /// then steps them in smaller blocks. <paramref name="fertility"/>: the units' fertility factors from the first;
    /// <paramref name="scratch"/>: <see cref="LaneScratch"/> floats; <paramref name="ratioAndAll"/>: 64 doubles (each
    /// lane's deaths drawn over expected, its headcount after ageing, the mean and the count of its death or birth draw).
    /// </summary>
    private bool StepLanes(RuralUnits units, int first, bool pair, ReadOnlySpan<double> fertility, double control, int month, Span<float> scratch, Span<double> ratioAndAll)
    {
        const int n = AgeGroups.Cohorts;
        ref var c = ref MemoryMarshal.GetReference(scratch);
        ref var lanes = ref Unsafe.Add(ref c, LaneValues);
        ref var ratio = ref MemoryMarshal.GetReference(ratioAndAll);
        ref var all = ref Unsafe.Add(ref ratio, Lanes);
        // The lanes' units: first + lane, or, for a single block, its eight units in both halves.
        var blocks = pair ? 2 : 1;
        var second = pair ? first + Eight : first;
        Prefetch.Range(units.Cohorts, (first + PrefetchAhead) * n, Lanes * n);
        // Each block's groups 0-39 as five 8 × 8 tiles; groups 34-41 as a sixth that overlaps the fifth (which it rewrites alike).
        for (var half = 0; half < 2; half++)
        {
            ref var cohorts = ref units.Cohorts[(half == 0 ? first : second) * n];
            for (var tile = 0; tile < 5; tile++) Tile8.Transpose(ref Unsafe.Add(ref cohorts, tile * 8), n, ref Unsafe.Add(ref c, tile * 8 * Lanes + half * Eight), Lanes);
            Tile8.Transpose(ref Unsafe.Add(ref cohorts, n - 8), n, ref Unsafe.Add(ref c, (n - 8) * Lanes + half * Eight), Lanes);
        }

        // The normal death probabilities of each unit's province: a province's row repeated over the lanes (the usual
        // case), or gathered when the units straddle two provinces (each block's eight provinces compared at once).
        var province = units.ProvinceOf[first];
        var provinces = Vector256.Create(province);
        var mixed = !Vector256.EqualsAll(Vector256.LoadUnsafe(ref units.ProvinceOf[first]), provinces)
                    || !Vector256.EqualsAll(Vector256.LoadUnsafe(ref units.ProvinceOf[second]), provinces);
        ref var q = ref mixed ? ref Unsafe.Add(ref c, 2 * GroupsByLanes) : ref _qNormalLanes[province * GroupsByLanes];
        if (mixed)
            for (var lane = 0; lane < Lanes; lane++)
            {
                var p = units.ProvinceOf[LaneUnit(first, second, lane)];
                for (var k = 0; k < n; k++) Unsafe.Add(ref q, k * Lanes + lane) = _qNormalF[p * Padded + k];
            }

        // Each unit's famine hazard, four lanes at a time. The survivors' BMI below interpolates the survivor table at
        // the same place (the tables share their steps, and a unit's BMI does not change in between), so each lane's
        // place, a division among other things, is computed once (4 % of a demography month, Sichuan and Henan in June
        // 1958, one thread: 25.6 against 26.7 ms; the same bits).
        var places = new Places();
        for (var quarter = 0; quarter < Lanes; quarter += 4)
        {
            var unit = LaneUnit(first, second, quarter);
            var place = places[quarter / 4] = new TablePlace(Wide(Load(units.Bmi, unit)), _famineTable.Length);
            Narrow(place.In(_famineTable) + MobilisationHazardFour(units, unit)).StoreUnsafe(ref lanes, (nuint)(FamineAt + quarter));
        }
        if (!ExpectedDeaths(ref c, ref q, ref lanes)) return false;

        // Each unit's death draw, from its own stream (the draws made together, RngStream.Poissons):
        // the deaths drawn over the deaths expected scale every group's.
        var means = ratioAndAll.Slice(2 * Lanes, Lanes);
        var counts = ratioAndAll.Slice(3 * Lanes, Lanes);
        ref var mean = ref MemoryMarshal.GetReference(means);
        ref var count = ref MemoryMarshal.GetReference(counts);
        for (var quarter = 0; quarter < Lanes; quarter += 4)
            Wide(Vector128.LoadUnsafe(ref lanes, (nuint)(ExpectedAt + quarter))).StoreUnsafe(ref mean, (nuint)quarter);
        Draw(_deathRng, first, second, month, means, counts);
        for (var quarter = 0; quarter < Lanes; quarter += 4)
        {
            var deathRatio = Vector256.LoadUnsafe(ref count, (nuint)quarter) / Vector256.LoadUnsafe(ref mean, (nuint)quarter);
            deathRatio.StoreUnsafe(ref ratio, (nuint)quarter);
            Narrow(deathRatio).StoreUnsafe(ref lanes, (nuint)(RatioAt + quarter));
        }

        Survive(ref c, ref lanes, ref all);

        // Each unit's registered deaths, births expected and postponed births, as in StepPopulation; then the birth
        // draws; the newborn join group 0. Only the real blocks' units are written.
        ref var fertile = ref MemoryMarshal.GetReference(fertility);
        for (var block = 0; block < blocks; block++)
        {
            Vector256.LoadUnsafe(ref lanes, (nuint)(DeadAt + block * Eight)).StoreUnsafe(ref units.Deaths[first + block * Eight]);
            Vector256.LoadUnsafe(ref lanes, (nuint)(WorkingAt + block * Eight)).StoreUnsafe(ref units.Workers[first + block * Eight]);
        }
        for (var quarter = 0; quarter < blocks * Eight; quarter += 4)
        {
            var u = first + quarter;
            var expectedDeaths = Wide(Vector128.LoadUnsafe(ref lanes, (nuint)(ExpectedAt + quarter)));
            var applied = Wide(Vector128.LoadUnsafe(ref lanes, (nuint)(DeadAt + quarter)));
            var famineShare = Wide(Vector128.LoadUnsafe(ref lanes, (nuint)(FamineDeathsAt + quarter))) / expectedDeaths;
            Vector128.StoreUnsafe(Narrow(RegisteredDeaths(applied, famineShare)), ref units.DeathsRegistered[u]);
            ref var postponed = ref units.PostponedBirths[u];
            BirthsDue(Wide(Vector128.LoadUnsafe(ref lanes, (nuint)(BirthsAt + quarter))) * Vector256.Create(control),
                Vector256.LoadUnsafe(ref fertile, (nuint)quarter), ref postponed).StoreUnsafe(ref mean, (nuint)quarter);
        }
        Draw(_birthRng, first, second, month, means, counts);
        for (var quarter = 0; quarter < blocks * Eight; quarter += 4)
        {
            var u = first + quarter;
            var born = Vector256.LoadUnsafe(ref count, (nuint)quarter);
            var girls = Narrow(born * Vector256.Create(DemographicSchedules.FemaleShareAtBirth));
            var boys = Narrow(born) - girls;
            ref var newbornGirls = ref Unsafe.Add(ref c, AgeGroups.Index(AgeGroups.Female, 0) * Lanes + quarter);
            ref var newbornBoys = ref Unsafe.Add(ref c, AgeGroups.Index(AgeGroups.Male, 0) * Lanes + quarter);
            (Vector128.LoadUnsafe(ref newbornGirls) + girls).StoreUnsafe(ref newbornGirls);
            (Vector128.LoadUnsafe(ref newbornBoys) + boys).StoreUnsafe(ref newbornBoys);
            Narrow(born).StoreUnsafe(ref units.Births[u]);
            Narrow(born * Vector256.Create(_regBirth)).StoreUnsafe(ref units.BirthsRegistered[u]);
            Narrow(Vector256.LoadUnsafe(ref all, (nuint)quarter) + Wide(girls) + Wide(boys)).StoreUnsafe(ref units.Persons[u]);
            // Those who died were the weakest: the survivors' mean BMI rises (WriteOutcome, SurvivorsBmi).
            var before = Wide(Load(units.Bmi, u));
            var place = places[quarter / 4];
            var deathRatio = Vector256.LoadUnsafe(ref ratio, (nuint)quarter);
            var survivors = Vector256.Min(Vector256.Create(_refBmi), before + place.In(_survivorShift) * deathRatio);
            Narrow(Vector256.ConditionalSelect(Vector256.GreaterThan(deathRatio, Vector256<double>.Zero), survivors, before)).StoreUnsafe(ref units.Bmi[u]);
        }

        for (var block = 0; block < blocks; block++)
        {
            ref var cohorts = ref units.Cohorts[(first + block * Eight) * n];
            for (var tile = 0; tile < 5; tile++) Tile8.Transpose(ref Unsafe.Add(ref c, tile * 8 * Lanes + block * Eight), Lanes, ref Unsafe.Add(ref cohorts, tile * 8), n);
            Tile8.Transpose(ref Unsafe.Add(ref c, (n - 8) * Lanes + block * Eight), Lanes, ref Unsafe.Add(ref cohorts, n - 8), n);
        }
        return true;
    }

    /// <summary>The unit in <paramref name="lane"/>: lanes 0-7 the block from <paramref name="first"/>, lanes 8-15 the one from <paramref name="second"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LaneUnit(int first, int second, int lane) => lane < Eight ? first + lane : second + lane - Eight;

    /// <summary>
    /// Each lane's Poisson count at its mean from its unit's stream (expected values without chance), a block of eight
    /// at a time; a single block's counts are copied to the second half, whose lanes hold the same units.
    /// </summary>
    private void Draw(in RngStream stream, int first, int second, int month, Span<double> means, Span<double> counts)
    {
        if (!_stochastic) { means.CopyTo(counts); return; }
        if (second != first) { stream.Poissons(first, second, month, means, counts); return; }
        stream.Poissons(first, month, means[..Eight], counts[..Eight]);
        counts[..Eight].CopyTo(counts[Eight..]);
    }

    /// <summary>
    /// <see cref="StepLanes"/>'s first pass: each group's expected deaths (into the block after the cohorts) and each
    /// unit's sums of expected and of famine deaths, at the normal probability <paramref name="q"/>, with the famine
    /// hazard × relative risk (at most 0.95) in the lanes whose unit is hungry; a lane without famine keeps the normal
    /// probability exactly, as StepPopulation's no-famine path does. False when a unit expects no deaths.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ExpectedDeaths(ref float c, ref float q, ref float lanes)
    {
        ref var e = ref Unsafe.Add(ref c, GroupsByLanes);
        ref var rr = ref MemoryMarshal.GetArrayDataReference(_rrF);
        var famine = Vector512.LoadUnsafe(ref lanes, FamineAt);
        var sumExpected = Vector512<float>.Zero;
        var sumFamine = Vector512<float>.Zero;
        if (famine != Vector512<float>.Zero)
        {
            var hungry = Vector512.GreaterThan(famine, Vector512<float>.Zero);
            var one = Vector512<float>.One;
            var cap = Vector512.Create(0.95f);
            for (nuint k = 0; k < AgeGroups.Cohorts; k++)
            {
                var people = Vector512.LoadUnsafe(ref c, k * Lanes);
                var normal = Vector512.LoadUnsafe(ref q, k * Lanes);
                var withFamine = one - (one - normal) * (one - Vector512.Min(cap, famine * Vector512.Create(Unsafe.Add(ref rr, k))));
                var qk = Vector512.ConditionalSelect(hungry, withFamine, normal);
                var expected = people * qk;
                expected.StoreUnsafe(ref e, k * Lanes);
                sumExpected += expected;
                sumFamine += people * (qk - normal);
            }
        }
        else
        {
            for (nuint k = 0; k < AgeGroups.Cohorts; k++)
            {
                var expected = Vector512.LoadUnsafe(ref c, k * Lanes) * Vector512.LoadUnsafe(ref q, k * Lanes);
                expected.StoreUnsafe(ref e, k * Lanes);
                sumExpected += expected;
            }
        }
        sumExpected.StoreUnsafe(ref lanes, ExpectedAt);
        sumFamine.StoreUnsafe(ref lanes, FamineDeathsAt);
        return Vector512.GreaterThanAll(sumExpected, Vector512<float>.Zero);
    }

    /// <summary>
    /// <see cref="StepLanes"/>'s second pass, group by group in order: deaths (expected × each unit's ratio), births
    /// from the women after this month's deaths, movers out, movers in from the group below (the 80+ groups pass
    /// none), the new numbers (in place) and each unit's sums: dead, births, workers, and all people (in double).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Survive(ref float c, ref float lanes, ref double all)
    {
        ref var e = ref Unsafe.Add(ref c, GroupsByLanes);
        ref var fert = ref MemoryMarshal.GetArrayDataReference(_fertF);
        ref var ageOut = ref MemoryMarshal.GetArrayDataReference(_ageOutF);
        var f = Vector512.LoadUnsafe(ref lanes, RatioAt);
        Vector512<float> dead = default, births = default, working = default, below = default;
        Vector512<double> allLower = default, allUpper = default;
        for (nuint k = 0; k < AgeGroups.Cohorts; k++)
        {
            var people = Vector512.LoadUnsafe(ref c, k * Lanes);
            var after = AtLeastZero(people - Vector512.LoadUnsafe(ref e, k * Lanes) * f);
            dead += people - after;
            // Only women 15-49 bear children and only ages 15-59 work: elsewhere the rate is 0 and the weight 0, and
            // adding after × 0 or now × 0 (+0, as both are at least 0) leaves a sum's bits as they were; now × 1 is now.
            if (IsFertile(k)) births += after * Vector512.Create(Unsafe.Add(ref fert, k));
            var moving = after * Vector512.Create(Unsafe.Add(ref ageOut, k));
            var now = after - moving + below;
            below = moving;
            allLower += Vector512.WidenLower(now);
            allUpper += Vector512.WidenUpper(now);
            if (IsWorking(k)) working += now;
            now.StoreUnsafe(ref c, k * Lanes);
        }
        dead.StoreUnsafe(ref lanes, DeadAt);
        births.StoreUnsafe(ref lanes, BirthsAt);
        working.StoreUnsafe(ref lanes, WorkingAt);
        allLower.StoreUnsafe(ref all);
        allUpper.StoreUnsafe(ref all, Eight);
    }

    /// <summary>
    /// max(0, <paramref name="x"/>) in one instruction where the machine has AVX-512 (vmaxps; Vector512.Max adds a
    /// second, vfixupimmps, to give Math.Max's +0 for −0). The two differ only when x is −0, which vmaxps returns as it
    /// is; in <see cref="Survive"/> that changes no bit: people − after and after − movers come out +0 as before (−0
    /// − −0 = +0), and after × a rate, −0, leaves the sums, which start at +0, as they were. NaN stays NaN in both.
    /// Why: the survival pass is bound by its vector operations, some sixteen a group (with the provinces compared
    /// at once above: 2 % of a demography month, Sichuan and Henan, June 1958 and 1959, one thread, the same bits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> AtLeastZero(Vector512<float> x) =>
        Avx512F.IsSupported ? Avx512F.Max(Vector512<float>.Zero, x) : Vector512.Max(Vector512<float>.Zero, x);

    /// <summary>Whether group <paramref name="k"/> (of the 42) is women of reproductive age, 15-49 (<see cref="_fertF"/> not 0 there only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsFertile(nuint k) => k - (AgeGroups.PerSex + AgeGroups.FirstFertileGroup) <= AgeGroups.LastFertileGroup - AgeGroups.FirstFertileGroup;

    /// <summary>Whether group <paramref name="k"/> (of the 42) is of working age, 15-59, either sex (<see cref="_workingF"/> is 1 there, 0 elsewhere).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsWorking(nuint k) =>
        k - AgeGroups.FirstWorkingGroup <= AgeGroups.LastWorkingGroup - AgeGroups.FirstWorkingGroup
        || k - (AgeGroups.PerSex + AgeGroups.FirstWorkingGroup) <= AgeGroups.LastWorkingGroup - AgeGroups.FirstWorkingGroup;

    /// <summary>
    /// One month for one population: deaths (one draw, split by expected shares), births, ageing. Returns true
    /// deaths, registered deaths, births and the new headcounts (all people, working ages); the cohorts are updated in
    /// place. The deaths returned are the fall of the stock before births, so the stock change equals births − deaths
    /// up to the float rounding of the births. Vectorised over the age-sex groups, 8 at a time, in place (the
    /// expected deaths in <paramref name="work"/>: <see cref="WorkLength"/> floats): each group loses its dead, then passes its movers up
    /// (new = after deaths − movers out + movers in from the group below, the 80+ groups passing none).
    /// </summary>
    private Outcome StepPopulation(Span<float> cohorts, Span<float> work, double bmi, double mobilisation, int province, double nutritionFertility,
        double control, ref float postponed, CounterRng deathRng, CounterRng birthRng)
    {
        // c: the unit's cohorts, read and written in place: groups 0-39 as five vectors, the last two (women 75-79
        // and 80+) as a sixth vector padded with zeros (the tables are padded with zeros likewise); e: expected deaths.
        ref var c = ref MemoryMarshal.GetReference(cohorts);
        ref var e = ref MemoryMarshal.GetReference(work);
        ref var q = ref _qNormalF[province * Padded];
        ref var rr = ref MemoryMarshal.GetArrayDataReference(_rrF);
        ref var fert = ref MemoryMarshal.GetArrayDataReference(_fertF);
        ref var ageOut = ref MemoryMarshal.GetArrayDataReference(_ageOutF);
        ref var workingAge = ref MemoryMarshal.GetArrayDataReference(_workingF);
        var famine = (float)(ExpectedFamineMortality(bmi) + mobilisation);
        var tail = Vector256.Create(Unsafe.Add(ref c, Tail), Unsafe.Add(ref c, Tail + 1), 0, 0, 0, 0, 0, 0);

        var sumExpected = Vector256<float>.Zero;
        var sumFamine = Vector256<float>.Zero;
        if (famine > 0)
        {
            var famineV = Vector256.Create(famine);
            for (nuint i = 0; i < Tail; i += 8)
                ExpectedWithFamine(Vector256.LoadUnsafe(ref c, i), ref q, ref rr, ref e, i, famineV, ref sumExpected, ref sumFamine);
            ExpectedWithFamine(tail, ref q, ref rr, ref e, Tail, famineV, ref sumExpected, ref sumFamine);
        }
        else
        {
            for (nuint i = 0; i < Tail; i += 8)
                Expected(Vector256.LoadUnsafe(ref c, i), ref q, ref e, i, ref sumExpected);
            Expected(tail, ref q, ref e, Tail, ref sumExpected);
        }
        double expectedDeaths = Vector256.Sum(sumExpected);
        if (expectedDeaths <= 0)
        {
            // Nobody at risk (an empty unit): nothing happens, not even ageing.
            double unchangedAll = 0, unchangedWorking = 0;
            for (var k = 0; k < AgeGroups.Cohorts; k++) { unchangedAll += cohorts[k]; unchangedWorking += cohorts[k] * _workingF[k]; }
            return new Outcome(0, 0, 0, unchangedAll, unchangedWorking, 0);
        }
        var deaths = _stochastic ? deathRng.Poisson(expectedDeaths) : expectedDeaths;
        var f = Vector256.Create((float)(deaths / expectedDeaths));

        // Deaths, births (from women after this month's deaths), movers out and in: each group loses its dead, then
        // passes its movers up; a group's movers in are the movers out of the group below (lane 7 of the previous
        // vector reaches lane 0 of this one).
        var pass = new SurvivalPass();
        for (nuint i = 0; i < Tail; i += 8)
            pass.Next(Vector256.LoadUnsafe(ref c, i), ref e, ref fert, ref ageOut, ref workingAge, i, f).StoreUnsafe(ref c, i);
        var last = pass.Next(tail, ref e, ref fert, ref ageOut, ref workingAge, Tail, f);
        Unsafe.Add(ref c, Tail) = last.GetElement(0);
        Unsafe.Add(ref c, Tail + 1) = last.GetElement(1);
        double applied = Vector256.Sum(pass.Dead);
        var famineShare = Vector256.Sum(sumFamine) / expectedDeaths;
        var registered = RegisteredDeaths(applied, famineShare);

        var expectedBirths = BirthsDue(Vector256.Sum(pass.Births) * control, nutritionFertility, ref postponed);
        var born = _stochastic ? birthRng.Poisson(expectedBirths) : expectedBirths;
        var girls = (float)(born * DemographicSchedules.FemaleShareAtBirth);
        var boys = (float)born - girls;
        cohorts[AgeGroups.Index(AgeGroups.Female, 0)] += girls;
        cohorts[AgeGroups.Index(AgeGroups.Male, 0)] += boys;
        return new Outcome(applied, registered, born, Vector256.Sum(pass.All) + girls + boys, Vector256.Sum(pass.Working), deaths / expectedDeaths);
    }

    /// <summary>Registered deaths of a month's <paramref name="deaths"/>, <paramref name="famineShare"/> of them famine deaths (registered less).</summary>
    private double RegisteredDeaths(double deaths, double famineShare) => deaths * ((1 - famineShare) * _regDeath + famineShare * _regFamine);

    /// <summary><see cref="RegisteredDeaths(double, double)"/> of four units: the same operations.</summary>
    private Vector256<double> RegisteredDeaths(Vector256<double> deaths, Vector256<double> famineShare) =>
        deaths * ((Vector256<double>.One - famineShare) * Vector256.Create(_regDeath) + famineShare * Vector256.Create(_regFamine));

    /// <summary>
    /// The births a month expects: the normal births (birth control applied) at the nutrition's fertility, plus the
    /// postponed births made up once people are fed. Births lost to hunger are postponed (not those prevented by
    /// policy); <paramref name="postponed"/> is updated.
    /// </summary>
    private double BirthsDue(double normalBirths, double nutritionFertility, ref float postponed)
    {
        var catchUp = nutritionFertility >= _catchUpFertility ? postponed * _catchUp : 0;
        postponed = (float)((postponed - catchUp) * (1 - _catchDecay) + normalBirths * (1 - nutritionFertility));
        return normalBirths * nutritionFertility + catchUp;
    }

    /// <summary>
    /// <see cref="BirthsDue(double, double, ref float)"/> of four consecutive units (their postponed births from
    /// <paramref name="postponed"/> on): the same operations, the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<double> BirthsDue(Vector256<double> normalBirths, Vector256<double> nutritionFertility, ref float postponed)
    {
        var before = Wide(Vector128.LoadUnsafe(ref postponed));
        var catchUp = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(nutritionFertility, Vector256.Create(_catchUpFertility)),
            before * Vector256.Create(_catchUp), Vector256<double>.Zero);
        Narrow((before - catchUp) * Vector256.Create(1 - _catchDecay) + normalBirths * (Vector256<double>.One - nutritionFertility)).StoreUnsafe(ref postponed);
        return normalBirths * nutritionFertility + catchUp;
    }

    /// <summary>The <see cref="TablePlace"/> of each four lanes of <see cref="StepLanes"/> (lane quarter q at [q]).</summary>
    [InlineArray(Lanes / 4)]
    private struct Places { private TablePlace _first; }

    /// <summary>
    /// Where four mean BMIs fall in a table of <see cref="FamineTable"/>'s steps: <see cref="Lookup"/>'s arithmetic
    /// four at a time, so that <see cref="In"/> gives its numbers (the first value below the table, the last above).
    /// </summary>
    internal readonly struct TablePlace
    {
        private readonly Vector256<double> _fraction, _below, _above;
        private readonly Vector128<int> _index;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TablePlace(Vector256<double> meanBmi, int length)
        {
            var x = (meanBmi - Vector256.Create(TableMin)) / Vector256.Create(TableStep);
            _below = Vector256.LessThanOrEqual(x, Vector256<double>.Zero);
            // (int)x ≥ length − 1 exactly when x ≥ length − 1; the index is clamped so that every lane reads inside the table.
            _above = Vector256.GreaterThanOrEqual(x, Vector256.Create((double)(length - 1)));
            _index = Avx.ConvertToVector128Int32WithTruncation(Vector256.Min(Vector256.Max(x, Vector256<double>.Zero), Vector256.Create((double)(length - 2))));
            _fraction = x - Avx.ConvertToVector256Double(_index);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> In(double[] table)
        {
            // Each lane's two neighbours, table[i] and table[i + 1], read as one pair (the index is clamped to
            // [0, length − 2], so both are inside the table), then sorted into the lanes' values and their next ones.
            // Why not two AVX2 gathers: on this machine a gather of four is slower than four pairs (7.2-7.8 against
            // 10.0-11.1 ns for four lanes, same numbers), and it needs AVX2 where the pairs need AVX.
            ref var t = ref MemoryMarshal.GetArrayDataReference(table);
            var lane0 = Vector128.LoadUnsafe(ref t, (nuint)(uint)_index.GetElement(0));
            var lane1 = Vector128.LoadUnsafe(ref t, (nuint)(uint)_index.GetElement(1));
            var lane2 = Vector128.LoadUnsafe(ref t, (nuint)(uint)_index.GetElement(2));
            var lane3 = Vector128.LoadUnsafe(ref t, (nuint)(uint)_index.GetElement(3));
            var evenLanes = Vector256.Create(lane0, lane2);
            var oddLanes = Vector256.Create(lane1, lane3);
            var at = Avx.UnpackLow(evenLanes, oddLanes);
            var next = Avx.UnpackHigh(evenLanes, oddLanes);
            var between = at * (Vector256<double>.One - _fraction) + next * _fraction;
            return Vector256.ConditionalSelect(_below, Vector256.Create(table[0]), Vector256.ConditionalSelect(_above, Vector256.Create(table[^1]), between));
        }
    }

    /// <summary>Those who died were the weakest: the survivors' mean BMI rises by the expected shift × deaths drawn over expected.</summary>
    private double SurvivorsBmi(double bmi, double deathRatio) => Math.Min(_refBmi, bmi + Lookup(_survivorShift, bmi) * deathRatio);

    /// <summary>First group of the kernel's last (sixth) vector: women 75-79 and 80+, padded with zeros.</summary>
    private const int Tail = AgeGroups.Cohorts / 8 * 8;

    /// <summary>Expected deaths of 8 groups at the normal hazard alone (no famine).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Expected(Vector256<float> n, ref float q, ref float e, nuint i, ref Vector256<float> sumExpected)
    {
        var expected = n * Vector256.LoadUnsafe(ref q, i);
        expected.StoreUnsafe(ref e, i);
        sumExpected += expected;
    }

    /// <summary>Expected deaths of 8 groups at the normal hazard and the famine hazard × relative risk (capped at 0.95).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpectedWithFamine(Vector256<float> n, ref float q, ref float rr, ref float e, nuint i, Vector256<float> famine,
        ref Vector256<float> sumExpected, ref Vector256<float> sumFamine)
    {
        var normal = Vector256.LoadUnsafe(ref q, i);
        var qk = Vector256<float>.One - (Vector256<float>.One - normal) * (Vector256<float>.One - Vector256.Min(Vector256.Create(0.95f), famine * Vector256.LoadUnsafe(ref rr, i)));
        var expected = n * qk;
        expected.StoreUnsafe(ref e, i);
        sumExpected += expected;
        sumFamine += n * (qk - normal);
    }

    /// <summary>The kernel's second pass, 8 groups at a time in order: deaths, births, ageing, headcounts.</summary>
    private struct SurvivalPass
    {
        public Vector256<float> Births, Dead, Working;
        public Vector256<double> All; // in double: the collector's population is the sum of Persons
        private Vector256<float> _rotatedBelow;

        /// <summary>The 8 groups' new numbers: after deaths (expected × <paramref name="f"/>), less movers out, plus movers in.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Next(Vector256<float> n, ref float e, ref float fert, ref float ageOut, ref float workingAge, nuint i, Vector256<float> f)
        {
            var after = Vector256.Max(Vector256<float>.Zero, n - Vector256.LoadUnsafe(ref e, i) * f);
            Dead += n - after;
            Births += after * Vector256.LoadUnsafe(ref fert, i);
            var moving = after * Vector256.LoadUnsafe(ref ageOut, i);
            var rotated = Vector256.Shuffle(moving, Vector256.Create(7, 0, 1, 2, 3, 4, 5, 6));
            var now = after - moving + Vector256.ConditionalSelect(Vector256.Create(-1, 0, 0, 0, 0, 0, 0, 0).AsSingle(), _rotatedBelow, rotated);
            _rotatedBelow = rotated;
            All += Vector256.WidenLower(now) + Vector256.WidenUpper(now);
            Working += now * Vector256.LoadUnsafe(ref workingAge, i);
            return now;
        }
    }


    /// <param name="DeathRatio">Deaths drawn over deaths expected (1 without chance; 0 when nobody was at risk).</param>
    private readonly record struct Outcome(double Deaths, double DeathsRegistered, double Births, double Persons, double Workers, double DeathRatio);

    /// <summary>Share of an age group that moves up a group each month: 1/12 of a single year, 1/60 of five years.</summary>
    private static readonly float[] AgeOut = Enumerable.Range(0, AgeGroups.PerSex).Select(g => 1f / (12f * AgeGroups.Width[g])).ToArray();
}
