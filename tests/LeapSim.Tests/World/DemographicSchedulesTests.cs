using LeapSim.Core.Inputs;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.World;

public sealed class DemographicSchedulesTests
{
    private static (double Cdr, double Cbr) StableRates(DemographicSchedules s)
    {
        double deaths = 0, births = 0;
        for (var c = 0; c < AgeGroups.Cohorts; c++) deaths += s.AgeStructure[c] * s.AnnualHazard[c];
        for (var g = 0; g < AgeGroups.PerSex; g++) births += s.AgeStructure[AgeGroups.Index(AgeGroups.Female, g)] * s.AnnualFertility[g];
        return (deaths, births);
    }

    [Fact]
    public void The_stable_population_has_the_1957_true_rates()
    {
        var s = WorldBuilder.Schedules(BaselineInputs.Embedded);
        var (cdr, cbr) = StableRates(s);
        Assert.Equal(18.1, cdr * 1000, 6);
        Assert.Equal(43.3, cbr * 1000, 6);
        Assert.Equal(0.0181, s.DeathRate, 12);
        Assert.Equal(0.0433, s.BirthRate, 12);
        Assert.Equal(1.0, s.AgeStructure.Sum(), 12);
        Assert.All(s.AgeStructure, x => Assert.True(x > 0));
        Assert.All(s.AnnualHazard, h => Assert.True(h > 0 && h < 1));
    }

    [Fact]
    public void Fertility_and_mortality_are_plausible_for_1957_China()
    {
        var s = WorldBuilder.Schedules(BaselineInputs.Embedded);
        // TFR is reported to compare with Cai & Wang's 6.41; the natural-fertility shape gives 6.22.
        Assert.InRange(s.TotalFertilityRate, 6.41 - 1, 6.41 + 1);
        Assert.Equal(6.22, s.TotalFertilityRate, 2);
        // Life expectancy about 50 (Ashton et al. 1984); the scaled Siler table gives 47.1.
        Assert.InRange(s.LifeExpectancy(), 40, 60);
        // Births only to women 15-49.
        for (var g = 0; g < AgeGroups.PerSex; g++)
            Assert.Equal(g is >= AgeGroups.FirstFertileGroup and <= AgeGroups.LastFertileGroup, s.AnnualFertility[g] > 0);
        // Infant mortality (about 130 per 1000 is the target of the shape): q0 from the group-0 hazard.
        var q0 = 1 - Math.Exp(-s.AnnualHazard[0]);
        Assert.InRange(q0, 0.08, 0.20);
        // Mortality is U-shaped: infants and the old die more than young adults.
        var youngAdult = s.AnnualHazard[AgeGroups.Index(AgeGroups.Male, 8)];
        Assert.True(s.AnnualHazard[0] > 10 * youngAdult);
        Assert.True(s.AnnualHazard[AgeGroups.PerSex - 1] > 10 * youngAdult);
        // Young population: more under-5s than 60+ (growth 2.5 % a year).
        double under5 = 0, over60 = 0;
        for (var sex = 0; sex < 2; sex++)
        {
            for (var g = 0; g < 5; g++) under5 += s.AgeStructure[AgeGroups.Index(sex, g)];
            for (var g = 16; g < AgeGroups.PerSex; g++) over60 += s.AgeStructure[AgeGroups.Index(sex, g)];
        }
        Assert.True(under5 > over60);
    }

    [Theory]
    [InlineData(0.040, 0.020)]
    [InlineData(0.030, 0.012)]
    public void Any_pair_of_rates_is_reproduced(double cbr, double cdr)
    {
        var s = new DemographicSchedules(cbr, cdr);
        var (d, b) = StableRates(s);
        Assert.Equal(cdr, d, 9);
        Assert.Equal(cbr, b, 9);
    }
}
