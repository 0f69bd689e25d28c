namespace LeapSim.Core.World;

/// <summary>
/// The pre-famine demographic regime every population starts from:
/// - mortality by age: a Siler hazard μ(x) = a1·e^(−b1·x) + a2 + a3·e^(b3·x) whose unscaled shape gives life
///   expectancy about 53 and infant mortality about 125 per 1000, its level then scaled (×1.26) so that the stable
///   population has the 1957 true crude death rate (national_1957.csv: 18.1‰, Banister 1984): life expectancy about
///   47 and infant mortality about 155‰ (mechanisms.md §b, Ashton et al. 1984: e0 ~50 in 1957);
/// - fertility by age: the Coale-Trussell natural-fertility shape (with half of women 15-19 married), its level
///   scaled so that the stable population has the 1957 true crude birth rate (43.3‰, Banister 1984; the implied
///   total fertility rate is about 6.2, against Cai &amp; Wang's 6.41);
/// - the age structure: the stable population of that regime, growing at CBR − CDR.
/// </summary>
public sealed class DemographicSchedules
{
    // Siler shape (hazard per year); see the class comment.
    private const double A1 = 0.25, B1 = 1.5, A2 = 0.0045, A3 = 0.00006, B3 = 0.092;
    // Coale-Trussell natural fertility n(a) for 20-24 … 45-49, and 15-19 at half marriage.
    private static readonly double[] FertilityShape = [0.20, 0.460, 0.431, 0.396, 0.321, 0.167, 0.024];
    public const double FemaleShareAtBirth = 1.0 / 2.06; // sex ratio at birth 106 (standard)

    public DemographicSchedules(double trueBirthRate, double trueDeathRate)
    {
        var growth = trueBirthRate - trueDeathRate;
        // Find the hazard scale k whose stable population (growth r) has the target crude death rate.
        double lo = 0.05, hi = 20;
        for (var i = 0; i < 80; i++)
        {
            var mid = 0.5 * (lo + hi);
            var (cdr, _, _) = Stable(mid, growth);
            if (cdr < trueDeathRate) lo = mid; else hi = mid;
        }
        MortalityScale = 0.5 * (lo + hi);
        var (_, structure, hazard) = Stable(MortalityScale, growth);
        AgeStructure = structure;
        AnnualHazard = hazard;
        // Fertility level so that births / population = target CBR on this structure.
        double womenWeighted = 0;
        for (var g = AgeGroups.FirstFertileGroup; g <= AgeGroups.LastFertileGroup; g++)
            womenWeighted += structure[AgeGroups.Index(AgeGroups.Female, g)] * FertilityShape[g - AgeGroups.FirstFertileGroup];
        var level = trueBirthRate / womenWeighted;
        AnnualFertility = new double[AgeGroups.PerSex];
        for (var g = AgeGroups.FirstFertileGroup; g <= AgeGroups.LastFertileGroup; g++)
            AnnualFertility[g] = level * FertilityShape[g - AgeGroups.FirstFertileGroup];
        TotalFertilityRate = AnnualFertility.Sum() * 5;
        BirthRate = trueBirthRate;
        DeathRate = trueDeathRate;
    }

    /// <summary>Hazard multiplier applied to the Siler shape.</summary>
    public double MortalityScale { get; }
    /// <summary>Share of the population in each of the 42 age-sex groups (sums to 1).</summary>
    public double[] AgeStructure { get; }
    /// <summary>Death hazard per year for each of the 42 groups, at the national 1957 level.</summary>
    public double[] AnnualHazard { get; }
    /// <summary>Births per woman per year by age group (index = group; zero outside 15-49).</summary>
    public double[] AnnualFertility { get; }
    public double TotalFertilityRate { get; }
    public double BirthRate { get; }
    public double DeathRate { get; }

    public static double Siler(double age) => A1 * Math.Exp(-B1 * age) + A2 + A3 * Math.Exp(B3 * age);

    /// <summary>Life expectancy at birth of the scaled life table (years).</summary>
    public double LifeExpectancy()
    {
        double l = 1, e = 0;
        const double dx = 0.01;
        for (var x = 0.0; x < 110; x += dx) { e += l * dx; l *= Math.Exp(-MortalityScale * Siler(x) * dx); }
        return e;
    }

    private static (double Cdr, double[] Structure, double[] Hazard) Stable(double scale, double growth)
    {
        var pop = new double[AgeGroups.Cohorts];
        var deaths = new double[AgeGroups.Cohorts];
        const double dx = 0.05;
        double lx = 1;
        var ages = AgeGroups.LowerAge;
        var widths = AgeGroups.Width;
        for (var g = 0; g < AgeGroups.PerSex; g++)
        {
            for (var x = (double)ages[g]; x < ages[g] + widths[g] - 1e-9; x += dx)
            {
                var mu = scale * Siler(x + dx / 2);
                var weight = lx * Math.Exp(-growth * (x + dx / 2)) * dx;
                foreach (var sex in new[] { AgeGroups.Male, AgeGroups.Female })
                {
                    var share = sex == AgeGroups.Female ? FemaleShareAtBirth : 1 - FemaleShareAtBirth;
                    pop[AgeGroups.Index(sex, g)] += weight * share;
                    deaths[AgeGroups.Index(sex, g)] += weight * share * mu;
                }
                lx *= Math.Exp(-mu * dx);
            }
        }
        var total = pop.Sum();
        var hazard = new double[AgeGroups.Cohorts];
        for (var c = 0; c < AgeGroups.Cohorts; c++) hazard[c] = deaths[c] / pop[c];
        var structure = pop.Select(p => p / total).ToArray();
        return (deaths.Sum() / total, structure, hazard);
    }
}
