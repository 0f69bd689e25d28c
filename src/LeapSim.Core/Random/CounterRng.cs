using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LeapSim.Core.Random;

/// <summary>
/// Counter-based random numbers keyed to identity: a stream is a pure function of (seed, stream, entity, month),
/// so the same seed gives the same draws whatever the thread count or the order units are visited in, and two
/// scenarios that differ in one policy still share every other draw (common random numbers).
/// The mixer is SplitMix64's finaliser applied to a running key (Steele, Lea &amp; Flood 2014); each draw advances a
/// counter, so a stream costs one 64-bit multiply-xorshift chain per number.
/// </summary>
public struct CounterRng
{
    private readonly ulong _key;
    private ulong _counter;

    public CounterRng(ulong seed, ulong stream, ulong entity, int month) : this(StreamKey(seed, stream), entity, month)
    {
    }

    /// <summary>A stream from its precomputed key (<see cref="RngStream"/>): the same numbers as the four-part key.</summary>
    internal CounterRng(ulong streamKey, ulong entity, int month)
    {
        _key = Mix(streamKey ^ entity) ^ (ulong)(uint)month * 0xD1B54A32D192ED03UL;
        _counter = 0;
    }

    /// <summary>The part of the key that depends only on the seed and the stream.</summary>
    internal static ulong StreamKey(ulong seed, ulong stream) => Mix(Mix(seed ^ 0x9E3779B97F4A7C15UL) ^ stream);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A stable 64-bit id for a stream name (FNV-1a), so stream keys do not depend on declaration order.</summary>
    public static ulong StreamId(string name)
    {
        ulong h = 14695981039346656037UL;
        foreach (var c in name) { h ^= c; h *= 1099511628211UL; }
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64() => Mix(_key + 0x632BE59BD9B4E019UL * ++_counter);

    /// <summary>Uniform on [0, 1) with 53 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Uniform on (0, 1): safe for logarithms.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / 9007199254740992.0);

    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Standard normal by Box-Muller (one of the pair; simplicity over speed, used outside hot loops).</summary>
    public double NextNormal()
    {
        var u1 = NextOpenDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Log-normal with mean 1 and the given coefficient of variation.</summary>
    public double MeanOneLogNormal(double cv)
    {
        if (cv <= 0) return 1.0;
        var s2 = Math.Log(1 + cv * cv);
        return Math.Exp(Math.Sqrt(s2) * NextNormal() - 0.5 * s2);
    }

    /// <summary>
    /// The same draw as <see cref="MeanOneLogNormal(double)"/> for <paramref name="shape"/>'s coefficient of variation,
    /// bit for bit, with its logarithm and square root computed once for many draws (the world builder draws ~16 M
    /// at team resolution).
    /// </summary>
    public double MeanOneLogNormal(in LogNormalShape shape) =>
        shape.Cv <= 0 ? 1.0 : Math.Exp(shape.Sigma * NextNormal() - shape.HalfVariance);

    /// <summary>Mean from which <see cref="Poisson"/> draws a rounded normal instead of inverting.</summary>
    internal const double NormalFrom = 30;

    /// <summary>More than the rounding error of 1 − mean and of Math.Exp(−mean) near 1 (a few units of 2^-53).</summary>
    private const double ZeroMargin = 1.0 / (1L << 50);

    /// <summary>
    /// A Poisson count with mean <paramref name="mean"/>: exact inversion below 30 (the usual case for a team-month),
    /// a rounded normal approximation above (a county or province, where relative noise is tiny anyway).
    /// </summary>
    public double Poisson(double mean)
    {
        if (!(mean > 0)) return 0;
        if (mean >= NormalFrom)
        {
            var x = Math.Round(mean + Math.Sqrt(mean) * NextNormal());
            return x < 0 ? 0 : x;
        }
        var u = NextDouble();
        // Most small-mean draws are 0, and exp(−mean) ≥ 1 − mean: a u below 1 − mean (less a margin that covers the
        // rounding of both sides) is 0 without the exponential, the same draw the inversion below makes.
        return u < 1 - mean - ZeroMargin ? 0 : Inversion(u, mean);
    }

    private static double Inversion(double u, double mean)
    {
        var p = Math.Exp(-mean);
        var cdf = p;
        var k = 0;
        while (u > cdf && k < MostSteps)
        {
            k++;
            p *= mean * Reciprocals[k];
            cdf += p;
        }
        return k;
    }

    /// <summary>Most steps of an inversion: its largest count.</summary>
    internal const int MostSteps = 200;

    /// <summary>
    /// 1 / k for k = 1 … <see cref="MostSteps"/> (index 0 unused). Why: each step of an inversion multiplies the
    /// probability by mean / k; mean × (1 / k) from a table is a multiply where a division takes several times as long,
    /// and the vector inversion (RngStream) uses the same table, so the two give the same bits.
    /// </summary>
    internal static readonly double[] Reciprocals = Enumerable.Range(0, MostSteps + 1).Select(k => k == 0 ? 0 : 1.0 / k).ToArray();
}

/// <summary>The constants of a mean-one log-normal with coefficient of variation <see cref="Cv"/>: σ = √ln(1 + cv²) and σ²/2.</summary>
public readonly struct LogNormalShape
{
    public LogNormalShape(double cv)
    {
        Cv = cv;
        if (cv <= 0) return;
        var s2 = Math.Log(1 + cv * cv);
        Sigma = Math.Sqrt(s2);
        HalfVariance = 0.5 * s2;
    }

    public double Cv { get; }
    public double Sigma { get; }
    public double HalfVariance { get; }
}

/// <summary>
/// One stream of one seed with its key computed once, for loops that open a stream per unit: <see cref="For"/> gives
/// exactly the numbers of <c>new CounterRng(seed, stream, entity, month)</c> for one mix instead of three.
/// </summary>
public readonly struct RngStream(ulong seed, ulong stream)
{
    private readonly ulong _key = CounterRng.StreamKey(seed, stream);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public CounterRng For(long entity, int month) => new(_key, (ulong)entity, month);

    /// <summary>
    /// <c>counts[i] = For(first + i, month).Poisson(means[i])</c> for i = 0..7: the same counts, drawn in one vector
    /// (with AVX-512DQ; one by one otherwise): the lanes below <see cref="CounterRng.NormalFrom"/> inverted together,
    /// the lanes at or above it from the same rounded normal, with the vector logarithm and cosine. Those can differ
    /// from Math.Log and Math.Cos in the last bits, which moves an inversion's cumulative probabilities by well under
    /// 1e-13 of themselves (200 steps at most) and a normal draw by under 1e-12 of itself; a count whose uniform came
    /// within 1e-12 of a cumulative probability, or whose normal draw came within 1e-9 of a half (where rounding
    /// turns), is drawn again one by one, so no count differs from the scalar draw's.
    /// </summary>
    public void Poissons(long first, int month, ReadOnlySpan<double> means, Span<double> counts)
    {
        if (!Avx512DQ.IsSupported || means.Length != 8 || counts.Length < 8)
        {
            for (var i = 0; i < means.Length; i++) counts[i] = For(first + i, month).Poisson(means[i]);
            return;
        }
        var entities = Vector512.Create(first).AsUInt64() + Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
        var mean = Vector512.Create(means);
        var key = Keys(entities, month);
        var large = Vector512.GreaterThanOrEqual(mean, Vector512.Create(CounterRng.NormalFrom));
        Vector512<double> drawn;
        if (large == Vector512<double>.Zero) Inversion(Uniforms(key, 1), mean, out drawn);
        else
        {
            drawn = Normals(key, mean, large);
            if (!Vector512.GreaterThanOrEqualAll(mean, Vector512.Create(CounterRng.NormalFrom)))
            {
                Inversion(Uniforms(key, 1), mean, out var inverted);
                drawn = Vector512.ConditionalSelect(large, drawn, inverted);
            }
        }
        drawn.CopyTo(counts);
        if (Vector512.EqualsAll(drawn, drawn)) return;
        // A lane left undecided (NaN: a mean not above 0, or a draw too close to call): the scalar draw.
        for (var i = 0; i < 8; i++)
            if (double.IsNaN(counts[i])) counts[i] = For(first + i, month).Poisson(means[i]);
    }

    /// <summary>
    /// <see cref="CounterRng.Poisson"/>'s rounded normal, max(0, round(mean + √mean × z)) with z by Box-Muller from the
    /// stream's first two numbers (<see cref="CounterRng.NextNormal"/>), in the <paramref name="large"/> lanes; NaN in
    /// the others and where mean + √mean × z is within 1e-9 (plus 1e-12 of itself) of a half.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Normals(Vector512<ulong> key, Vector512<double> mean, Vector512<double> large)
    {
        var open = (Avx512DQ.ConvertToVector512Double(Bits(key, 1)) + Vector512.Create(0.5)) * Vector512.Create(1.0 / 9007199254740992.0);
        var z = Vector512.Sqrt(Vector512.Create(-2.0) * Vector512.Log(open)) * Vector512.Cos(Vector512.Create(2.0 * Math.PI) * Uniforms(key, 2));
        var x = mean + Vector512.Sqrt(mean) * z;
        var rounded = Vector512.Round(x);
        var fromHalf = Vector512.Abs(Vector512.Abs(x - Vector512.Floor(x)) - Vector512.Create(0.5));
        var close = Vector512.LessThanOrEqual(fromHalf, Vector512.Create(1e-12) * Vector512.Abs(x) + Vector512.Create(1e-9));
        var count = Vector512.ConditionalSelect(Vector512.LessThan(rounded, Vector512<double>.Zero), Vector512<double>.Zero, rounded);
        return Vector512.ConditionalSelect(large & ~close, count, Vector512.Create(double.NaN));
    }

    /// <summary>CounterRng's key for each of eight entities in <paramref name="month"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<ulong> Keys(Vector512<ulong> entities, int month) =>
        Mix(Vector512.Create(_key) ^ entities) ^ Vector512.Create((ulong)(uint)month * 0xD1B54A32D192ED03UL);

    /// <summary>The <paramref name="counter"/>-th <see cref="CounterRng.NextUInt64"/> of each key, shifted to 53 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Bits(Vector512<ulong> key, ulong counter) => Mix(key + Vector512.Create(0x632BE59BD9B4E019UL * counter)) >> 11;

    /// <summary>The <paramref name="counter"/>-th <see cref="CounterRng.NextDouble"/> of each key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Uniforms(Vector512<ulong> key, ulong counter) =>
        Avx512DQ.ConvertToVector512Double(Bits(key, counter)) * Vector512.Create(1.0 / 9007199254740992.0);

    /// <summary>
    /// True when no mean of the sixteen is at or above <see cref="CounterRng.NormalFrom"/> (a NaN is not: the joint
    /// inversion leaves it to the scalar draw), in two vector compares (1-2 % of a demography month against a scalar
    /// loop: Sichuan+Henan, June 1959 and April 1960, one thread, alternated in-process pairs). Callers have AVX-512.
    /// </summary>
    private static bool AllInverted(ReadOnlySpan<double> means)
    {
        var normalFrom = Vector512.Create(CounterRng.NormalFrom);
        return !Vector512.GreaterThanOrEqualAny(Vector512.Create(means[..8]), normalFrom)
               && !Vector512.GreaterThanOrEqualAny(Vector512.Create(means[8..]), normalFrom);
    }

    /// <summary>
    /// <c>counts[i] = For(first + i, month).Poisson(means[i])</c> for i = 0..7 and
    /// <c>counts[8 + i] = For(second + i, month).Poisson(means[8 + i])</c>: <see cref="Poissons(long, int, ReadOnlySpan{double}, Span{double})"/>
    /// of two blocks, the sixteen inversions stepped in one loop where both blocks take the joint inversion. Why: the
    /// loop runs a random number of steps (the largest count of its lanes, plus one), so its exit is a branch the
    /// processor mostly mispredicts; one loop for two blocks has one exit, and its two chains of steps overlap.
    /// </summary>
    public void Poissons(long first, long second, int month, ReadOnlySpan<double> means, Span<double> counts)
    {
        if (!Avx512DQ.IsSupported || means.Length != 16 || counts.Length < 16 || !AllInverted(means))
        {
            Poissons(first, month, means[..8], counts[..8]);
            Poissons(second, month, means[8..], counts[8..]);
            return;
        }
        var lanes = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
        var firstUniforms = Uniforms(Keys(Vector512.Create(first).AsUInt64() + lanes, month), 1);
        var secondUniforms = Uniforms(Keys(Vector512.Create(second).AsUInt64() + lanes, month), 1);
        var clear = Inversion(firstUniforms, Vector512.Create(means[..8]), secondUniforms, Vector512.Create(means[8..]), out var drawn, out var drawnSecond);
        drawn.CopyTo(counts);
        drawnSecond.CopyTo(counts[8..]);
        if (clear) return;
        for (var i = 0; i < 16; i++)
            if (double.IsNaN(counts[i])) counts[i] = For(i < 8 ? first + i : second + i - 8, month).Poisson(means[i]);
    }

    /// <summary>
    /// <see cref="CounterRng.Poisson"/>'s inversion of eight uniforms at eight means in (0, NormalFrom); a lane
    /// outside that range, or whose uniform came within 1e-12 (relative) of a cumulative probability it was compared
    /// with, is NaN, to be drawn one by one. True when no lane is NaN. A lane still stepping at step j has count j,
    /// so its probability is multiplied by mean × (1 / j) with j the loop's counter (CounterRng.Reciprocals, as the
    /// scalar inversion does): the factor does not wait for the lane's count, and each step's chain is a multiply, an
    /// add and the comparisons.
    /// </summary>
    internal static bool Inversion(Vector512<double> u, Vector512<double> mean, out Vector512<double> counts)
    {
        var draw = new InversionLanes(u, mean);
        draw.FirstSteps();
        ref var reciprocals = ref MemoryMarshal.GetArrayDataReference(CounterRng.Reciprocals);
        // A lane steps while its count is below MostSteps, so step never passes MostSteps, the table's last index.
        for (nuint step = InversionLanes.First + 1; draw.Active != Vector512<double>.Zero; step++) draw.Step(Unsafe.Add(ref reciprocals, step));
        return draw.Counts(out counts);
    }

    /// <summary>
    /// <see cref="Inversion(Vector512{double}, Vector512{double}, out Vector512{double})"/> of two vectors of eight
    /// lanes in one loop: each lane's steps are the steps it takes alone (a lane that is done no longer changes, and
    /// the loop's counter is still the count of every lane stepping), so each lane's count is the same.
    /// </summary>
    internal static bool Inversion(Vector512<double> u, Vector512<double> mean, Vector512<double> secondU, Vector512<double> secondMean,
        out Vector512<double> counts, out Vector512<double> secondCounts)
    {
        var draw = new InversionLanes(u, mean);
        var second = new InversionLanes(secondU, secondMean);
        draw.FirstSteps();
        second.FirstSteps();
        // The table's reference taken once, outside the loop (read inside it, the static field was checked, reloaded
        // and bounds-checked every step). A lane steps while its count is below MostSteps, so step never passes the
        // table's last index.
        ref var reciprocals = ref MemoryMarshal.GetArrayDataReference(CounterRng.Reciprocals);
        for (nuint step = InversionLanes.First + 1; (draw.Active | second.Active) != Vector512<double>.Zero; step++)
        {
            var reciprocal = Unsafe.Add(ref reciprocals, step);
            draw.Step(reciprocal);
            second.Step(reciprocal);
        }
        return draw.Counts(out counts) & second.Counts(out secondCounts);
    }

    /// <summary>The state of eight lanes' inversions (<see cref="Inversion(Vector512{double}, Vector512{double}, out Vector512{double})"/>).</summary>
    private struct InversionLanes
    {
        private const double Tolerance = 1e-12, MostSteps = CounterRng.MostSteps;
        private readonly Vector512<double> _u, _mean;
        private Vector512<double> _p, _cdf, _k, _bad;
        public Vector512<double> Active;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public InversionLanes(Vector512<double> u, Vector512<double> mean)
        {
            _u = u;
            _mean = mean;
            _p = Vector512.Exp(-mean);
            _cdf = _p;
            _k = Vector512<double>.Zero;
            _bad = ~(Vector512.GreaterThan(mean, Vector512<double>.Zero) & Vector512.LessThan(mean, Vector512.Create(CounterRng.NormalFrom)))
                | Vector512.LessThanOrEqual(Vector512.Abs(u - _cdf), Vector512.Create(Tolerance) * _cdf);
            Active = Vector512.GreaterThan(u, _cdf) & ~_bad;
        }

        /// <summary>Step j (1, 2, ...) of the lanes still active, <paramref name="reciprocal"/> = 1 / j.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step(double reciprocal)
        {
            _k += Vector512<double>.One & Active;
            _p = Vector512.ConditionalSelect(Active, _p * (_mean * Vector512.Create(reciprocal)), _p);
            _cdf = Vector512.ConditionalSelect(Active, _cdf + _p, _cdf);
            _bad |= Active & Vector512.LessThanOrEqual(Vector512.Abs(_u - _cdf), Vector512.Create(Tolerance) * _cdf);
            Active &= Vector512.GreaterThan(_u, _cdf) & Vector512.LessThan(_k, Vector512.Create(MostSteps)) & ~_bad;
        }

        /// <summary>Steps <see cref="FirstSteps"/> takes without a loop.</summary>
        public const int First = 4;

        /// <summary>
        /// Steps 1 to <see cref="First"/>, as four <see cref="Step"/>s would take them, without a loop: each lane's
        /// probabilities and cumulative probabilities are computed for all four steps whether or not the lane is still
        /// stepping, by the same operations in the same order, so a lane that steps gets the bits it gets in the loop;
        /// the count, the close calls and the lanes still stepping follow from them as in <see cref="Step"/> (a count
        /// of at most four is below MostSteps). A lane that stopped earlier is left with later probabilities than
        /// <see cref="Step"/> leaves it, which nothing reads again. Why: a team's month draws about 0.15 deaths and
        /// 0.45 births, so most inversions stop within a few steps; in a loop each step waits for the one before and
        /// the loop's end is a branch the processor mostly mispredicts. Sixteen lanes at means 0.45 took 43-44 ns
        /// against 60-61 in the loop, at 1.5 54 against 92, at 0.15 alike (the same counts over two million draws
        /// with random and edge-case means and uniforms; scratch benchmark, 2026-11-25).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void FirstSteps()
        {
            var one = Vector512<double>.One;
            var tolerance = Vector512.Create(Tolerance);
            ref var reciprocals = ref MemoryMarshal.GetArrayDataReference(CounterRng.Reciprocals);
            var p1 = _p * (_mean * Vector512.Create(Unsafe.Add(ref reciprocals, 1)));
            var cdf1 = _cdf + p1;
            var p2 = p1 * (_mean * Vector512.Create(Unsafe.Add(ref reciprocals, 2)));
            var cdf2 = cdf1 + p2;
            var p3 = p2 * (_mean * Vector512.Create(Unsafe.Add(ref reciprocals, 3)));
            var cdf3 = cdf2 + p3;
            var p4 = p3 * (_mean * Vector512.Create(Unsafe.Add(ref reciprocals, 4)));
            var cdf4 = cdf3 + p4;
            var active = Active;
            _k += one & active;
            _bad |= active & Vector512.LessThanOrEqual(Vector512.Abs(_u - cdf1), tolerance * cdf1);
            active &= Vector512.GreaterThan(_u, cdf1) & ~_bad;
            _k += one & active;
            _bad |= active & Vector512.LessThanOrEqual(Vector512.Abs(_u - cdf2), tolerance * cdf2);
            active &= Vector512.GreaterThan(_u, cdf2) & ~_bad;
            _k += one & active;
            _bad |= active & Vector512.LessThanOrEqual(Vector512.Abs(_u - cdf3), tolerance * cdf3);
            active &= Vector512.GreaterThan(_u, cdf3) & ~_bad;
            _k += one & active;
            _bad |= active & Vector512.LessThanOrEqual(Vector512.Abs(_u - cdf4), tolerance * cdf4);
            Active = active & Vector512.GreaterThan(_u, cdf4) & ~_bad;
            _p = p4;
            _cdf = cdf4;
        }

        /// <summary>The counts, NaN in the lanes left to be drawn one by one; true when there is none.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly bool Counts(out Vector512<double> counts)
        {
            counts = Vector512.ConditionalSelect(_bad, Vector512.Create(double.NaN), _k);
            return _bad == Vector512<double>.Zero;
        }
    }

    /// <summary><see cref="CounterRng.Mix"/> of eight numbers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Mix(Vector512<ulong> z)
    {
        z += Vector512.Create(0x9E3779B97F4A7C15UL);
        z = Avx512DQ.MultiplyLow(z ^ (z >> 30), Vector512.Create(0xBF58476D1CE4E5B9UL));
        z = Avx512DQ.MultiplyLow(z ^ (z >> 27), Vector512.Create(0x94D049BB133111EBUL));
        return z ^ (z >> 31);
    }
}
