using System.Runtime.CompilerServices;

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

    /// <summary>More than the rounding error of 1 − mean and of Math.Exp(−mean) near 1 (a few units of 2^-53).</summary>
    private const double ZeroMargin = 1.0 / (1L << 50);

    /// <summary>
    /// A Poisson count with mean <paramref name="mean"/>: exact inversion below 30 (the usual case for a team-month),
    /// a rounded normal approximation above (a county or province, where relative noise is tiny anyway).
    /// </summary>
    public double Poisson(double mean)
    {
        if (!(mean > 0)) return 0;
        if (mean >= 30)
        {
            var x = Math.Round(mean + Math.Sqrt(mean) * NextNormal());
            return x < 0 ? 0 : x;
        }
        var u = NextDouble();
        // Most small-mean draws are 0, and exp(−mean) ≥ 1 − mean: a u below 1 − mean (less a margin that covers the
        // rounding of both sides) is 0 without the exponential, the same draw the inversion below makes.
        if (u < 1 - mean - ZeroMargin) return 0;
        var p = Math.Exp(-mean);
        var cdf = p;
        var k = 0;
        while (u > cdf && k < 200)
        {
            k++;
            p *= mean / k;
            cdf += p;
        }
        return k;
    }
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
}
