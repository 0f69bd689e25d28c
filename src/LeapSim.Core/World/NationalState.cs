namespace LeapSim.Core.World;

/// <summary>
/// Nation-level state: the state grain account, modern industry, and the political climate. A handful of numbers,
/// written by the national modules (planning, state grain account, industry, politics).
/// </summary>
public sealed class NationalState
{
    // ---- state grain account (kg unhusked) ----
    public double StateGrainStockKg;
    /// <summary>Share of village stocks the centre levies next month in a city grain emergency (set by the state account).</summary>
    public double EmergencyLevyShare;
    // this month's flows
    public double ProcuredKg, UrbanRationKg, UrbanEatenKg, ArmyKg, ExportsKg, ImportsKg, ResoldKg, StateLossKg;

    // ---- politics ----
    /// <summary>Political pressure on cadres, 0 = none, 1 = the 1958 high tide (campaigns, purges).</summary>
    public double Pressure;
    /// <summary>How far the centre believes the villages' reports (0 = not at all, 1 = fully).</summary>
    public double CentreBelief = 1;

    // ---- modern industry ----
    /// <summary>Capacity of modern industry, index 1957 = 1.</summary>
    public double IndustrialCapacity = 1;
    /// <summary>Wear from overwork: share of capacity out of service.</summary>
    public double IndustrialWear;
    /// <summary>Industrial employment, persons.</summary>
    public double IndustrialWorkers;
    /// <summary>Steel made since January (modern and backyard), t: what the plan's gap is measured against.</summary>
    public double SteelMadeThisYearT;
    /// <summary>Backyard workers the steel plan asked for this month.</summary>
    public double BackyardWorkersDemanded;
    // this month's flows
    public double ModernIndustryOutput, BackyardIndustryOutput, SteelModernT, SteelBackyardT, SteelBackyardUsableT;

    // ---- output indices: this month's contribution, in points of the 1957 yearly level (a 1957 year sums to 100) ----
    public double AgriculturalOutputPoints, IndustrialOutputPoints, NationalOutputPoints;

    public void ClearFlows()
    {
        ProcuredKg = UrbanRationKg = UrbanEatenKg = ArmyKg = ExportsKg = ImportsKg = ResoldKg = StateLossKg = 0;
        ModernIndustryOutput = BackyardIndustryOutput = SteelModernT = SteelBackyardT = SteelBackyardUsableT = 0;
        AgriculturalOutputPoints = IndustrialOutputPoints = NationalOutputPoints = 0;
    }
}
