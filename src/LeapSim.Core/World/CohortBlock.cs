using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LeapSim.Core.World;

/// <summary>
/// Vector arithmetic on one population's block of <see cref="AgeGroups.Cohorts"/> (42) age-sex groups, 8 at a time:
/// five full vectors and the last two groups (women 75-79 and 80+) on their own. The monthly loops call these once
/// per unit, so they must not allocate and should not branch per group.
/// </summary>
public static class CohortBlock
{
    private const int Full = AgeGroups.Cohorts / 8 * 8; // 40

    /// <summary>1 for the working ages (15-59) of both sexes, else 0, padded to 48.</summary>
    private static readonly float[] WorkingMask = MakeWorkingMask();

    private static float[] MakeWorkingMask()
    {
        var m = new float[48];
        for (var s = 0; s < 2; s++)
            for (var g = AgeGroups.FirstWorkingGroup; g <= AgeGroups.LastWorkingGroup; g++) m[AgeGroups.Index(s, g)] = 1;
        return m;
    }

    /// <summary>All people and the people of working age (15-59) of a block.</summary>
    public static (double All, double Working) Headcounts(ReadOnlySpan<float> cohorts)
    {
        if (cohorts.Length != AgeGroups.Cohorts) throw new ArgumentException("a block of 42 age-sex groups", nameof(cohorts));
        ref var c = ref MemoryMarshal.GetReference(cohorts);
        ref var mask = ref MemoryMarshal.GetArrayDataReference(WorkingMask);
        var all = Vector256<double>.Zero; // in double: the collector's population is the sum of Persons
        var working = Vector256<float>.Zero;
        for (nuint i = 0; i < Full; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref c, i);
            all += Vector256.WidenLower(v) + Vector256.WidenUpper(v);
            working += v * Vector256.LoadUnsafe(ref mask, i);
        }
        // The last two groups are 75-79 and 80+: never of working age.
        return (Vector256.Sum(all) + Unsafe.Add(ref c, Full) + Unsafe.Add(ref c, Full + 1), Vector256.Sum(working));
    }

    /// <summary>Takes the same share of every group away; returns the number of people taken.</summary>
    public static double TakeShare(Span<float> cohorts, float share)
    {
        if (cohorts.Length != AgeGroups.Cohorts) throw new ArgumentException("a block of 42 age-sex groups", nameof(cohorts));
        ref var c = ref MemoryMarshal.GetReference(cohorts);
        var s = Vector256.Create(share);
        var taken = Vector256<float>.Zero;
        for (nuint i = 0; i < Full; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref c, i);
            var m = v * s;
            (v - m).StoreUnsafe(ref c, i);
            taken += m;
        }
        double total = Vector256.Sum(taken);
        for (var k = Full; k < AgeGroups.Cohorts; k++)
        {
            ref var x = ref Unsafe.Add(ref c, k);
            var m = x * share;
            x -= m;
            total += m;
        }
        return total;
    }
}
