namespace LeapSim.Core.World;

/// <summary>
/// Nation-level state (modules keep no dynamic state of their own: all of it is here or in the world's arrays,
/// so that a checkpoint of the world is a checkpoint of the run): the state grain account, modern industry, and the political climate. A handful of numbers,
/// written by the national modules (politics, labour, industry, procurement, the state grain account).
/// </summary>
public sealed class NationalState
{
    // ---- state grain account (kg unhusked) ----
    public double StateGrainStockKg;
    /// <summary>Grain (kg) the centre levies from the villages next month in a city grain emergency (set by the state account).</summary>
    public double EmergencyLevyKg;
    // this month's flows
    public double ProcuredKg, UrbanRationKg, UrbanEatenKg, ArmyKg, ExportsKg, ImportsKg, ResoldKg, StateLossKg;

    // ---- politics ----
    /// <summary>Political pressure on cadres, 0 = none, 1 = the 1958 high tide (campaigns, purges).</summary>
    public double Pressure;
    /// <summary>Pressure above the 1957 level: what inflates reports, erodes floors and overworks machines.</summary>
    public double ExcessPressure;

    // ---- modern industry ----
    /// <summary>Capacity of modern industry, index 1957 = 1.</summary>
    public double IndustrialCapacity = 1;
    /// <summary>Wear from overwork: share of capacity out of service.</summary>
    public double IndustrialWear;
    /// <summary>Share of the land under deep ploughing when the standing summer (wheat) and autumn crops were sown.</summary>
    public double SummerCropDeepPloughing, AutumnCropDeepPloughing;
    /// <summary>Soviet specialists and parts still effective, 1 = as before the withdrawal.</summary>
    public double SovietSupport = 1;
    /// <summary>Share of capacity closed by the retrenchment so far.</summary>
    public double CapacityClosed;
    /// <summary>Agricultural output points of the last twelve months (by month of year): light industry's raw materials.</summary>
    public double[] AgriculturalPointsLast12 { get; } = new double[12];
    /// <summary>Industrial employment, persons.</summary>
    public double IndustrialWorkers;
    /// <summary>Steel made since January (modern and backyard), t: what the plan's gap is measured against.</summary>
    public double SteelMadeThisYearT;
    /// <summary>Rural workers at backyard furnaces this month (the labour module's allocation, summed).</summary>
    public double BackyardWorkers;
    // this month's flows
    public double ModernIndustryOutput, BackyardIndustryOutput, SteelModernT, SteelModernUsableT, SteelBackyardT, SteelBackyardUsableT;

    // ---- output indices: this month's contribution, in points of the 1957 yearly level (a 1957 year sums to 100) ----
    public double AgriculturalOutputPoints, IndustrialOutputPoints, NationalOutputPoints;
    /// <summary>The part of this month's agricultural points from private plots, household farming and household sidelines.</summary>
    public double PrivateAgriculturalPoints;

    public void ClearFlows()
    {
        ProcuredKg = UrbanRationKg = UrbanEatenKg = ArmyKg = ExportsKg = ImportsKg = ResoldKg = StateLossKg = 0;
        ModernIndustryOutput = BackyardIndustryOutput = SteelModernT = SteelModernUsableT = SteelBackyardT = SteelBackyardUsableT = 0;
        AgriculturalOutputPoints = IndustrialOutputPoints = NationalOutputPoints = PrivateAgriculturalPoints = 0;
    }
}
