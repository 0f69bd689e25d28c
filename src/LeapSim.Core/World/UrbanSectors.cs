namespace LeapSim.Core.World;

/// <summary>
/// The urban sector of each province: city people with a legal grain ration from the state (hukou), industrial
/// workers among them. One row per province; same age-sex groups as the rural units.
/// </summary>
public sealed class UrbanSectors
{
    public UrbanSectors(int provinces)
    {
        Count = provinces;
        Cohorts = new double[provinces * AgeGroups.Cohorts];
        Bmi = new double[provinces];
        IntakeKcal = new double[provinces];
        FertilityNutrition = new double[provinces];
        FertilityNutritionLag = new double[provinces];
        PostponedBirths = new float[provinces];
        Births = new double[provinces];
        Deaths = new double[provinces];
        BirthsRegistered = new double[provinces];
        DeathsRegistered = new double[provinces];
        MigrationIn = new double[provinces];
        MigrationOut = new double[provinces];
        RationKg = new double[provinces];
        EatenKg = new double[provinces];
    }

    public int Count { get; }
    public double[] Cohorts { get; }
    public double[] Bmi { get; }
    public double[] IntakeKcal { get; }
    public double[] FertilityNutrition { get; }
    public double[] FertilityNutritionLag { get; }
    public float[] PostponedBirths { get; }

    // this month's flows
    public double[] Births { get; }
    public double[] Deaths { get; }
    public double[] BirthsRegistered { get; }
    public double[] DeathsRegistered { get; }
    public double[] MigrationIn { get; }
    public double[] MigrationOut { get; }
    /// <summary>Grain the state owes the province's city people this month, kg.</summary>
    public double[] RationKg { get; }
    /// <summary>Grain the city people actually received and ate, kg.</summary>
    public double[] EatenKg { get; }

    public Span<double> CohortsOf(int province) => Cohorts.AsSpan(province * AgeGroups.Cohorts, AgeGroups.Cohorts);

    public double Population(int province)
    {
        double s = 0;
        foreach (var x in CohortsOf(province)) s += x;
        return s;
    }

    public void ClearFlows()
    {
        Array.Clear(Births); Array.Clear(Deaths); Array.Clear(BirthsRegistered); Array.Clear(DeathsRegistered);
        Array.Clear(MigrationIn); Array.Clear(MigrationOut); Array.Clear(RationKg); Array.Clear(EatenKg);
    }
}
