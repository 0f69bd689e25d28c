using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace LeapSim.Bench;

/// <summary>
/// A design probe for the performance issue, not the model's code: what the demography kernel would gain from a
/// cohort-major table. The arithmetic of the kernel's two passes (expected deaths at the normal and famine hazards
/// and their sums; deaths, births, ageing and headcounts) on 1,000,000 synthetic units of 42 age-sex groups, one thread,
/// in two layouts: <see cref="UnitMajor"/> as the model stores cohorts now (a unit's 42 groups together, 8 groups a
/// vector, sums across lanes at the end of each unit) and <see cref="BlocksOfEight"/> (8 units' values of one group
/// together, each vector one group of 8 units, each unit's sums in its own lane, no horizontal sums). No Poisson draws,
/// no fertility lags, no column writes beyond the four headcounts: those cost the same in both layouts.
/// Run with `dotnet run -c Release --project bench/LeapSim.Bench -- --filter '*CohortLayout*'`.
/// </summary>
public class CohortLayoutBenchmarks
{
    private const int Units = 1_000_000, Groups = 42, PerSex = 21, Padded = 48, Tail = 40, Provinces = 28;
    private float[] _unitMajor = [], _blocked = [], _bmi = [], _normal = [], _baseHazard = [], _provinceRatio = [];
    private float[] _risk = [], _fertility = [], _ageOut = [], _working = [];
    private float[] _deaths = [], _births = [], _persons = [], _workers = [];
    private int[] _province = [];
    private double[] _famineTable = [];

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new System.Random(1);
        _unitMajor = new float[Units * Groups];
        for (var i = 0; i < _unitMajor.Length; i++) _unitMajor[i] = (float)(1 + 6 * rnd.NextDouble());
        _blocked = new float[Units * Groups];
        for (var u = 0; u < Units; u++)
            for (var k = 0; k < Groups; k++) _blocked[(u >> 3) * Groups * 8 + k * 8 + (u & 7)] = _unitMajor[u * Groups + k];
        _province = new int[Units];
        for (var u = 0; u < Units; u++) _province[u] = (int)((long)u * Provinces / Units);
        _bmi = new float[Units];
        for (var u = 0; u < Units; u++) _bmi[u] = (float)(18 + 3 * rnd.NextDouble());
        _baseHazard = new float[Padded];
        _risk = new float[Padded]; _fertility = new float[Padded]; _ageOut = new float[Padded]; _working = new float[Padded];
        for (var k = 0; k < Groups; k++)
        {
            var g = k % PerSex;
            _baseHazard[k] = (float)(0.001 + 0.002 * rnd.NextDouble());
            _risk[k] = g < 5 ? 3 : g >= 17 ? 2.5f : 1;
            _fertility[k] = k >= PerSex + 7 && k <= PerSex + 13 ? 0.01f : 0;
            _ageOut[k] = g == PerSex - 1 ? 0 : g < 5 ? 1f / 12 : 1f / 60;
            _working[k] = g is >= 7 and <= 15 ? 1 : 0;
        }
        _provinceRatio = new float[Provinces];
        _normal = new float[Provinces * Padded];
        for (var p = 0; p < Provinces; p++)
        {
            _provinceRatio[p] = (float)(0.8 + 0.4 * rnd.NextDouble());
            for (var k = 0; k < Groups; k++) _normal[p * Padded + k] = _baseHazard[k] * _provinceRatio[p];
        }
        _famineTable = new double[2501];
        for (var i = 0; i < _famineTable.Length; i++)
        {
            var b = 5 + i * 0.01;
            _famineTable[i] = b >= 18.5 ? 0 : Math.Min(0.5, 0.00023 * Math.Exp(Math.Pow(18.5 - b, 1.36)));
        }
        _deaths = new float[Units]; _births = new float[Units]; _persons = new float[Units]; _workers = new float[Units];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Famine(float bmi)
    {
        var x = (bmi - 5) / 0.01;
        var i = Math.Clamp((int)x, 0, _famineTable.Length - 2);
        var f = x - i;
        return (float)(_famineTable[i] * (1 - f) + _famineTable[i + 1] * f);
    }

    [Benchmark(Baseline = true, Description = "unit-major (as the model stores cohorts)")]
    public float UnitMajor()
    {
        Span<float> expected = stackalloc float[Padded];
        ref var e = ref MemoryMarshal.GetReference(expected);
        ref var risk = ref _risk[0];
        ref var fertility = ref _fertility[0];
        ref var ageOut = ref _ageOut[0];
        ref var working = ref _working[0];
        var lastLane = Vector256.Create(-1, 0, 0, 0, 0, 0, 0, 0).AsSingle();
        for (var u = 0; u < Units; u++)
        {
            ref var c = ref _unitMajor[u * Groups];
            ref var q = ref _normal[_province[u] * Padded];
            var famine = Vector256.Create(Famine(_bmi[u]));
            var tail = Vector256.Create(Unsafe.Add(ref c, Tail), Unsafe.Add(ref c, Tail + 1), 0, 0, 0, 0, 0, 0);
            var sumExpected = Vector256<float>.Zero;
            for (nuint i = 0; i <= Tail; i += 8)
            {
                var n = i < Tail ? Vector256.LoadUnsafe(ref c, i) : tail;
                var normal = Vector256.LoadUnsafe(ref q, i);
                var hazard = Vector256<float>.One - (Vector256<float>.One - normal) * (Vector256<float>.One - Vector256.Min(Vector256.Create(0.95f), famine * Vector256.LoadUnsafe(ref risk, i)));
                var ex = n * hazard;
                ex.StoreUnsafe(ref e, i);
                sumExpected += ex;
            }
            var ratio = Vector256.Create(Vector256.Sum(sumExpected) > 0 ? 1f : 0f);
            Vector256<float> dead = default, born = default, work = default, below = default;
            Vector256<double> all = default;
            for (nuint i = 0; i <= Tail; i += 8)
            {
                var n = i < Tail ? Vector256.LoadUnsafe(ref c, i) : tail;
                var after = Vector256.Max(Vector256<float>.Zero, n - Vector256.LoadUnsafe(ref e, i) * ratio);
                dead += n - after;
                born += after * Vector256.LoadUnsafe(ref fertility, i);
                var moving = after * Vector256.LoadUnsafe(ref ageOut, i);
                var rotated = Vector256.Shuffle(moving, Vector256.Create(7, 0, 1, 2, 3, 4, 5, 6));
                var now = after - moving + Vector256.ConditionalSelect(lastLane, below, rotated);
                below = rotated;
                all += Vector256.WidenLower(now) + Vector256.WidenUpper(now);
                work += now * Vector256.LoadUnsafe(ref working, i);
                if (i < Tail) now.StoreUnsafe(ref c, i);
                else { Unsafe.Add(ref c, Tail) = now[0]; Unsafe.Add(ref c, Tail + 1) = now[1]; }
            }
            _deaths[u] = Vector256.Sum(dead);
            _births[u] = Vector256.Sum(born);
            _persons[u] = (float)Vector256.Sum(all);
            _workers[u] = Vector256.Sum(work);
        }
        return _persons[Units - 1];
    }

    [Benchmark(Description = "blocks of 8 units (cohort-major within a block)")]
    public float BlocksOfEight()
    {
        Span<float> famineLanes = stackalloc float[8];
        Span<float> ratioLanes = stackalloc float[8];
        Span<float> expected = stackalloc float[Groups * 8];
        ref var e = ref MemoryMarshal.GetReference(expected);
        for (var block = 0; block < Units / 8; block++)
        {
            ref var c = ref _blocked[block * Groups * 8];
            var first = block * 8;
            for (var lane = 0; lane < 8; lane++)
            {
                famineLanes[lane] = Famine(_bmi[first + lane]);
                ratioLanes[lane] = _provinceRatio[_province[first + lane]];
            }
            var famine = Vector256.Create<float>(famineLanes);
            var provinceRatio = Vector256.Create<float>(ratioLanes);
            var sumExpected = Vector256<float>.Zero;
            for (nuint k = 0; k < Groups; k++)
            {
                var n = Vector256.LoadUnsafe(ref c, k * 8);
                var normal = provinceRatio * Vector256.Create(_baseHazard[k]);
                var hazard = Vector256<float>.One - (Vector256<float>.One - normal) * (Vector256<float>.One - Vector256.Min(Vector256.Create(0.95f), famine * Vector256.Create(_risk[k])));
                var ex = n * hazard;
                ex.StoreUnsafe(ref e, k * 8);
                sumExpected += ex;
            }
            var ratio = Vector256.ConditionalSelect(Vector256.GreaterThan(sumExpected, Vector256<float>.Zero), Vector256<float>.One, Vector256<float>.Zero);
            Vector256<float> dead = default, born = default, work = default;
            Vector256<double> allLower = default, allUpper = default;
            for (var sex = 0; sex < 2; sex++)
            {
                var below = Vector256<float>.Zero;
                for (var g = 0; g < PerSex; g++)
                {
                    var k = (nuint)(sex * PerSex + g);
                    var n = Vector256.LoadUnsafe(ref c, k * 8);
                    var after = Vector256.Max(Vector256<float>.Zero, n - Vector256.LoadUnsafe(ref e, k * 8) * ratio);
                    dead += n - after;
                    born += after * Vector256.Create(_fertility[k]);
                    var moving = after * Vector256.Create(_ageOut[k]);
                    var now = after - moving + below;
                    below = moving;
                    allLower += Vector256.WidenLower(now);
                    allUpper += Vector256.WidenUpper(now);
                    work += now * Vector256.Create(_working[k]);
                    now.StoreUnsafe(ref c, k * 8);
                }
            }
            dead.StoreUnsafe(ref _deaths[first]);
            born.StoreUnsafe(ref _births[first]);
            work.StoreUnsafe(ref _workers[first]);
            Vector256.Narrow(allLower, allUpper).StoreUnsafe(ref _persons[first]);
        }
        return _persons[Units - 1];
    }
}
