using LeapSim.Core.Inputs;
using LeapSim.Core.Numerics;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Numerics;

public sealed class HugePagesTests
{
    [Fact]
    public void An_advised_array_is_a_plain_zeroed_array()
    {
        var a = HugePages.NewArray<float>(3 << 20); // 12 MiB: whole 2 MiB pages inside it
        Assert.Equal(3 << 20, a.Length);
        Assert.True(a.AsSpan().IndexOfAnyExcept(0f) < 0);
        for (var i = 0; i < a.Length; i += 1024) a[i] = i;
        for (var i = 0; i < a.Length; i += 1024) Assert.Equal(i, a[i]);
        Assert.False(HugePages.Advise(new float[1000])); // too small to hold a whole huge page: nothing asked
        if (OperatingSystem.IsLinux() && HugePages.Enabled) Assert.True(HugePages.Advise(a));
    }

    [Fact]
    public void The_world_is_the_same_with_or_without_huge_pages()
    {
        // The advice is a hint to the kernel: the same world, bit for bit, whether it was taken or not.
        string[] provinces = ["Ningxia", "Qinghai"];
        var was = HugePages.Enabled;
        SimWorld plain;
        try
        {
            HugePages.Enabled = false;
            plain = WorldBuilder.Build(BaselineInputs.Embedded, TestWorlds.Parameters(), Resolution.Team, 3, provinces, threads: 2);
        }
        finally { HugePages.Enabled = was; }
        var advised = WorldBuilder.Build(BaselineInputs.Embedded, TestWorlds.Parameters(), Resolution.Team, 3, provinces, threads: 2);
        Assert.Equal(plain.Units.Count, advised.Units.Count);
        Assert.Equal(plain.Units.ProvinceOf, advised.Units.ProvinceOf);
        Assert.Equal(plain.Units.CommuneOf, advised.Units.CommuneOf);
        foreach (var ((name, a), (_, b)) in plain.Units.StateColumns.Zip(advised.Units.StateColumns)) Assert.True(a.AsSpan().SequenceEqual(b), name);
        foreach (var (a, b) in plain.Units.FixedFloatColumns.Zip(advised.Units.FixedFloatColumns)) Assert.True(a.AsSpan().SequenceEqual(b));
    }
}
