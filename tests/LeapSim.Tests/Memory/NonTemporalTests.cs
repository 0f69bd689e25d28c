using LeapSim.Core.Memory;
using Xunit;

namespace LeapSim.Tests.Memory;

/// <summary>
/// <see cref="NonTemporal.Clear"/> zeroes exactly the span it is given, whatever the span's alignment and length:
/// the unaligned ends the ordinary way, the whole lines between streamed, nothing outside touched.
/// </summary>
public sealed class NonTemporalTests
{
    [Theory]
    [InlineData(0, 5000)]     // from the array's first element
    [InlineData(1, 5000)]     // starting one float past it: an unaligned head
    [InlineData(7, 4099)]     // unaligned at both ends
    [InlineData(16, 8192)]    // a multiple of a line's 16 floats
    [InlineData(3, 100)]      // shorter than NonTemporal.Smallest: cleared the ordinary way
    [InlineData(5, 0)]        // empty
    public void ClearsTheSpanAndNothingElse(int offset, int length)
    {
        var column = new float[offset + length + 37];
        for (var i = 0; i < column.Length; i++) column[i] = i + 1;
        NonTemporal.Clear(column.AsSpan(offset, length));
        for (var i = 0; i < column.Length; i++)
        {
            var inside = i >= offset && i < offset + length;
            Assert.True(inside ? column[i] == 0 : column[i] == i + 1, $"element {i} (span {offset}..{offset + length}): {column[i]}");
        }
    }

    [Fact]
    public void ALongSpanIsClearedToItsEnd()
    {
        // Long enough that the lines between the ends are streamed on a machine with AVX (whether they were is not
        // visible from here; that every element is 0 is).
        var column = new float[NonTemporal.Smallest * 4 + 3];
        Array.Fill(column, float.NaN);
        NonTemporal.Clear(column.AsSpan(1));
        Assert.True(float.IsNaN(column[0]));
        Assert.All(column.Skip(1), x => Assert.Equal(0f, x));
    }
}
