using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LeapSim.Core.Results;
using LeapSim.Core.World;
using static LeapSim.Core.Numerics.FourUnits;

namespace LeapSim.Core.Engine;

/// <summary>
/// Takes the month's figures after every module has run: sums the units' state and flows by province (fixed chunks,
/// summed in chunk order, so the bits do not depend on the thread count) and adds the urban and national figures.
/// </summary>
public sealed class Collector
{
    // Per-unit quantities summed by province, in this order.
    private enum Q
    {
        Population, Births, Deaths, BirthsReg, DeathsReg, MigIn, MigOut, Harvest, Reported, Lost, Private, Eaten,
        Seed, Feed, Wasted, Procured, Resold, LabFarm, LabBackyard, LabWater, Stock, CommuneMembers, IntakeWeighted,
        BmiWeighted, Count,
    }

    private readonly SimContext _ctx;
    private readonly MonthlySeries _out;
    private readonly double[] _partial;
    private readonly double[] _sum;
    private readonly int _provinces;
    private readonly int[] _s;

    public Collector(SimContext ctx, MonthlySeries output)
    {
        _ctx = ctx;
        _out = output;
        _provinces = ctx.World.Provinces.Count;
        _partial = new double[ctx.ChunkCount * _provinces * (int)Q.Count];
        _sum = new double[_provinces * (int)Q.Count];
        _s = SeriesCatalog.All.Select(s => output.IndexOf(s.Name)).ToArray();
        _ruralPop = new double[_provinces + 1];
        _sumChunk = SumChunk;
    }

    private readonly double[] _ruralPop;
    private readonly Action<int, int, int> _sumChunk;
    private static readonly string[] MeanSeries = ["rural_intake", "rural_bmi"];

    public void Collect(int month)
    {
        var nq = (int)Q.Count;
        Array.Clear(_partial);
        _ctx.ForEachChunk(_sumChunk);
        Array.Clear(_sum);
        for (var c = 0; c < _ctx.ChunkCount; c++)
        {
            var part = _partial.AsSpan(c * _provinces * nq, _provinces * nq);
            for (var i = 0; i < part.Length; i++) _sum[i] += part[i];
        }

        var urban = _ctx.World.Urban;
        var nat = _ctx.World.National;
        var ruralPop = _ruralPop;
        for (var p = 0; p < _provinces; p++)
        {
            double Get(Q q) => _sum[p * nq + (int)q];
            var urbanPop = urban.Population(p);
            ruralPop[p] = Get(Q.Population);
            Set("population", p, Get(Q.Population) + urbanPop);
            Set("rural_population", p, Get(Q.Population));
            Set("urban_population", p, urbanPop);
            Set("births", p, Get(Q.Births) + urban.Births[p]);
            Set("deaths", p, Get(Q.Deaths) + urban.Deaths[p]);
            Set("births_registered", p, Get(Q.BirthsReg) + urban.BirthsRegistered[p]);
            Set("deaths_registered", p, Get(Q.DeathsReg) + urban.DeathsRegistered[p]);
            Set("rural_deaths", p, Get(Q.Deaths));
            Set("urban_deaths", p, urban.Deaths[p]);
            Set("rural_deaths_registered", p, Get(Q.DeathsReg));
            Set("urban_deaths_registered", p, urban.DeathsRegistered[p]);
            Set("migration_in", p, Get(Q.MigIn) + urban.MigrationIn[p]);
            Set("migration_out", p, Get(Q.MigOut) + urban.MigrationOut[p]);
            Set("grain_output", p, Get(Q.Harvest) + Get(Q.Private));
            Set("grain_reported", p, Get(Q.Reported));
            Set("grain_lost_in_fields", p, Get(Q.Lost));
            Set("private_output", p, Get(Q.Private));
            Set("procurement", p, Get(Q.Procured));
            Set("resales", p, Get(Q.Resold));
            Set("rural_food", p, Get(Q.Eaten));
            Set("urban_food", p, urban.EatenKg[p]);
            Set("seed", p, Get(Q.Seed));
            Set("feed", p, Get(Q.Feed));
            Set("wasted", p, Get(Q.Wasted));
            Set("rural_grain_stock", p, Get(Q.Stock));
            Set("labour_farming", p, Get(Q.LabFarm));
            Set("labour_backyard", p, Get(Q.LabBackyard));
            Set("labour_water_works", p, Get(Q.LabWater));
            Set("commune_members", p, Get(Q.CommuneMembers));
            Set("rural_intake", p, Get(Q.Population) > 0 ? Get(Q.IntakeWeighted) / Get(Q.Population) : 0);
            Set("rural_bmi", p, Get(Q.Population) > 0 ? Get(Q.BmiWeighted) / Get(Q.Population) : 0);
        }

        // National: sums of provinces for the additive series, population-weighted means for the others.
        var national = _out.National;
        for (var i = 0; i < SeriesCatalog.All.Count; i++)
        {
            var name = SeriesCatalog.All[i].Name;
            if (name is "rural_intake" or "rural_bmi") continue;
            var row = _out.Row(_s[i], month);
            double total = 0;
            for (var p = 0; p < _provinces; p++) total += row[p];
            row[national] = total;
        }
        double ruralTotal = 0;
        for (var p = 0; p < _provinces; p++) ruralTotal += ruralPop[p];
        foreach (var name in MeanSeries)
        {
            var row = _out.Row(_out.IndexOf(name), month);
            double acc = 0;
            for (var p = 0; p < _provinces; p++) acc += row[p] * ruralPop[p];
            row[national] = ruralTotal > 0 ? acc / ruralTotal : 0;
        }
        // Nation-only series.
        _out.Row(_out.IndexOf("grain_exports"), month)[national] = nat.ExportsKg;
        _out.Row(_out.IndexOf("grain_imports"), month)[national] = nat.ImportsKg;
        _out.Row(_out.IndexOf("state_grain_stock"), month)[national] = nat.StateGrainStockKg;
        _out.Row(_out.IndexOf("army_and_other_state_use"), month)[national] = nat.ArmyKg;
        _out.Row(_out.IndexOf("state_grain_loss"), month)[national] = nat.StateLossKg;
        _out.Row(_out.IndexOf("steel_output"), month)[national] = nat.SteelModernT + nat.SteelBackyardT;
        _out.Row(_out.IndexOf("steel_usable"), month)[national] = nat.SteelModernUsableT + nat.SteelBackyardUsableT;
        _out.Row(_out.IndexOf("industrial_output"), month)[national] = nat.IndustrialOutputPoints;
        _out.Row(_out.IndexOf("agricultural_output"), month)[national] = nat.AgriculturalOutputPoints;
        _out.Row(_out.IndexOf("private_agricultural_output"), month)[national] = nat.PrivateAgriculturalPoints;
        _out.Row(_out.IndexOf("national_output"), month)[national] = nat.NationalOutputPoints;
        _out.Row(_out.IndexOf("labour_industry"), month)[national] = nat.IndustrialWorkers;
        _out.Row(_out.IndexOf("political_pressure"), month)[national] = nat.Pressure;
    }

    /// <summary>
    /// One chunk's sums by province (a method, so the month's pass allocates no closure). The units of a province are
    /// contiguous, so the chunk is taken a run of one province at a time and each run's sums four columns at a time
    /// in registers: every sum adds the same numbers in the same order (unit order) as one unit at a time would, so
    /// the bits are the same, but four sums advance together instead of 24 being read and written back per unit.
    /// </summary>
    private void SumChunk(int c, int a, int b)
    {
        var units = _ctx.Units;
        const int nq = (int)Q.Count;
        var part = _partial.AsSpan(c * _provinces * nq, _provinces * nq);
        var provinceOf = units.ProvinceOf;
        for (var s = a; s < b;)
        {
            var p = provinceOf[s];
            var e = s + 1;
            while (e < b && provinceOf[e] == p) e++;
            var row = part.Slice(p * nq, nq);
            // The run's units four at a time where the machine has AVX, then the last few one by one.
            if (Avx.IsSupported && !OneUnitAtATime) s = AddFourAtATime(row, units, s, e);
            // Persons is the sum of the unit's cohorts, kept current by every module that changes them (to float
            // precision, 6e-8 of the unit): reading it instead of the 42 groups reads 4 bytes a unit, not 168.
            Add4(row, Q.Population, units.Persons, units.Births, units.Deaths, units.BirthsRegistered, s, e);
            Add4(row, Q.DeathsReg, units.DeathsRegistered, units.MigrationIn, units.MigrationOut, units.HarvestKg, s, e);
            Add4(row, Q.Reported, units.ReportedKg, units.HarvestLostKg, units.PrivateOutputKg, units.EatenKg, s, e);
            Add4(row, Q.Seed, units.SeedKg, units.FeedKg, units.WastedKg, units.ProcuredKg, s, e);
            Add4(row, Q.Resold, units.ResoldKg, units.LabourFarming, units.LabourBackyard, units.LabourWaterWorks, s, e);
            AddStockAndWeighted(row, units, s, e);
            s = e;
        }
    }

    /// <summary>For tests: sum one unit at a time, as machines without AVX do.</summary>
    internal bool OneUnitAtATime { get; set; }

    /// <summary>
    /// Adds units [s, e) four at a time to all 24 sums of <paramref name="row"/> (the same sums as <see cref="Add4"/>
    /// and <see cref="AddStockAndWeighted"/>, in six vectors of four sums), and returns the first unit not added. Each
    /// sum still adds its column's values one unit after the other in unit order, so the bits are the same; but the 24
    /// chains of additions advance together in one pass instead of four at a time in six. Why: a sum is a chain of
    /// dependent additions, so four at a time the pass waits on the adder's latency, not on memory.
    /// </summary>
    private static int AddFourAtATime(Span<double> row, World.RuralUnits units, int s, int e)
    {
        ref var sums = ref MemoryMarshal.GetReference(row);
        var population = Vector256.LoadUnsafe(ref sums, (nuint)Q.Population);
        var deathsRegistered = Vector256.LoadUnsafe(ref sums, (nuint)Q.DeathsReg);
        var reported = Vector256.LoadUnsafe(ref sums, (nuint)Q.Reported);
        var seed = Vector256.LoadUnsafe(ref sums, (nuint)Q.Seed);
        var resold = Vector256.LoadUnsafe(ref sums, (nuint)Q.Resold);
        var stock = Vector256.LoadUnsafe(ref sums, (nuint)Q.Stock);
        var u = s;
        for (; u + 4 <= e; u += 4)
        {
            population = AddInUnitOrder(population, Wide(Load(units.Persons, u)), Wide(Load(units.Births, u)), Wide(Load(units.Deaths, u)), Wide(Load(units.BirthsRegistered, u)));
            deathsRegistered = AddInUnitOrder(deathsRegistered, Wide(Load(units.DeathsRegistered, u)), Wide(Load(units.MigrationIn, u)), Wide(Load(units.MigrationOut, u)), Wide(Load(units.HarvestKg, u)));
            reported = AddInUnitOrder(reported, Wide(Load(units.ReportedKg, u)), Wide(Load(units.HarvestLostKg, u)), Wide(Load(units.PrivateOutputKg, u)), Wide(Load(units.EatenKg, u)));
            seed = AddInUnitOrder(seed, Wide(Load(units.SeedKg, u)), Wide(Load(units.FeedKg, u)), Wide(Load(units.WastedKg, u)), Wide(Load(units.ProcuredKg, u)));
            resold = AddInUnitOrder(resold, Wide(Load(units.ResoldKg, u)), Wide(Load(units.LabourFarming, u)), Wide(Load(units.LabourBackyard, u)), Wide(Load(units.LabourWaterWorks, u)));
            var pop = Wide(Load(units.Persons, u));
            stock = AddInUnitOrder(stock, Wide(Load(units.GrainStockKg, u)), Wide(Load(units.CommuneShare, u)) * pop, Wide(Load(units.IntakeKcal, u)) * pop, Wide(Load(units.Bmi, u)) * pop);
        }
        population.StoreUnsafe(ref sums, (nuint)Q.Population);
        deathsRegistered.StoreUnsafe(ref sums, (nuint)Q.DeathsReg);
        reported.StoreUnsafe(ref sums, (nuint)Q.Reported);
        seed.StoreUnsafe(ref sums, (nuint)Q.Seed);
        resold.StoreUnsafe(ref sums, (nuint)Q.Resold);
        stock.StoreUnsafe(ref sums, (nuint)Q.Stock);
        return u;
    }

    /// <summary>
    /// Adds four units' values of four sums to <paramref name="sums"/>: <paramref name="a"/> holds the first sum's value
    /// of each of the four units, <paramref name="b"/> the second's, and so on; transposed so that each unit's four
    /// values are added together, the units in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> AddInUnitOrder(Vector256<double> sums, Vector256<double> a, Vector256<double> b, Vector256<double> c, Vector256<double> d)
    {
        var ab02 = Avx.UnpackLow(a, b);
        var ab13 = Avx.UnpackHigh(a, b);
        var cd02 = Avx.UnpackLow(c, d);
        var cd13 = Avx.UnpackHigh(c, d);
        return sums + Avx.Permute2x128(ab02, cd02, 0x20) + Avx.Permute2x128(ab13, cd13, 0x20)
               + Avx.Permute2x128(ab02, cd02, 0x31) + Avx.Permute2x128(ab13, cd13, 0x31);
    }

    /// <summary>Adds units [s, e) of four columns to the four sums of <paramref name="row"/> from <paramref name="first"/> on.</summary>
    private static void Add4(Span<double> row, Q first, float[] x0, float[] x1, float[] x2, float[] x3, int s, int e)
    {
        var q = (int)first;
        double a0 = row[q], a1 = row[q + 1], a2 = row[q + 2], a3 = row[q + 3];
        var n = e - s;
        ReadOnlySpan<float> y0 = x0.AsSpan(s, n), y1 = x1.AsSpan(s, n), y2 = x2.AsSpan(s, n), y3 = x3.AsSpan(s, n);
        for (var i = 0; i < y0.Length && i < y1.Length && i < y2.Length && i < y3.Length; i++)
        {
            a0 += y0[i];
            a1 += y1[i];
            a2 += y2[i];
            a3 += y3[i];
        }
        row[q] = a0;
        row[q + 1] = a1;
        row[q + 2] = a2;
        row[q + 3] = a3;
    }

    /// <summary>The grain stock and the population-weighted sums (commune members, intake, BMI) of units [s, e).</summary>
    private static void AddStockAndWeighted(Span<double> row, World.RuralUnits units, int s, int e)
    {
        double stock = row[(int)Q.Stock], members = row[(int)Q.CommuneMembers], intake = row[(int)Q.IntakeWeighted], bmi = row[(int)Q.BmiWeighted];
        var n = e - s;
        ReadOnlySpan<float> persons = units.Persons.AsSpan(s, n), stocks = units.GrainStockKg.AsSpan(s, n),
            shares = units.CommuneShare.AsSpan(s, n), intakes = units.IntakeKcal.AsSpan(s, n), bmis = units.Bmi.AsSpan(s, n);
        for (var i = 0; i < persons.Length && i < stocks.Length && i < shares.Length && i < intakes.Length && i < bmis.Length; i++)
        {
            double pop = persons[i];
            stock += stocks[i];
            members += shares[i] * pop;
            intake += intakes[i] * pop;
            bmi += bmis[i] * pop;
        }
        row[(int)Q.Stock] = stock;
        row[(int)Q.CommuneMembers] = members;
        row[(int)Q.IntakeWeighted] = intake;
        row[(int)Q.BmiWeighted] = bmi;
    }

    private void Set(string name, int province, double value) => _out.Row(_out.IndexOf(name), _ctx.MonthIndex)[province] = value;
}
