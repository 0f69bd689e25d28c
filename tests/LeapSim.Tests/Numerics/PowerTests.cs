using System.Runtime.Intrinsics;
using LeapSim.Core.Numerics;
using Xunit;

namespace LeapSim.Tests.Numerics;

public sealed class PowerTests
{
    [Fact]
    public void Fast_power_is_within_a_few_tens_of_units_in_the_last_place_of_Math_Pow()
    {
        // Bases and exponents of the loops: BMI ratios 0.4-1, labour, animals and tools 0.001-1.5, exponents 0.0005-5.
        var worst = 0.0;
        for (var i = 0; i < 2000; i++)
        {
            var x = 0.001 + 1.5 * i / 2000.0;
            foreach (var y in new[] { 0.0005, 0.08, 0.1, 0.3, 0.6, 2.0, 3.9999, 5.0 })
            {
                var exact = Math.Pow(x, y);
                worst = Math.Max(worst, Math.Abs(Power.Fast(x, y) - exact) / (Math.BitIncrement(exact) - exact));
            }
        }
        // exp(y ln x) carries the logarithm's rounding times |y ln x| (up to 35 here): 24 units at x = 0.001, y = 5.
        Assert.InRange(worst, 0, 32);
    }

    [Fact]
    public void Fast_power_is_exact_at_one_zero_and_a_zero_exponent()
    {
        Assert.Equal(1.0, Power.Fast(1, 3.9999));
        Assert.Equal(1.0, Power.Fast(0.7, 0));
        Assert.Equal(1.0, Power.Fast(0, 0));        // Math.Pow(0, 0) = 1
        Assert.Equal(0.0, Power.Fast(0, 0.6));      // Math.Pow(0, 0.6) = 0
        Assert.Equal(0.25, Power.Fast(0.5, 2), 15); // 0.5² by hand
    }

    [Fact]
    public void Each_lane_of_four_is_the_fast_power_of_its_base_whatever_shares_its_vector()
    {
        double[] bases = [0.3, 1.0, 0.0, 0.999, 1.25, 0.05, 1.0, 0.71];
        foreach (var y in new[] { 0.1, 0.6, 3.9999 })
            for (var start = 0; start + 4 <= bases.Length; start++)
            {
                var four = Power.Four(Vector256.Create(bases[start], bases[start + 1], bases[start + 2], bases[start + 3]), y);
                for (var lane = 0; lane < 4; lane++)
                    Assert.Equal(BitConverter.DoubleToInt64Bits(Power.Fast(bases[start + lane], y)), BitConverter.DoubleToInt64Bits(four.GetElement(lane)));
            }
        // Four ones take the shortcut and are exactly one.
        Assert.Equal(Vector256<double>.One, Power.Four(Vector256<double>.One, 2.5));
    }

    [Fact]
    public void Each_lane_of_eight_is_the_fast_power_of_its_base_whatever_shares_its_vector()
    {
        double[] bases = [0.3, 1.0, 0.0, 0.999, 1.25, 0.05, 1.0, 0.71, 2.5, 1e-6, 0.5, 1.0];
        foreach (var y in new[] { 0.1, 0.6, 3.9999 })
            for (var start = 0; start + 8 <= bases.Length; start++)
            {
                var eight = Power.Eight(Vector512.Create(bases.AsSpan(start, 8)), y);
                for (var lane = 0; lane < 8; lane++)
                    Assert.Equal(BitConverter.DoubleToInt64Bits(Power.Fast(bases[start + lane], y)), BitConverter.DoubleToInt64Bits(eight.GetElement(lane)));
            }
        // Eight ones take the shortcut and are exactly one.
        Assert.Equal(Vector512<double>.One, Power.Eight(Vector512<double>.One, 2.5));
    }

    /// <summary>
    /// A lane of eight gets the bits of the same exp(y ln x) four lanes wide: .NET's vector logarithm and exponential are
    /// one algorithm at every width, and where the machine has no 512-bit vectors .NET runs the eight as two fours. So
    /// results do not depend on whether the machine has AVX-512 (run with DOTNET_EnableAVX512=0 to see the other side).
    /// </summary>
    [Fact]
    public void Eight_lanes_give_the_bits_of_four()
    {
        var gen = new System.Random(5);
        for (var i = 0; i < 2000; i++)
        {
            var x = new double[8];
            for (var lane = 0; lane < 8; lane++) x[lane] = gen.NextDouble() * 3 + 1e-6;
            var y = gen.NextDouble() * 4;
            var eight = Power.Eight(Vector512.Create(x), y);
            for (var half = 0; half < 2; half++)
            {
                var four = Vector256.Exp(Vector256.Create(y) * Vector256.Log(Vector256.Create(x.AsSpan(4 * half, 4))));
                for (var lane = 0; lane < 4; lane++)
                    Assert.Equal(BitConverter.DoubleToInt64Bits(four.GetElement(lane)), BitConverter.DoubleToInt64Bits(eight.GetElement(4 * half + lane)));
            }
        }
    }
}
