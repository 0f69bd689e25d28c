using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LeapSim.Core.Numerics;

/// <summary>Powers in the monthly loops, where the base is often exactly 1 (a well-fed body, a 1957 herd, full tools): libm's
/// pow, called lane by lane, was replaced by these vector powers (bench/README.md, 2026-11-24).</summary>
public static class Power
{
    /// <summary>
    /// <paramref name="x"/>^<paramref name="y"/> of four bases (x ≥ 0) at once, as exp(y ln x) with .NET's vector
    /// logarithm and exponential: within a few tens of units in the last place of Math.Pow (PowerTests), exactly 1 where the
    /// base is 1 or the exponent 0, 0 where the base is 0 (y &gt; 0; a base below 0 gives NaN, as Math.Pow does for
    /// exponents that are not whole). Why: libm's pow, called lane by lane, was 8 % of a
    /// team run's processor time (bench/README.md). For finite bases of 0 and above with |y ln x| below about 700 each
    /// lane's result depends on that lane alone, so a unit gets the same bits whichever units share its vector, and
    /// <see cref="Fast"/> gives them for one base (PowerTests). Outside that (a base that is negative, NaN or infinite,
    /// or |y ln x| past the exponential's range) the vector takes the special-value paths of Log and Exp, which move
    /// the other lanes' last bits. The loops stay inside: farming's and consumption's bases are floats widened to
    /// double, 0 or at least 1e-6 (animals and tools are floored there), so |ln x| ≤ 104, with exponents of at most 4;
    /// procurement's ratio is clamped to [0.01, 1e100] with an exponent of at most 3 (Procurement.MaxRelativeHarvest).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Four(Vector256<double> x, double y)
    {
        var one = Vector256<double>.One;
        var isOne = Vector256.Equals(x, one);
        // (EqualsAll, not isOne == AllBitsSet: == compares the lanes as numbers, and an all-ones lane is a NaN.)
        if (y == 0 || Vector256.EqualsAll(x, one)) return one;
        // A base of 0 would send the whole vector down the logarithm's special-value path, which changes the other
        // lanes' last bits: it is replaced by 1 for the logarithm and its power (0) put back after.
        var isZero = Vector256.Equals(x, Vector256<double>.Zero);
        var power = Vector256.Exp(Vector256.Create(y) * Vector256.Log(Vector256.ConditionalSelect(isZero, one, x)));
        return Vector256.ConditionalSelect(isOne, one, Vector256.ConditionalSelect(isZero, Vector256<double>.Zero, power));
    }

    /// <summary>
    /// <see cref="Four"/> of eight bases, for the eight-lane loops (Doubles8): the same steps, and .NET's vector logarithm
    /// and exponential are one algorithm at every width, so each lane gets the bits four lanes give (PowerTests).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Eight(Vector512<double> x, double y)
    {
        var one = Vector512<double>.One;
        var isOne = Vector512.Equals(x, one);
        if (y == 0 || Vector512.EqualsAll(x, one)) return one;
        var isZero = Vector512.Equals(x, Vector512<double>.Zero);
        var power = Vector512.Exp(Vector512.Create(y) * Vector512.Log(Vector512.ConditionalSelect(isZero, one, x)));
        return Vector512.ConditionalSelect(isOne, one, Vector512.ConditionalSelect(isZero, Vector512<double>.Zero, power));
    }

    /// <summary><see cref="Four"/> of one base: the same bits, for the scalar loops that must agree with the vector ones.</summary>
    public static double Fast(double x, double y) => x == 1 || y == 0 ? 1 : Four(Vector256.Create(x), y).GetElement(0);
}
