using LeapSim.Core.Numerics;
using Xunit;

namespace LeapSim.Tests.Numerics;

public sealed class PowerTests
{
    [Theory]
    [InlineData(1.0, 3.602049129891631)]
    [InlineData(1.0, 0.25)]
    [InlineData(0.8, 3.602049129891631)]
    [InlineData(1.0000000000000002, 7.968)]  // the next double above 1 is not 1: Math.Pow's own answer
    [InlineData(0.9999999999999999, 0.6)]
    [InlineData(0.0, 0.6)]
    [InlineData(2.0, 10.0)]
    public void Power_is_Math_Pow_bit_for_bit(double x, double y)
    {
        Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Pow(x, y)), BitConverter.DoubleToInt64Bits(Power.Of(x, y)));
    }

    [Fact]
    public void Power_of_one_is_one()
    {
        // 1024 = 2^10 by hand; a base of 1 is 1 whatever the exponent.
        Assert.Equal(1024.0, Power.Of(2, 10));
        Assert.Equal(1.0, Power.Of(1, 123.456));
    }
}
