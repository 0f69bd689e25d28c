namespace LeapSim.Core.World;

/// <summary>
/// The rural simulation units at the run's resolution (teams, brigades, communes, counties or provinces), one
/// struct-of-arrays table: every column is a flat array indexed by unit id. Fixed attributes are drawn by the
/// <see cref="WorldBuilder"/>; state columns are read and written by the modules in their declared order; flow
/// columns hold this month's flows: the engine clears, at the start of each month, those a month does not write in full.
/// Quantities are persons, kilograms of unhusked grain and hectares.
/// </summary>
public sealed class RuralUnits
{
    public RuralUnits(int count)
    {
        Count = count;
        ProvinceOf = new int[count];
        CountyOf = new int[count];
        CommuneOf = new int[count];
        Cohorts = new float[(long)count * AgeGroups.Cohorts];
        Households = new float[count];
        Workers = new float[count];
        Persons = new float[count];
        BaseWorkers = new float[count];
        LandHa = new float[count];
        LandQuality = new float[count];
        BaseOutputKg = new float[count];
        Zeal = new float[count];
        DistanceKm = new float[count];

        CommuneShare = new float[count];
        IndividualFarming = new float[count];
        GrainStockKg = new float[count];
        Bmi = new float[count];
        FertilityNutrition = new float[count];
        FertilityNutritionLag = new float[count];
        PostponedBirths = new float[count];
        Animals = new float[count];
        Tools = new float[count];
        SoilDamage = new float[count];
        WaterWorks = new float[count];
        YieldLevel = new float[count];
        SummerLabour = new float[count];
        SummerNeed = new float[count];
        AutumnLabour = new float[count];
        AutumnNeed = new float[count];
        GreenEatenKg = new float[count];
        SummerReportKg = new float[count];
        AutumnReportKg = new float[count];
        SummerTruthKg = new float[count];
        AutumnTruthKg = new float[count];
        QuotaKg = new float[count];
        IntakeKcal = new float[count];
        Effort = new float[count];

        HarvestKg = new float[count];
        HarvestLostKg = new float[count];
        ReportedKg = new float[count];
        PrivateOutputKg = new float[count];
        EatenKg = new float[count];
        SeedKg = new float[count];
        FeedKg = new float[count];
        WastedKg = new float[count];
        ProcuredKg = new float[count];
        ResoldKg = new float[count];
        Births = new float[count];
        Deaths = new float[count];
        BirthsRegistered = new float[count];
        DeathsRegistered = new float[count];
        MigrationIn = new float[count];
        MigrationOut = new float[count];
        LabourFarming = new float[count];
        LabourBackyard = new float[count];
        LabourWaterWorks = new float[count];
        _flowColumns = NamedFlowColumns.Select(c => c.Data).ToArray();
        _clearedFlowColumns = _flowColumns.Except(FlowsWrittenInFull).ToArray();
    }

    public int Count { get; }

    // ---- identity (fixed) ----
    public int[] ProvinceOf { get; }
    /// <summary>County id, or -1 at province resolution.</summary>
    public int[] CountyOf { get; }
    /// <summary>Commune id, or -1 at county or province resolution.</summary>
    public int[] CommuneOf { get; }

    // ---- people (state) ----
    /// <summary>Persons by age-sex group: unit u's block is [u*42, u*42+42).</summary>
    public float[] Cohorts { get; }
    public float[] Households { get; }
    /// <summary>People of working age (15-59), kept current by whoever changes the cohorts (see <see cref="RefreshHeadcounts"/>).</summary>
    public float[] Workers { get; }
    /// <summary>The unit's working people in January 1957: field labour is measured against it.</summary>
    public float[] BaseWorkers { get; }
    /// <summary>All the unit's people (the sum of its cohorts), kept current like <see cref="Workers"/>.</summary>
    public float[] Persons { get; }

    /// <summary>Recomputes <see cref="Persons"/> and <see cref="Workers"/> for one unit from its cohorts, in one pass.</summary>
    public void RefreshHeadcounts(int unit)
    {
        var (all, work) = CohortBlock.Headcounts(CohortsOf(unit));
        Persons[unit] = (float)all;
        Workers[unit] = (float)work;
    }

    // ---- land and heterogeneity (fixed) ----
    public float[] LandHa { get; }
    /// <summary>Mean-one multiplier on yields.</summary>
    public float[] LandQuality { get; }
    /// <summary>The unit's grain output at 1957 inputs, kg a year (its share of the province's 1957 output).</summary>
    public float[] BaseOutputKg { get; }
    /// <summary>Cadre zeal ρ (mean about 1): how far cadres push reports, procurement and campaigns.</summary>
    public float[] Zeal { get; }
    public float[] DistanceKm { get; }

    // ---- state ----
    /// <summary>Share of the unit's people organised in a people's commune, 0-1.</summary>
    public float[] CommuneShare { get; }
    /// <summary>Share of the land households have taken back to farm on their own, beyond the official private plots.</summary>
    public float[] IndividualFarming { get; }
    /// <summary>Grain held in the village (collective granary and household stores), kg.</summary>
    public float[] GrainStockKg { get; }
    /// <summary>Mean adult body-mass index: the unit's nutritional state.</summary>
    public float[] Bmi { get; }
    /// <summary>Nutrition as fertility sees it: BMI smoothed through two monthly lags (conception to birth).</summary>
    public float[] FertilityNutrition { get; }
    public float[] FertilityNutritionLag { get; }
    /// <summary>Births postponed by hunger that may be made up later.</summary>
    public float[] PostponedBirths { get; }
    /// <summary>Draught animals and pigs, index 1957 = 1.</summary>
    public float[] Animals { get; }
    /// <summary>Farm tools, index 1957 = 1 (melted in furnaces).</summary>
    public float[] Tools { get; }
    /// <summary>Yield lost to soil damage from deep ploughing and bad water works, share 0-1.</summary>
    public float[] SoilDamage { get; }
    /// <summary>
    /// The unit's yield level from the inputs of the plans (irrigation, fertiliser, seed), 1 = the 1957 mean: it grows
    /// at farming.yield_trend a year while the farmers are fed, slower as far as hunger cuts their work capacity.
    /// </summary>
    public float[] YieldLevel { get; }
    /// <summary>Net yield gain from completed water works, share (negative when badly built).</summary>
    public float[] WaterWorks { get; }
    /// <summary>Effective field labour over the summer crop's growing season (November-May), weighted by the calendar's need.</summary>
    public float[] SummerLabour { get; }
    public float[] SummerNeed { get; }
    /// <summary>Effective field labour over the autumn crop's growing season (April-September).</summary>
    public float[] AutumnLabour { get; }
    public float[] AutumnNeed { get; }
    /// <summary>Grain eaten green from the standing crop since the last harvest, kg (the harvest will be short of it).</summary>
    public float[] GreenEatenKg { get; }
    /// <summary>Last year's summer harvest as reported upward, kg (0 before the first report: the plan is the normal crop).</summary>
    public float[] SummerReportKg { get; }
    /// <summary>Last year's autumn harvest as reported upward, kg (0 before the first report).</summary>
    public float[] AutumnReportKg { get; }
    /// <summary>Last year's summer harvest as it was (the truth behind the report), kg: what a verification of the report finds.</summary>
    public float[] SummerTruthKg { get; }
    /// <summary>Last year's autumn harvest as it was, kg.</summary>
    public float[] AutumnTruthKg { get; }
    /// <summary>Procurement still owed from the last harvest, kg.</summary>
    public float[] QuotaKg { get; }
    /// <summary>Last month's food intake, kcal per person per day.</summary>
    public float[] IntakeKcal { get; }
    /// <summary>Work effort of collective labour, 0-1 (1 = the effort of a household farmer).</summary>
    public float[] Effort { get; }

    // ---- this month's flows ----
    public float[] HarvestKg { get; }
    public float[] HarvestLostKg { get; }
    /// <summary>The harvest as reported upward this month (non-zero in harvest months), kg.</summary>
    public float[] ReportedKg { get; }
    public float[] PrivateOutputKg { get; }
    public float[] EatenKg { get; }
    public float[] SeedKg { get; }
    public float[] FeedKg { get; }
    public float[] WastedKg { get; }
    public float[] ProcuredKg { get; }
    public float[] ResoldKg { get; }
    public float[] Births { get; }
    public float[] Deaths { get; }
    public float[] BirthsRegistered { get; }
    public float[] DeathsRegistered { get; }
    public float[] MigrationIn { get; }
    public float[] MigrationOut { get; }
    public float[] LabourFarming { get; }
    public float[] LabourBackyard { get; }
    public float[] LabourWaterWorks { get; }

    public Span<float> CohortsOf(int unit) => Cohorts.AsSpan(unit * AgeGroups.Cohorts, AgeGroups.Cohorts);

    public double Population(int unit)
    {
        double s = 0;
        foreach (var x in CohortsOf(unit)) s += x;
        return s;
    }

    public double WorkingAge(int unit)
    {
        var c = CohortsOf(unit);
        double s = 0;
        for (var g = AgeGroups.FirstWorkingGroup; g <= AgeGroups.LastWorkingGroup; g++)
            s += c[g] + c[AgeGroups.PerSex + g];
        return s;
    }

    /// <summary>Zero every monthly flow column.</summary>
    public void ClearFlows()
    {
        foreach (var a in _flowColumns) a.AsSpan().Clear();
    }

    /// <summary>
    /// Zero the monthly flow columns of units [<paramref name="from"/>, <paramref name="to"/>) that a month does not
    /// write in full (the engine clears them chunk by chunk before the month's modules): every flow but
    /// <see cref="FlowsWrittenInFull"/>.
    /// </summary>
    public void ClearFlows(int from, int to)
    {
        foreach (var a in _clearedFlowColumns) Memory.NonTemporal.Clear(a.AsSpan(from, to - from));
    }

    /// <summary>
    /// The flows whose module writes every unit every month before anything reads them, so the engine does not clear
    /// them (zeroing 4 bytes a unit a column, only for the module to write them again, is ~0.7 ms a month a column at
    /// team resolution): births, deaths and their registered counts (demography), migration in and out (migration), the
    /// three labour uses (labour allocation), private output (farming), food eaten and wasted (consumption), and the
    /// resales (the state grain account writes each unit's fixed sale, 0 for most, before it adds any other resale).
    /// EveryMonthWritesItsFlowsInFull (tests) fills them with NaN before a month and checks that none is left.
    /// The others are written only in some months (the harvest's, procurement's) or added to (+=), and are cleared.
    /// </summary>
    public IEnumerable<float[]> FlowsWrittenInFull =>
    [
        Births, Deaths, BirthsRegistered, DeathsRegistered, MigrationIn, MigrationOut,
        LabourFarming, LabourBackyard, LabourWaterWorks, PrivateOutputKg, EatenKg, WastedKg, ResoldKg,
    ];

    // Made with the table, so that the month's clearing allocates nothing.
    private readonly float[][] _flowColumns, _clearedFlowColumns;

    public IEnumerable<float[]> FlowColumns => _flowColumns;

    /// <summary>The monthly flow columns with their names (the order of <see cref="FlowColumns"/>).</summary>
    public IEnumerable<(string Name, float[] Data)> NamedFlowColumns =>
    [
        ("harvest", HarvestKg), ("harvest_lost", HarvestLostKg), ("reported", ReportedKg), ("private_output", PrivateOutputKg),
        ("eaten", EatenKg), ("seed", SeedKg), ("feed", FeedKg), ("wasted", WastedKg), ("procured", ProcuredKg), ("resold", ResoldKg),
        ("births", Births), ("deaths", Deaths), ("births_registered", BirthsRegistered), ("deaths_registered", DeathsRegistered),
        ("migration_in", MigrationIn), ("migration_out", MigrationOut),
        ("labour_farming", LabourFarming), ("labour_backyard", LabourBackyard), ("labour_water_works", LabourWaterWorks),
    ];

    /// <summary>Every float column (for checkpoints and byte counts), in a fixed order.</summary>
    public IEnumerable<(string Name, float[] Data)> StateColumns =>
    [
        ("cohorts", Cohorts), ("households", Households), ("workers", Workers), ("persons", Persons), ("commune_share", CommuneShare), ("individual_farming", IndividualFarming), ("grain_stock", GrainStockKg),
        ("bmi", Bmi), ("fertility_nutrition", FertilityNutrition), ("fertility_nutrition_lag", FertilityNutritionLag),
        ("postponed_births", PostponedBirths), ("animals", Animals), ("tools", Tools), ("soil_damage", SoilDamage),
        ("water_works", WaterWorks), ("yield_level", YieldLevel), ("summer_labour", SummerLabour), ("summer_need", SummerNeed), ("autumn_labour", AutumnLabour), ("autumn_need", AutumnNeed), ("green_eaten", GreenEatenKg),
        ("summer_report", SummerReportKg), ("autumn_report", AutumnReportKg),
        ("summer_truth", SummerTruthKg), ("autumn_truth", AutumnTruthKg), ("quota", QuotaKg), ("intake", IntakeKcal), ("effort", Effort),
    ];

    /// <summary>The fixed float columns, drawn by the world builder and only read by the modules.</summary>
    public IEnumerable<float[]> FixedFloatColumns => [LandHa, LandQuality, BaseOutputKg, Zeal, DistanceKm, BaseWorkers];

    /// <summary>Every float column: state (the cohorts first), flows, fixed attributes.</summary>
    public IEnumerable<float[]> FloatColumns => StateColumns.Select(c => c.Data).Concat(FlowColumns).Concat(FixedFloatColumns);

    /// <summary>The identity columns: province, county and commune of each unit.</summary>
    public IEnumerable<int[]> IdentityColumns => [ProvinceOf, CountyOf, CommuneOf];

    /// <summary>Bytes of every column: <see cref="FloatColumns"/> and <see cref="IdentityColumns"/>.</summary>
    public long BytesOfState => FloatColumns.Sum(c => (long)c.Length * 4) + IdentityColumns.Sum(c => (long)c.Length * 4);
}
