using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LeapSim.Core.Numerics;

/// <summary>
/// A vector of consecutive units' values in double, of a width the machine runs natively: <see cref="Doubles8"/> where
/// it has 512-bit vectors, <see cref="Doubles4"/> (AVX) elsewhere. Why: a module's vector loop is written once, generic
/// over the width (<c>StepLanes&lt;D, F&gt;</c>), and the JIT compiles it for each width with these calls inlined.
/// Eight lanes halve the instructions of a loop where the machine has AVX-512 (Consumption: 9.2-9.8 against 14.6-15.1
/// ms a month at team resolution on 2 threads, bench/README.md, 2026-11-25); without it .NET would run a 512-bit vector
/// as two 256-bit halves in software, four to five times slower than a four-lane loop, so those machines keep four
/// lanes. A loop much larger than Consumption's can exhaust the JIT's inlining budget and leave the wrappers as calls
/// (Farming, tried: slower at both widths); check the loop's disassembly (DOTNET_JitDisasm) for calls when adding one. Every operation
/// is the scalar one lane by lane (Min and Max are Math.Min and Math.Max, <see cref="Clamp"/> is Math.Clamp as it is
/// defined, <see cref="Narrow"/> and <see cref="IFloatLanes{F, D}.Wide"/> are the (float) and (double) casts, the power
/// is <see cref="Numerics.Power.Fast"/>'s), so both widths give the scalar loop's bits.
/// </summary>
internal interface IDoubleLanes<D, F> where D : struct, IDoubleLanes<D, F> where F : struct, IFloatLanes<F, D>
{
    static abstract int Count { get; }
    static abstract D Zero { get; }
    static abstract D One { get; }
    static abstract D Create(double value);
    /// <summary>The first <see cref="Count"/> values.</summary>
    static abstract D Load(ReadOnlySpan<double> values);
    static abstract D operator +(D a, D b);
    static abstract D operator -(D a, D b);
    static abstract D operator *(D a, D b);
    static abstract D operator /(D a, D b);
    static abstract D operator -(D a);
    static abstract D Min(D a, D b);
    static abstract D Max(D a, D b);
    static abstract D Clamp(D value, D low, D high);
    /// <summary>Each lane from <paramref name="whenTrue"/> where <paramref name="mask"/> is set, else from <paramref name="whenFalse"/>.</summary>
    static abstract D Select(D mask, D whenTrue, D whenFalse);
    static abstract D GreaterThan(D a, D b);
    static abstract D GreaterThanOrEqual(D a, D b);
    static abstract D LessThan(D a, D b);
    /// <summary>Whether any lane of a mask is set.</summary>
    static abstract bool Any(D mask);
    static abstract D Power(D x, double y);
    static abstract F Narrow(D value);
    /// <summary>Adds the lanes to <paramref name="sum"/> one by one in unit order.</summary>
    static abstract void AddInOrder(ref double sum, D values);
    /// <summary>Adds each lane's two values to <paramref name="sum"/> in unit order, a unit's first value, then its second.</summary>
    static abstract void AddInOrder(ref double sum, D first, D second);
}

/// <summary>The same units' values in float (<see cref="IDoubleLanes{D, F}"/>): a column's values are loaded and stored as these.</summary>
internal interface IFloatLanes<F, D> where F : struct, IFloatLanes<F, D> where D : struct, IDoubleLanes<D, F>
{
    static abstract F Zero { get; }
    static abstract F One { get; }
    static abstract F Create(float value);
    static abstract F Load(float[] column, int u);
    static abstract void Store(float[] column, int u, F value);
    static abstract F operator +(F a, F b);
    static abstract F operator -(F a, F b);
    static abstract F operator *(F a, F b);
    static abstract F operator /(F a, F b);
    static abstract F Min(F a, F b);
    static abstract F Max(F a, F b);
    static abstract F Select(F mask, F whenTrue, F whenFalse);
    static abstract F GreaterThan(F a, F b);
    static abstract bool GreaterThanAll(F a, F b);
    static abstract D Wide(F value);
}

/// <summary>Four units' doubles (AVX).</summary>
internal readonly struct Doubles4(Vector256<double> value) : IDoubleLanes<Doubles4, Floats4>
{
    public readonly Vector256<double> Value = value;
    public static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 4; }
    public static Doubles4 Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector256<double>.Zero); }
    public static Doubles4 One { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector256<double>.One); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 Create(double value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 Load(ReadOnlySpan<double> values) => new(Vector256.Create(values));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 operator +(Doubles4 a, Doubles4 b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 operator -(Doubles4 a, Doubles4 b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 operator *(Doubles4 a, Doubles4 b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 operator /(Doubles4 a, Doubles4 b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 operator -(Doubles4 a) => new(-a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 Min(Doubles4 a, Doubles4 b) => new(Vector256.Min(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 Max(Doubles4 a, Doubles4 b) => new(Vector256.Max(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 Clamp(Doubles4 value, Doubles4 low, Doubles4 high) => new(FourUnits.Clamp(value.Value, low.Value, high.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 Select(Doubles4 mask, Doubles4 whenTrue, Doubles4 whenFalse) => new(Vector256.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 GreaterThan(Doubles4 a, Doubles4 b) => new(Vector256.GreaterThan(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 GreaterThanOrEqual(Doubles4 a, Doubles4 b) => new(Vector256.GreaterThanOrEqual(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 LessThan(Doubles4 a, Doubles4 b) => new(Vector256.LessThan(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Doubles4 mask) => mask.Value.AsUInt64() != Vector256<ulong>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 Power(Doubles4 x, double y) => new(Numerics.Power.Four(x.Value, y));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats4 Narrow(Doubles4 value) => new(FourUnits.Narrow(value.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AddInOrder(ref double sum, Doubles4 values) => FourUnits.AddInOrder(ref sum, values.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AddInOrder(ref double sum, Doubles4 first, Doubles4 second) => FourUnits.AddInOrder(ref sum, first.Value, second.Value);
}

/// <summary>Four units' floats (AVX).</summary>
internal readonly struct Floats4(Vector128<float> value) : IFloatLanes<Floats4, Doubles4>
{
    public readonly Vector128<float> Value = value;
    public static Floats4 Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector128<float>.Zero); }
    public static Floats4 One { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector128<float>.One); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats4 Create(float value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats4 Load(float[] column, int u) => new(FourUnits.Load(column, u));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float[] column, int u, Floats4 value) => FourUnits.Store(column, u, value.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats4 operator +(Floats4 a, Floats4 b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats4 operator -(Floats4 a, Floats4 b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats4 operator *(Floats4 a, Floats4 b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats4 operator /(Floats4 a, Floats4 b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats4 Min(Floats4 a, Floats4 b) => new(Vector128.Min(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats4 Max(Floats4 a, Floats4 b) => new(Vector128.Max(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats4 Select(Floats4 mask, Floats4 whenTrue, Floats4 whenFalse) => new(Vector128.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats4 GreaterThan(Floats4 a, Floats4 b) => new(Vector128.GreaterThan(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool GreaterThanAll(Floats4 a, Floats4 b) => Vector128.GreaterThanAll(a.Value, b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles4 Wide(Floats4 value) => new(FourUnits.Wide(value.Value));
}

/// <summary>Eight units' doubles (AVX-512).</summary>
internal readonly struct Doubles8(Vector512<double> value) : IDoubleLanes<Doubles8, Floats8>
{
    public readonly Vector512<double> Value = value;
    public static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 8; }
    public static Doubles8 Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector512<double>.Zero); }
    public static Doubles8 One { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector512<double>.One); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 Create(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 Load(ReadOnlySpan<double> values) => new(Vector512.Create(values));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 operator +(Doubles8 a, Doubles8 b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 operator -(Doubles8 a, Doubles8 b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 operator *(Doubles8 a, Doubles8 b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 operator /(Doubles8 a, Doubles8 b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 operator -(Doubles8 a) => new(-a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 Min(Doubles8 a, Doubles8 b) => new(Vector512.Min(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 Max(Doubles8 a, Doubles8 b) => new(Vector512.Max(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 Clamp(Doubles8 value, Doubles8 low, Doubles8 high) =>
        new(Vector512.ConditionalSelect(Vector512.LessThan(value.Value, low.Value), low.Value, Vector512.ConditionalSelect(Vector512.GreaterThan(value.Value, high.Value), high.Value, value.Value)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 Select(Doubles8 mask, Doubles8 whenTrue, Doubles8 whenFalse) => new(Vector512.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 GreaterThan(Doubles8 a, Doubles8 b) => new(Vector512.GreaterThan(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 GreaterThanOrEqual(Doubles8 a, Doubles8 b) => new(Vector512.GreaterThanOrEqual(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 LessThan(Doubles8 a, Doubles8 b) => new(Vector512.LessThan(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Doubles8 mask) => mask.Value.AsUInt64() != Vector512<ulong>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 Power(Doubles8 x, double y) => new(Numerics.Power.Eight(x.Value, y));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats8 Narrow(Doubles8 value) => new(Avx512F.ConvertToVector256Single(value.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInOrder(ref double sum, Doubles8 values)
    {
        FourUnits.AddInOrder(ref sum, values.Value.GetLower());
        FourUnits.AddInOrder(ref sum, values.Value.GetUpper());
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInOrder(ref double sum, Doubles8 first, Doubles8 second)
    {
        FourUnits.AddInOrder(ref sum, first.Value.GetLower(), second.Value.GetLower());
        FourUnits.AddInOrder(ref sum, first.Value.GetUpper(), second.Value.GetUpper());
    }
}

/// <summary>Eight units' floats (AVX-512).</summary>
internal readonly struct Floats8(Vector256<float> value) : IFloatLanes<Floats8, Doubles8>
{
    public readonly Vector256<float> Value = value;
    public static Floats8 Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector256<float>.Zero); }
    public static Floats8 One { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector256<float>.One); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats8 Create(float value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats8 Load(float[] column, int u) => new(Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(column), (nuint)u));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float[] column, int u, Floats8 value) => value.Value.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(column), (nuint)u);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats8 operator +(Floats8 a, Floats8 b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats8 operator -(Floats8 a, Floats8 b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats8 operator *(Floats8 a, Floats8 b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats8 operator /(Floats8 a, Floats8 b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats8 Min(Floats8 a, Floats8 b) => new(Vector256.Min(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats8 Max(Floats8 a, Floats8 b) => new(Vector256.Max(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats8 Select(Floats8 mask, Floats8 whenTrue, Floats8 whenFalse) => new(Vector256.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Floats8 GreaterThan(Floats8 a, Floats8 b) => new(Vector256.GreaterThan(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool GreaterThanAll(Floats8 a, Floats8 b) => Vector256.GreaterThanAll(a.Value, b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Doubles8 Wide(Floats8 value) => new(Avx512F.ConvertToVector512Double(value.Value));
}
