using System.Runtime.Intrinsics;
using LeapSim.Core.Random;
using Xunit;

namespace LeapSim.Tests.Random;

public sealed class CounterRngTests
{
    private static ulong[] Draw(ulong seed, ulong stream, ulong entity, int month, int n = 16)
    {
        var rng = new CounterRng(seed, stream, entity, month);
        var r = new ulong[n];
        for (var i = 0; i < n; i++) r[i] = rng.NextUInt64();
        return r;
    }

    [Fact]
    public void The_same_key_gives_the_same_sequence_whenever_it_is_created()
    {
        var a = Draw(42, 7, 123456, 30, 1000);
        // Interleave other streams in between: a counter-based stream has no hidden shared state.
        _ = Draw(42, 7, 123457, 30, 500);
        _ = Draw(43, 7, 123456, 30, 500);
        var b = Draw(42, 7, 123456, 30, 1000);
        Assert.Equal(a, b);
        // A copy of the struct continues the same sequence independently.
        var rng = new CounterRng(42, 7, 123456, 30);
        rng.NextUInt64();
        var copy = rng;
        Assert.Equal(rng.NextUInt64(), copy.NextUInt64());
        Assert.Equal(a[2], rng.NextUInt64());
    }

    public static TheoryData<ulong, ulong, ulong, int> Changed => new()
    {
        { 2, 7, 100, 5 },          // seed
        { 1, 8, 100, 5 },          // stream
        { 1, 7, 101, 5 },          // entity
        { 1, 7, 100, 6 },          // month
        { 1, 7, 100, -5 },         // month, negative
        { 0, 7, 100, 5 },
        { 1, 0, 100, 5 },
        { 1, 7, 0, 5 },
        { 1, 7, 100, 0 },
        { 1UL << 63, 7, 100, 5 },  // high bit of each part
        { 1, 7UL | (1UL << 63), 100, 5 },
        { 1, 7, 100UL | (1UL << 63), 5 },
        { 1, 7, 100, int.MinValue + 5 },
    };

    [Theory]
    [MemberData(nameof(Changed))]
    public void Changing_any_part_of_the_key_changes_the_sequence(ulong seed, ulong stream, ulong entity, int month)
    {
        var reference = Draw(1, 7, 100, 5);
        var other = Draw(seed, stream, entity, month);
        // Not one of the first 16 numbers coincides (a collision has probability ~2^-56).
        Assert.Empty(reference.Intersect(other));
    }

    [Fact]
    public void Swapping_parts_of_the_key_changes_the_sequence()
    {
        var a = Draw(3, 5, 9, 11);
        Assert.NotEqual(a, Draw(5, 3, 9, 11));
        Assert.NotEqual(a, Draw(3, 9, 5, 11));
        Assert.NotEqual(a, Draw(11, 5, 9, 3));
        Assert.NotEqual(a, Draw(3, 5, 11, 9));
    }

    [Fact]
    public void Neighbouring_entities_and_months_give_distinct_streams()
    {
        var firsts = new HashSet<ulong>();
        for (ulong e = 0; e < 200; e++)
            for (var m = -12; m < 120; m++)
                Assert.True(firsts.Add(new CounterRng(1, 2, e, m).NextUInt64()), $"entity {e} month {m}");
    }

    [Fact]
    public void Stream_ids_are_stable_and_distinct()
    {
        // FNV-1a of the empty string is the offset basis; of "a" a published test vector.
        Assert.Equal(14695981039346656037UL, CounterRng.StreamId(""));
        Assert.Equal(0xaf63dc4c8601ec8cUL, CounterRng.StreamId("a"));
        var names = new[] { "demography.deaths", "demography.births", "demography.urban", "world.county", "world.commune", "world.brigade", "world.team", "world.land" };
        Assert.Equal(names.Length, names.Select(CounterRng.StreamId).Distinct().Count());
    }

    [Fact]
    public void NextDouble_is_in_the_half_open_unit_interval_and_uniform()
    {
        var rng = new CounterRng(9, 9, 9, 9);
        const int n = 200_000;
        var buckets = new int[20];
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            var u = rng.NextDouble();
            Assert.True(u >= 0 && u < 1, $"{u}");
            buckets[(int)(u * 20)]++;
            sum += u;
        }
        Assert.InRange(sum / n, 0.5 - 0.004, 0.5 + 0.004); // sd of the mean 0.00065
        // Chi-square with 19 degrees of freedom: 99.9th percentile 43.8.
        var expected = n / 20.0;
        var chi2 = buckets.Sum(b => (b - expected) * (b - expected) / expected);
        Assert.True(chi2 < 43.8, $"chi2 = {chi2}");
    }

    [Fact]
    public void NextOpenDouble_is_strictly_inside_the_unit_interval_and_uniform_bounds_hold()
    {
        var rng = new CounterRng(1, 1, 1, 1);
        for (var i = 0; i < 100_000; i++)
        {
            var u = rng.NextOpenDouble();
            Assert.True(u > 0 && u < 1);
            var x = rng.Uniform(-3, 5);
            Assert.True(x >= -3 && x < 5);
        }
    }

    [Theory]
    [InlineData(0.3, 11UL)]
    [InlineData(5.0, 12UL)]
    [InlineData(29.9, 13UL)]  // largest mean drawn by inversion
    [InlineData(50.0, 14UL)]  // normal approximation
    public void Poisson_has_its_mean_and_variance(double lambda, ulong seed)
    {
        const int n = 200_000;
        var rng = new CounterRng(seed, 1, 2, 3);
        double sum = 0, sum2 = 0;
        for (var i = 0; i < n; i++)
        {
            var k = rng.Poisson(lambda);
            Assert.True(k >= 0 && k == Math.Floor(k), $"{k}");
            sum += k;
            sum2 += k * k;
        }
        var mean = sum / n;
        var variance = sum2 / n - mean * mean;
        // Mean within 4 standard errors (sqrt(λ/n)); variance within 3 % (its standard error is about
        // sqrt((2λ² + λ)/n)/λ: 0.5 % at λ = 50, 0.6 % at λ = 0.3). Fixed seeds, so this is deterministic.
        Assert.InRange(mean, lambda - 4 * Math.Sqrt(lambda / n), lambda + 4 * Math.Sqrt(lambda / n));
        Assert.InRange(variance, lambda * 0.97, lambda * 1.03);
    }

    [Fact]
    public void Poisson_of_zero_negative_or_NaN_mean_is_zero()
    {
        var rng = new CounterRng(1, 2, 3, 4);
        Assert.Equal(0, rng.Poisson(0));
        Assert.Equal(0, rng.Poisson(-1));
        Assert.Equal(0, rng.Poisson(double.NaN));
    }

    [Theory]
    [InlineData(1e-9)]
    [InlineData(0.05)]
    [InlineData(0.3)]
    [InlineData(0.7)]
    [InlineData(0.999)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    public void Poisson_gives_the_draws_of_plain_inversion(double mean)
    {
        // Poisson returns 0 for a u below 1 − mean without computing exp(−mean): every draw must be the one that
        // inversion from the same uniform number makes (the shortcut changes the cost, never the number).
        for (var entity = 0UL; entity < 200_000; entity++)
        {
            var rng = new CounterRng(9, 4, entity, 17);
            var copy = rng;
            Assert.Equal(PlainInversion(copy.NextDouble(), mean), rng.Poisson(mean));
        }
    }

    [Fact]
    public void Eight_streams_at_once_give_the_draws_of_each_stream_alone()
    {
        // RngStream.Poissons inverts the uniforms of the means below 30 together (the vector exponential) and draws the
        // rounded normals of the others together (the vector logarithm and cosine): every count must be the one Poisson
        // draws from each stream alone, at small, large, zero, negative and normal-approximation means, in blocks that
        // mix them. Odd blocks draw only means the joint inversion takes.
        var stream = new RngStream(9, 4);
        var gen = new System.Random(5);
        var means = new double[8];
        var counts = new double[8];
        for (var block = 0; block < 40_000; block++)
        {
            for (var i = 0; i < 8; i++)
                means[i] = block % 2 == 1
                    ? gen.Next(20) switch { 0 => 0, 1 => -1, 2 => 4, 3 => 1e-9, _ => Math.Pow(10, 2.1 * gen.NextDouble() - 1.5) }
                    : gen.Next(20) switch { 0 => 0, 1 => -1, 2 => 30 + 50 * gen.NextDouble(), 3 => 29.999, 4 => 1e-9, _ => Math.Pow(10, 2.5 * gen.NextDouble() - 1.5) };
            var first = block * 8L + 3;
            stream.Poissons(first, block % 120, means, counts);
            for (var i = 0; i < 8; i++) Assert.Equal(stream.For(first + i, block % 120).Poisson(means[i]), counts[i]);
        }
    }

    [Fact]
    public void Sixteen_streams_at_once_give_the_draws_of_each_stream_alone()
    {
        // Two blocks of eight streams (not adjacent: a pair of blocks may be any two) inverted in one loop: every count
        // must be the one Poisson draws from each stream alone, whether both blocks take the joint inversion, one
        // does, or neither; blocks with lanes done at once (zero) beside lanes that step long (means near 4).
        var stream = new RngStream(9, 4);
        var gen = new System.Random(6);
        var means = new double[16];
        var counts = new double[16];
        for (var pair = 0; pair < 30_000; pair++)
        {
            for (var i = 0; i < 16; i++)
                means[i] = (pair % 4, i / 8) switch
                {
                    (1, 0) or (2, 1) => gen.Next(10) == 0 ? 30 + 50 * gen.NextDouble() : Math.Pow(10, 2 * gen.NextDouble() - 1.5),
                    _ => gen.Next(20) switch { 0 => 0, 1 => 4, 2 => 1e-9, 3 => -1, _ => Math.Pow(10, 2.1 * gen.NextDouble() - 1.5) },
                };
            var (first, second) = (pair * 16L + 5, pair * 16L + 1_000_003);
            stream.Poissons(first, second, pair % 120, means, counts);
            for (var i = 0; i < 16; i++)
                Assert.Equal(stream.For(i < 8 ? first + i : second + i - 8, pair % 120).Poisson(means[i]), counts[i]);
        }
    }

    [Fact]
    public void Two_blocks_inverted_together_give_each_block_s_own_counts()
    {
        // The joint loop of two vectors runs until both are done: a lane must end where it ends alone, NaN included.
        var gen = new System.Random(8);
        var (u, mean, secondU, secondMean) = (new double[8], new double[8], new double[8], new double[8]);
        for (var t = 0; t < 20_000; t++)
        {
            for (var i = 0; i < 8; i++)
            {
                (u[i], secondU[i]) = (gen.NextDouble(), gen.NextDouble());
                (mean[i], secondMean[i]) = (4 * gen.NextDouble() * (t % 3), 4 * gen.NextDouble());
            }
            var clear = RngStream.Inversion(Vector512.Create(u), Vector512.Create(mean), Vector512.Create(secondU), Vector512.Create(secondMean),
                out var together, out var secondTogether);
            var clearAlone = RngStream.Inversion(Vector512.Create(u), Vector512.Create(mean), out var alone)
                & RngStream.Inversion(Vector512.Create(secondU), Vector512.Create(secondMean), out var secondAlone);
            Assert.Equal(clearAlone, clear);
            for (var i = 0; i < 8; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(alone[i]), BitConverter.DoubleToInt64Bits(together[i]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(secondAlone[i]), BitConverter.DoubleToInt64Bits(secondTogether[i]));
            }
        }
    }

    [Fact]
    public void The_joint_inversion_gives_a_count_only_where_it_is_the_scalar_count()
    {
        // Uniforms placed on the scalar inversion's cumulative probabilities and one step either side, where the vector
        // exponential's last bits could tip a comparison: every lane must give the scalar count or be left (NaN) to be
        // drawn one by one. (Random uniforms almost never come this close, so the stream test cannot see the tolerance.)
        var mismatches = 0;
        var undecided = 0;
        var lanes = new double[8];
        // Means up to the normal approximation's threshold (30), each through its counts' bulk.
        for (var m = 0; m < 400; m++)
        {
            var mean = 0.01 + 29.98 * m / 399.0;
            var p = Math.Exp(-mean);
            var cdf = p;
            for (var k = 0; k < mean + 5 * Math.Sqrt(mean) + 5; k++)
            {
                foreach (var u in new[] { Math.BitDecrement(cdf), cdf, Math.BitIncrement(cdf) })
                {
                    RngStream.Inversion(Vector512.Create(u), Vector512.Create(mean), out var counts);
                    counts.CopyTo(lanes);
                    if (double.IsNaN(lanes[0])) undecided++;
                    else if (lanes[0] != PlainInversion(u, mean)) mismatches++;
                }
                p *= mean * CounterRng.Reciprocals[k + 1];
                cdf += p;
            }
        }
        Assert.Equal(0, mismatches);
        Assert.True(undecided > 0);
    }

    [Fact]
    public void A_vector_normal_draw_near_a_half_is_the_scalar_draw()
    {
        // Means chosen so that the scalar draw's mean + √mean × z falls on a half, or a few units in the last place
        // beside it, where the vector logarithm's and cosine's last bits could turn the rounding the other way: the
        // eight-lane draw must still give the scalar count (it redraws such lanes one by one).
        var stream = new RngStream(9, 4);
        var means = new double[8];
        var counts = new double[8];
        var checkedLanes = 0;
        for (var block = 0; block < 2_000; block++)
        {
            var first = block * 8L + 11;
            for (var i = 0; i < 8; i++)
            {
                var z = stream.For(first + i, 7).NextNormal();
                var half = 40.5 + (block % 50) * 3 + i;
                // mean + √mean z = half: √mean is the positive root of t² + z t − half.
                var root = (-z + Math.Sqrt(z * z + 4 * half)) / 2;
                means[i] = i % 3 == 0 ? root * root : i % 3 == 1 ? Math.BitIncrement(root * root) : Math.BitDecrement(root * root);
            }
            stream.Poissons(first, 7, means, counts);
            for (var i = 0; i < 8; i++)
            {
                if (means[i] < CounterRng.NormalFrom) continue;
                Assert.Equal(stream.For(first + i, 7).Poisson(means[i]), counts[i]);
                checkedLanes++;
            }
        }
        Assert.True(checkedLanes > 10_000, $"{checkedLanes} lanes at or above the normal threshold");
    }

    private static double PlainInversion(double u, double mean)
    {
        var p = Math.Exp(-mean);
        var cdf = p;
        var k = 0;
        while (u > cdf && k < 200)
        {
            k++;
            p *= mean * (1.0 / k);
            cdf += p;
        }
        return k;
    }

    [Fact]
    public void Poisson_small_mean_gives_the_right_share_of_zeros()
    {
        // P(0) = e^-0.3 = 0.7408.
        var rng = new CounterRng(5, 5, 5, 5);
        const int n = 100_000;
        var zeros = 0;
        for (var i = 0; i < n; i++) if (rng.Poisson(0.3) == 0) zeros++;
        Assert.InRange(zeros / (double)n, Math.Exp(-0.3) - 0.006, Math.Exp(-0.3) + 0.006); // sd 0.0014
    }

    [Theory]
    [InlineData(0.15)]
    [InlineData(0.35)]
    [InlineData(1.0)]
    public void MeanOneLogNormal_has_mean_one_and_the_given_spread(double cv)
    {
        const int n = 200_000;
        var rng = new CounterRng(21, 22, 23, 24);
        double sum = 0, sum2 = 0;
        for (var i = 0; i < n; i++)
        {
            var x = rng.MeanOneLogNormal(cv);
            Assert.True(x > 0);
            sum += x;
            sum2 += x * x;
        }
        var mean = sum / n;
        var sd = Math.Sqrt(sum2 / n - mean * mean);
        // Standard error of the mean is cv/sqrt(n) (0.0022 at cv = 1): allow 5 of them.
        Assert.InRange(mean, 1 - 5 * cv / Math.Sqrt(n), 1 + 5 * cv / Math.Sqrt(n));
        Assert.InRange(sd / mean, cv * 0.9, cv * 1.1);
    }

    [Fact]
    public void MeanOneLogNormal_without_spread_is_exactly_one()
    {
        var rng = new CounterRng(1, 1, 1, 1);
        Assert.Equal(1.0, rng.MeanOneLogNormal(0));
        Assert.Equal(1.0, rng.MeanOneLogNormal(-0.5));
    }

    [Fact]
    public void NextNormal_is_standard()
    {
        const int n = 200_000;
        var rng = new CounterRng(31, 32, 33, 34);
        double sum = 0, sum2 = 0;
        for (var i = 0; i < n; i++) { var z = rng.NextNormal(); sum += z; sum2 += z * z; }
        Assert.InRange(sum / n, -0.012, 0.012);  // 5 standard errors
        Assert.InRange(sum2 / n, 0.985, 1.015);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(0.05)]
    [InlineData(0.2)]
    [InlineData(0.35)]
    [InlineData(0.6)]
    [InlineData(1.7)]
    public void A_log_normal_from_its_shape_is_the_draw_from_its_cv_bit_for_bit(double cv)
    {
        var shape = new LogNormalShape(cv);
        for (ulong entity = 0; entity < 2000; entity++)
        {
            var a = new CounterRng(7, 11, entity, 3);
            var b = new CounterRng(7, 11, entity, 3);
            for (var k = 0; k < 4; k++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.MeanOneLogNormal(cv)), BitConverter.DoubleToInt64Bits(b.MeanOneLogNormal(shape)));
        }
    }
}
