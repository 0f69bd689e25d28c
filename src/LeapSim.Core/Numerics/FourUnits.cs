using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LeapSim.Core.Numerics;

/// <summary>
/// The pieces of the modules' four-units-at-a-time loops (AVX), which must give the scalar loops' bits: four units'
/// floats of a column, widened to double and narrowed back as the scalar (double) and (float) casts do, Math.Clamp as it
/// is defined, and a chunk's sums added lane by lane in unit order, as the scalar loops add their units.
/// (Vector256.Min/Max already are Math.Min/Max, NaN and signed zeros included.)
/// </summary>
internal static class FourUnits
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float[] column, int u) => Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(column), (nuint)u);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float[] column, int u, Vector128<float> value) => value.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(column), (nuint)u);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Wide(Vector128<float> value) => Avx.ConvertToVector256Double(value);

    /// <summary>To float as a (float) cast rounds (to nearest).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Narrow(Vector256<double> value) => Avx.ConvertToVector128Single(value);

    /// <summary>Math.Clamp of each lane, as it is defined: below the low bound the low bound, above the high the high, else the value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Clamp(Vector256<double> value, Vector256<double> low, Vector256<double> high) =>
        Vector256.ConditionalSelect(Vector256.LessThan(value, low), low, Vector256.ConditionalSelect(Vector256.GreaterThan(value, high), high, value));

    /// <summary>Adds the four lanes to <paramref name="sum"/> one by one in unit order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInOrder(ref double sum, Vector256<double> values)
    {
        sum += values.GetElement(0);
        sum += values.GetElement(1);
        sum += values.GetElement(2);
        sum += values.GetElement(3);
    }

    /// <summary>Adds each lane's two values to <paramref name="sum"/> in unit order, a unit's first value, then its second.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInOrder(ref double sum, Vector256<double> first, Vector256<double> second)
    {
        sum += first.GetElement(0);
        sum += second.GetElement(0);
        sum += first.GetElement(1);
        sum += second.GetElement(1);
        sum += first.GetElement(2);
        sum += second.GetElement(2);
        sum += first.GetElement(3);
        sum += second.GetElement(3);
    }
}
