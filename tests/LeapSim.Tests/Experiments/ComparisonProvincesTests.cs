using LeapSim.Core.Experiments;
using LeapSim.Core.Inputs;
using Xunit;

namespace LeapSim.Tests.Experiments;

public sealed class ComparisonProvincesTests
{
    // Two runs, two provinces, 1958-1960; deaths in million [run][province][year].
    private static readonly int[] Years = [1958, 1959, 1960];
    private static readonly string[] Names = ["Alpha", "Beta"];

    private static Comparison.Sample Sample(string name, double[][][] deaths) => new(name, Years, [], Names, deaths);

    private static readonly IReadOnlyList<ProvinceInput> Inputs =
    [
        new("Alpha", 10, null, null, 300, default, null),
        new("Beta", 4, null, null, null, default, null),
    ];

    [Fact]
    public void Sums_the_window_by_province_and_gives_the_paired_difference_per_thousand_of_1957_people()
    {
        var a = Sample("a", [[[1, 2, 3], [0.5, 0.5, 0.5]], [[1, 4, 3], [0.5, 1.5, 0.5]]]);
        var b = Sample("b", [[[1, 1, 1], [0.5, 0.5, 0.5]], [[1, 1, 2], [0.5, 0.5, 0.5]]]);
        var t = Comparison.SummariseProvinces(a, b, 1959, 1960, Inputs);

        Assert.Equal(Names, t["province"].Texts!);
        Assert.Equal(["1959-1960", "1959-1960"], t["period"].Texts!);
        // Alpha, 1959-60: A = 5 and 7 (mean 6), B = 2 and 3 (mean 2.5), paired differences 3 and 4 (mean 3.5).
        Assert.Equal(6, t["a_deaths_m"].Numbers![0], 12);
        Assert.Equal(2.5, t["b_deaths_m"].Numbers![0], 12);
        Assert.Equal(3.5, t["difference_m"].Numbers![0], 12);
        Assert.Equal(350, t["difference_per_1000_of_1957_population"].Numbers![0], 9); // 1000 × 3.5 / 10
        Assert.Equal(300, t["grain_per_capita_1957_kg"].Numbers![0]);
        // 90 % interval of the mean of {3, 4}: 3.5 ± t(0.95, 1) × 0.7071 / √2 = 3.5 ± 6.3138 × 0.5.
        Assert.Equal(3.5 - 6.313752 * 0.5, t["difference_ci90_low_m"].Numbers![0], 5);
        Assert.Equal(3.5 + 6.313752 * 0.5, t["difference_ci90_high_m"].Numbers![0], 5);
        // Beta: A = 1 and 2, B = 1 and 1: difference 0.5, per 1000 of 4 M: 125; its 1957 grain is not known.
        Assert.Equal(0.5, t["difference_m"].Numbers![1], 12);
        Assert.Equal(125, t["difference_per_1000_of_1957_population"].Numbers![1], 9);
        Assert.True(double.IsNaN(t["grain_per_capita_1957_kg"].Numbers![1]));
    }

    [Fact]
    public void A_window_outside_the_years_is_refused()
    {
        var a = Sample("a", [[[1, 2, 3], [1, 1, 1]]]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Comparison.SummariseProvinces(a, a, 1957, 1959, Inputs));
        Assert.Throws<ArgumentOutOfRangeException>(() => Comparison.SummariseProvinces(a, a, 1959, 1961, Inputs));
    }
}
