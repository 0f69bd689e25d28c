using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LeapSim.Core.Numerics;
using static LeapSim.Core.Numerics.FourUnits;
using LeapSim.Core.Engine;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Core.Modules;

/// <summary>
/// Migration between villages and cities (mechanisms.md §h): the state recruits peasants into industry
/// (state-industry employment went from 7.8 M in 1957 to 23.16 M in 1958, a net inflow of 15.68 M, Riskin 1987 via
/// Lin &amp; Yang 2000, an input: national_1957.csv), sends city people back to the villages in 1961-63 (26 M from
/// late 1960 to 1963, Saylor; "up to 30 million", DIGEST), and hungry villagers flee — to the cities of their
/// province (a small rate: hukou and militia roadblocks stopped most; those who arrive live on the city's ration),
/// and abroad (Hong Kong, the USSR). Recruits and those sent back are of working age (15-39); flight takes all ages
/// alike and refugees join the city in its own age structure. Each province's recruits come from its
/// villages in proportion to their working people; those sent back go to its villages in proportion to population.
/// Flows are recorded as migration in and out at both ends; the nation loses only those who leave the country.
/// </summary>
public sealed class Migration : ModuleBase
{
    public override string Name => "migration";
    public override string Summary => "Recruitment into industry, sending city people back, famine flight";
    public override IReadOnlyList<string> Reads => ["cohorts", "workers", "bmi", "urban cohorts", "levers industry_recruitment.*, sending_back.*"];
    public override IReadOnlyList<string> Writes => ["cohorts", "workers", "migration_in", "migration_out", "urban cohorts", "national: industrial workers"];

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("flight_rate", "share per month at BMI 4 points below the threshold", 0.004, 0, 0.1, "assumption: flight was real but small and blocked (mechanisms.md §h)", "monthly share of a starving unit that flees"),
        P("flight_abroad_share", "share of those who flee", 0.05, 0, 1, "assumption: Hong Kong and Xinjiang-USSR flight (DIGEST)", "share of famine refugees who leave the country"),
        P("flight_bmi", "kg/m2", 18.5, 14, 21, "assumption: flight starts where famine mortality starts", "BMI below which people flee"),
        P("sent_back_worker_share", "share", 0.7, 0, 1, "assumption: those sent back were mostly the workers recruited in 1958 (DIGEST: 'urban workers sent to the countryside')", "share of those sent back who were state industrial workers"),
        P("flight_max_share", "share per month", 0.2, 0.01, 1, "assumption: militia roadblocks and hukou checks (mechanisms.md §h) let no more than this share of a village leave in a month", "most of a unit's people who flee in a month"),
        P("send_back_max_share", "share of the city's people aged 15-39 per month", 0.5, 0.05, 1, "assumption: a city could not send back more than half its young adults in a month", "most of a city's people aged 15-39 sent back in a month"),
        P("initial_industrial_workers", "persons", 7.8e6, 1e6, 5e7, "national_1957.csv: state industry employment 1957", "state industrial workers in January 1957"),
    ];

    public override IReadOnlyList<PolicyInfo> Policies =>
    [
        new("industry_recruitment", "Recruitment of peasants into state industry", "national_1957.csv (15.68 M in 1958); DIGEST",
        [
            new PolicySetting("persons_per_year", "persons a year", 0, 0, 5e7, "rural workers taken into urban industry per year"),
        ]),
        new("sending_back", "Sending city people back to the villages", "DIGEST; mechanisms.md §h (26 M late 1960-1963)",
        [
            new PolicySetting("persons_per_year", "persons a year", 0, 0, 5e7, "city people sent to the villages per year"),
        ]),
    ];

    private int _recruit, _sendBack;
    private double _flight, _abroad, _flightBmi, _sentWorkerShare, _flightMax, _sendBackMax;
    private double[] _provinceWorkers = [];
    private double[] _provinceRural = [];
    private double[] _recruitShare = [];
    private double[] _sendShare = [];
    private double[] _partial = [];

    public override void Initialise(SimContext ctx)
    {
        _recruit = ctx.Levers.Index("industry_recruitment.persons_per_year");
        _sendBack = ctx.Levers.Index("sending_back.persons_per_year");
        _flight = Value(ctx, "flight_rate");
        _abroad = Value(ctx, "flight_abroad_share");
        _flightBmi = Value(ctx, "flight_bmi");
        _sentWorkerShare = Value(ctx, "sent_back_worker_share");
        _flightMax = Value(ctx, "flight_max_share");
        _sendBackMax = Value(ctx, "send_back_max_share");
        ctx.World.National.IndustrialWorkers = Value(ctx, "initial_industrial_workers") * ctx.World.NationalShare;
        var n = ctx.World.Provinces.Count;
        _provinceWorkers = new double[n];
        _provinceRural = new double[n];
        _recruitShare = new double[n];
        _sendShare = new double[n];
        _partial = new double[ctx.ChunkCount * n * 4];
    }

    private static double CityWorkingAge(UrbanSectors urban, int p)
    {
        var c = urban.CohortsOf(p);
        double pool = 0;
        for (var s = 0; s < 2; s++) for (var g = 7; g <= 11; g++) pool += c[AgeGroups.Index(s, g)];
        return pool;
    }

    /// <summary>Moves <paramref name="persons"/> out of (negative: into) working ages 15-39 of a population.</summary>
    /// <remarks>
    /// The five groups 15-39 of each sex (7-11 and 28-32) in double, four at a time: groups 7-10 and 28-31 as vectors,
    /// 11 and 32 on their own; each group loses the same share, and what it lost after rounding to float is counted.
    /// </remarks>
    public static double MoveWorkingAge(Span<float> cohorts, double persons)
    {
        if (cohorts.Length != AgeGroups.Cohorts) throw new ArgumentException("a block of 42 age-sex groups", nameof(cohorts));
        const int Men = FirstYoungGroup, Women = AgeGroups.PerSex + FirstYoungGroup, Last = 4;
        ref var c = ref MemoryMarshal.GetReference(cohorts);
        var men = Vector256.WidenLower(Vector256.LoadUnsafe(ref c, Men));
        var women = Vector256.WidenLower(Vector256.LoadUnsafe(ref c, Women));
        double lastMan = Unsafe.Add(ref c, Men + Last), lastWoman = Unsafe.Add(ref c, Women + Last);
        var pool = Vector256.Sum(men + women) + lastMan + lastWoman;
        if (pool <= 0) return 0;
        var f = Math.Clamp(persons / pool, -10, 1);
        var share = Vector256.Create(f);
        var menAfter = Vector256.Narrow(Vector256.Max(Vector256<double>.Zero, men - men * share), Vector256<double>.Zero).GetLower();
        var womenAfter = Vector256.Narrow(Vector256.Max(Vector256<double>.Zero, women - women * share), Vector256<double>.Zero).GetLower();
        var lastManAfter = (float)Math.Max(0, lastMan - lastMan * f);
        var lastWomanAfter = (float)Math.Max(0, lastWoman - lastWoman * f);
        // Written back as the whole vectors of eight groups that hold them (0-7, 8-15, 24-31, 32-39), the vectors the
        // unit's next reads (CohortBlock.Headcounts, TakeShare) load: a load that the processor can take whole from one
        // earlier store does not wait for the stores to reach the cache (migration's unit loop −4 %).
        var groups0To7 = Vector256.LoadUnsafe(ref c);
        var groups8To15 = Vector256.LoadUnsafe(ref c, 8);
        var groups24To31 = Vector256.LoadUnsafe(ref c, 24);
        var groups32To39 = Vector256.LoadUnsafe(ref c, 32);
        groups0To7.WithElement(Men, menAfter.GetElement(0)).StoreUnsafe(ref c);
        Vector256.Create(Vector128.Shuffle(menAfter, Vector128.Create(1, 2, 3, 0)).WithElement(3, lastManAfter), groups8To15.GetUpper()).StoreUnsafe(ref c, 8);
        Vector256.Create(groups24To31.GetLower(), womenAfter).StoreUnsafe(ref c, Women - 4);
        groups32To39.WithElement(0, lastWomanAfter).StoreUnsafe(ref c, Women + Last);
        return Vector256.Sum(men - Vector256.WidenLower(menAfter.ToVector256()) + women - Vector256.WidenLower(womenAfter.ToVector256()))
               + (lastMan - lastManAfter) + (lastWoman - lastWomanAfter);
    }

    /// <summary>The first of the five groups 15-39 that migrants leave and join (15-19).</summary>
    private const int FirstYoungGroup = 7;

    private (RuralUnits Units, int Provinces, double RecruitMonth, double SendMonth) _month;
    private Action<int, int, int>? _sumWorkers, _moveUnits;

    public override void Step(SimContext ctx)
    {
        var units = ctx.Units;
        var urban = ctx.World.Urban;
        var nat = ctx.World.National;
        var np = ctx.World.Provinces.Count;
        var recruitMonth = ctx.Levers[_recruit] / 12 * ctx.World.NationalShare;
        var sendMonth = ctx.Levers[_sendBack] / 12 * ctx.World.NationalShare;

        _month = (units, np, recruitMonth, sendMonth);
        // Province totals of working people and rural people (deterministic chunk sums), needed only for the shares of
        // a month that recruits or sends back (without either every share is 0 and the pass is skipped).
        Array.Clear(_partial);
        // The chunk bodies read the month's values from a field, so their delegates are made once, not every month.
        if (recruitMonth > 0 || sendMonth > 0)
        {
            ctx.ForEachChunk(_sumWorkers ??= (c, a, b) =>
            {
                var (units, np, _, _) = _month;
                var row = _partial.AsSpan(c * np * 4, np * 4);
                // A province's units are contiguous: sum each run of one province in registers (the same additions in
                // the same order as one unit at a time, so the same bits).
                for (var s = a; s < b;)
                {
                    var p = units.ProvinceOf[s];
                    var e = s + 1;
                    while (e < b && units.ProvinceOf[e] == p) e++;
                    double workers = row[4 * p], rural = row[4 * p + 1];
                    ReadOnlySpan<float> w = units.Workers.AsSpan(s, e - s), persons = units.Persons.AsSpan(s, e - s);
                    for (var i = 0; i < w.Length && i < persons.Length; i++)
                    {
                        workers += w[i];
                        rural += persons[i];
                    }
                    row[4 * p] = workers;
                    row[4 * p + 1] = rural;
                    s = e;
                }
            });
        }
        Array.Clear(_provinceWorkers);
        Array.Clear(_provinceRural);
        for (var c = 0; c < ctx.ChunkCount; c++)
            for (var p = 0; p < np; p++)
            {
                _provinceWorkers[p] += _partial[(c * np + p) * 4];
                _provinceRural[p] += _partial[(c * np + p) * 4 + 1];
            }
        double workersTotal = 0, urbanTotal = 0;
        // A city emptied by sending back may sum to a rounding error below zero: it has no one to send.
        for (var p = 0; p < np; p++) { workersTotal += _provinceWorkers[p]; urbanTotal += Math.Max(0, urban.Population(p)); }
        // Recruits per province in proportion to its rural workers; those sent back in proportion to its city people.
        for (var p = 0; p < np; p++)
        {
            _recruitShare[p] = _provinceWorkers[p] > 0 && workersTotal > 0 ? recruitMonth / workersTotal : 0; // per rural worker
            // A city sends back at most send_back_max_share of its people aged 15-39 in a month.
            var sendP = urbanTotal > 0 ? Math.Max(0, Math.Min(sendMonth * Math.Max(0, urban.Population(p)) / urbanTotal, _sendBackMax * CityWorkingAge(urban, p))) : 0;
            _sendShare[p] = _provinceRural[p] > 0 ? sendP / _provinceRural[p] : 0; // per rural person received
        }

        Array.Clear(_partial);
        ctx.ForEachChunk(_moveUnits ??= (c, a, b) =>
        {
            var (units, np, recruitMonth, sendMonth) = _month;
            var row = _partial.AsSpan(c * np * 4, np * 4);
            var moving = recruitMonth > 0 || sendMonth > 0;
            Span<float> tiles = stackalloc float[TileFloats];
            Span<double> outFlows = stackalloc double[Eight];
            var u = a;
            // Eight units at a time (those who flee then one by one), in a month that moves people or not; the last few one by one.
            if (Avx.IsSupported && !OneUnitAtATime)
                for (; u + Eight <= b; u += Eight)
                    if (moving) MoveEight(units, u, recruitMonth > 0, sendMonth > 0, tiles, outFlows, row);
                    else StayEight(units, u, row);
            MoveOneByOne(units, u, b, recruitMonth, sendMonth, row);
        });
        double recruitedTotal = 0, sentTotal = 0;
        for (var p = 0; p < np; p++)
        {
            double recruits = 0, fromCity = 0, refugees = 0;
            for (var c = 0; c < ctx.ChunkCount; c++)
            {
                recruits += _partial[(c * np + p) * 4];
                fromCity += _partial[(c * np + p) * 4 + 1];
                refugees += _partial[(c * np + p) * 4 + 2];
            }
            var cohorts = urban.CohortsOf(p);
            var urbanPop = urban.Population(p);
            if (urbanPop > 0 && (recruits > 0 || fromCity > 0))
            {
                // Recruits join the city's working ages (15-39); those sent back leave them the same way.
                double pool = 0;
                for (var s = 0; s < 2; s++) for (var g = 7; g <= 11; g++) pool += cohorts[AgeGroups.Index(s, g)];
                // Never below −1: when everyone of working age is sent back, rounding must not leave a negative cohort.
                var f = pool > 0 ? Math.Max(-1, (recruits - fromCity) / pool) : 0;
                for (var s = 0; s < 2; s++) for (var g = 7; g <= 11; g++) cohorts[AgeGroups.Index(s, g)] *= 1 + f;
            }
            if (urbanPop > 0 && refugees > 0)
            {
                // Refugees come at all ages, in the city's own age structure (a simplification).
                var f = refugees / urban.Population(p);
                for (var k = 0; k < AgeGroups.Cohorts; k++) cohorts[k] *= 1 + f;
            }
            urban.MigrationIn[p] = recruits + refugees;
            urban.MigrationOut[p] = fromCity;
            recruitedTotal += recruits;
            sentTotal += fromCity;
        }
        // State industry hires the recruits actually moved and sheds its share of those sent back.
        nat.IndustrialWorkers = Math.Max(0, nat.IndustrialWorkers + recruitedTotal - sentTotal * _sentWorkerShare);
    }

    /// <summary>For tests: move every unit alone (<see cref="MoveOneByOne"/>), as machines without AVX do.</summary>
    internal bool OneUnitAtATime { get; set; }

    /// <summary>
    /// Units [<paramref name="from"/>, <paramref name="to"/>) one at a time: recruits out and those sent back in
    /// (<see cref="MoveWorkingAge"/>), then the hungry who flee; their flows, headcounts and province sums.
    /// </summary>
    private void MoveOneByOne(RuralUnits units, int from, int to, double recruitMonth, double sendMonth, Span<double> row)
    {
        var moving = recruitMonth > 0 || sendMonth > 0;
        for (var u = from; u < to; u++)
        {
            // A month that neither recruits nor sends back moves only the hungry who flee; for the others the
            // flows are 0 and their province sums unchanged (adding +0 leaves a sum's bits as they were).
            var bmi = units.Bmi[u];
            var flees = bmi < _flightBmi && _flight > 0;
            if (!moving && !flees)
            {
                units.MigrationOut[u] = 0;
                units.MigrationIn[u] = 0;
                continue;
            }
            var p = units.ProvinceOf[u];
            var cohorts = units.CohortsOf(u);
            double outFlow = 0, inFlow = 0, recruited = 0;
            if (recruitMonth > 0) outFlow += recruited = MoveWorkingAge(cohorts, units.Workers[u] * _recruitShare[p]);
            if (sendMonth > 0) inFlow += -MoveWorkingAge(cohorts, -units.Persons[u] * _sendShare[p]);
            units.MigrationIn[u] = (float)inFlow;
            row[4 * p] += recruited;          // recruits to the province's industry (working ages)
            row[4 * p + 1] += inFlow;         // sent back from the province's cities
            // The hungry flee after their moves (their outflow, headcounts and refugee sums: Flee); the others add
            // nothing to the refugee sums.
            if (flees)
            {
                Flee(units, u, outFlow, row);
                continue;
            }
            units.MigrationOut[u] = (float)outFlow;
            // Recruits and those sent back are all of working age (15-39): both headcounts change by the net move
            // (within a float rounding of the cohorts' sum, which demography recounts next month); a unit whose
            // every person was recruited keeps no negative rounding.
            units.Persons[u] = (float)Math.Max(0, units.Persons[u] - recruited + inFlow);
            units.Workers[u] = (float)Math.Max(0, units.Workers[u] - recruited + inFlow);
        }
    }

    // ---- Eight units at a time ----
    //
    // A month that recruits or sends back moves the ages 15-39 of every unit: ten groups, a share of each. One unit at
    // a time that is a chain of dependent steps (a sum of the groups, a division, the groups scaled, the moved summed)
    // with horizontal sums at both ends, and it cost half a demography month at team resolution. Across units (lane =
    // unit) the chain is the same length for eight units: groups 7-14 and 28-35 of eight units are transposed (two
    // 8 × 8 tiles), moved four lanes at a time in double as MoveWorkingAge does (the same operations in the same order,
    // so the same bits), and transposed back. Those of the eight who flee then flee one by one (Flee), as MoveOneByOne
    // has them flee after their moves: until they did, a block with one hungry unit went one by one, which over
    // 1957-1961 at team resolution was a third of migration's samples.

    /// <summary>Units of a block: one 8 × 8 tile per sex.</summary>
    private const int Eight = 8;
    /// <summary>Floats of the two tiles: men's groups 7-14, then women's 28-35, each a row of eight units.</summary>
    private const int TileFloats = 2 * Eight * Eight;
    private const int WomenTile = Eight * Eight;
    /// <summary>
    /// Units ahead of a block whose cohorts it asks the processor for (<see cref="Prefetch"/>): four blocks (5 KB).
    /// The tiles read eight rows 168 bytes apart, which the hardware's own prefetch follows too late: at team
    /// resolution in 1958, two threads, three alternated runs, migration 32.0, 30.1, 29.0 ms a month without against
    /// 21.9, 17.6, 20.1 with.
    /// </summary>
    private const int PrefetchAhead = 4 * Eight;

    /// <summary>
    /// The eight units from <paramref name="first"/>, as <see cref="MoveOneByOne"/> moves them: the moves of all eight
    /// across the lanes, then, in unit order, the flight of those who flee (<see cref="Flee"/>).
    /// <paramref name="outFlows"/>: eight doubles of scratch (each unit's outflow before it flees).
    /// </summary>
    private void MoveEight(RuralUnits units, int first, bool recruit, bool send, Span<float> tiles, Span<double> outFlows, Span<double> row)
    {
        const int n = AgeGroups.Cohorts;
        var fleeing = Fleeing(units, first);
        Prefetch.Range(units.Cohorts, (first + PrefetchAhead) * n, Eight * n);
        ref var cohorts = ref units.Cohorts[first * n];
        ref var t = ref MemoryMarshal.GetReference(tiles);
        Tile8.Transpose(ref Unsafe.Add(ref cohorts, FirstYoungGroup), n, ref t, Eight);
        Tile8.Transpose(ref Unsafe.Add(ref cohorts, AgeGroups.PerSex + FirstYoungGroup), n, ref Unsafe.Add(ref t, WomenTile), Eight);
        for (var h = 0; h < Eight; h += 4)
        {
            var u = first + h;
            var recruited = Vector256<double>.Zero;
            var outFlow = Vector256<double>.Zero;
            var inFlow = Vector256<double>.Zero;
            if (recruit) outFlow += recruited = MoveFour(ref t, h, Wide(Load(units.Workers, u)) * Shares(_recruitShare, units, u));
            if (send) inFlow += -MoveFour(ref t, h, -Wide(Load(units.Persons, u)) * Shares(_sendShare, units, u));
            Store(units.MigrationOut, u, Narrow(outFlow));
            outFlow.StoreUnsafe(ref MemoryMarshal.GetReference(outFlows), (nuint)h);
            Store(units.MigrationIn, u, Narrow(inFlow));
            Store(units.Persons, u, Narrow(Vector256.Max(Vector256<double>.Zero, Wide(Load(units.Persons, u)) - recruited + inFlow)));
            Store(units.Workers, u, Narrow(Vector256.Max(Vector256<double>.Zero, Wide(Load(units.Workers, u)) - recruited + inFlow)));
            // The province sums in unit order (those who flee add their refugees below, Flee).
            AddToProvinces(row, units.ProvinceOf, u, recruited, inFlow);
        }
        Tile8.Transpose(ref t, Eight, ref Unsafe.Add(ref cohorts, FirstYoungGroup), n);
        Tile8.Transpose(ref Unsafe.Add(ref t, WomenTile), Eight, ref Unsafe.Add(ref cohorts, AgeGroups.PerSex + FirstYoungGroup), n);
        for (; fleeing != 0; fleeing &= fleeing - 1)
        {
            var lane = BitOperations.TrailingZeroCount(fleeing);
            Flee(units, first + lane, outFlows[lane], row);
        }
    }

    /// <summary>
    /// Adds the four units from <paramref name="u"/>'s recruits and people sent back to their provinces' sums (slots 0
    /// and 1 of a province's four in <paramref name="row"/>), in unit order. Four units of one province, the usual
    /// case, are added in registers and stored once: the same additions in the same order, without a chain of stores
    /// and reloads of the same two sums (about 3 % of a migration month, Sichuan and Henan in June 1958 and 1959, one
    /// thread, alternated in-process pairs; the same bits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddToProvinces(Span<double> row, int[] provinceOf, int u, Vector256<double> recruited, Vector256<double> inFlow)
    {
        var p = provinceOf[u];
        if (OneProvince(provinceOf, u))
        {
            double recruits = row[4 * p], sentBack = row[4 * p + 1];
            for (var lane = 0; lane < 4; lane++)
            {
                recruits += recruited.GetElement(lane);
                sentBack += inFlow.GetElement(lane);
            }
            row[4 * p] = recruits;
            row[4 * p + 1] = sentBack;
            return;
        }
        for (var lane = 0; lane < 4; lane++)
        {
            p = provinceOf[u + lane];
            row[4 * p] += recruited.GetElement(lane);
            row[4 * p + 1] += inFlow.GetElement(lane);
        }
    }

    /// <summary>
    /// The eight units from <paramref name="first"/> in a month that neither recruits nor sends back, as
    /// <see cref="MoveOneByOne"/> has them: no flows, and those who flee flee (<see cref="Flee"/>, with no outflow before).
    /// </summary>
    private void StayEight(RuralUnits units, int first, Span<double> row)
    {
        Vector256<float>.Zero.StoreUnsafe(ref units.MigrationOut[first]);
        Vector256<float>.Zero.StoreUnsafe(ref units.MigrationIn[first]);
        for (var fleeing = Fleeing(units, first); fleeing != 0; fleeing &= fleeing - 1) Flee(units, first + BitOperations.TrailingZeroCount(fleeing), 0, row);
    }

    /// <summary>
    /// Which of the eight units from <paramref name="first"/> flee, a bit each from the first: MoveOneByOne's
    /// bmi &lt; flight BMI (the float widened as it is there), none when no one flees at all.
    /// </summary>
    private uint Fleeing(RuralUnits units, int first)
    {
        if (_flight <= 0) return 0;
        var flightBmi = Vector256.Create(_flightBmi);
        return Vector256.LessThan(Wide(Load(units.Bmi, first)), flightBmi).ExtractMostSignificantBits()
               | Vector256.LessThan(Wide(Load(units.Bmi, first + 4)), flightBmi).ExtractMostSignificantBits() << 4;
    }

    /// <summary>
    /// A unit that flees, after its moves (one by one or eight at a time): the same share of every group leaves, its
    /// outflow is its moves' (<paramref name="outFlow"/>) plus those who fled, its headcounts are recounted, and its
    /// province's sums gain the refugees reaching the cities (all ages) and those abroad.
    /// </summary>
    private void Flee(RuralUnits units, int u, double outFlow, Span<double> row)
    {
        var share = Math.Min(_flightMax, _flight * (_flightBmi - units.Bmi[u]) / 4);
        var fled = CohortBlock.TakeShare(units.CohortsOf(u), (float)share);
        var abroad = fled * _abroad;
        units.MigrationOut[u] = (float)(outFlow + fled);
        units.RefreshHeadcounts(u);
        var p = units.ProvinceOf[u];
        row[4 * p + 2] += fled - abroad;
        row[4 * p + 3] += abroad;
    }

    /// <summary>Whether the four units from <paramref name="u"/> are all of one province (the usual case: a province's units are contiguous).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool OneProvince(int[] provinceOf, int u) =>
        provinceOf[u] == provinceOf[u + 3] && provinceOf[u + 1] == provinceOf[u] && provinceOf[u + 2] == provinceOf[u];

    /// <summary>A province share (per worker or per person) for each of the four units from <paramref name="u"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Shares(double[] share, RuralUnits units, int u)
    {
        var p = units.ProvinceOf;
        return OneProvince(p, u)
            ? Vector256.Create(share[p[u]])
            : Vector256.Create(share[p[u]], share[p[u + 1]], share[p[u + 2]], share[p[u + 3]]);
    }

    /// <summary>
    /// <see cref="MoveWorkingAge"/> for the four units in lanes <paramref name="h"/> to <paramref name="h"/> + 3 of the
    /// tiles (rows: men 15-19 … 35-39, then, from <see cref="WomenTile"/>, women's): the same operations in the same
    /// order, lane by lane; returns each unit's people moved.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MoveFour(ref float t, int h, Vector256<double> persons)
    {
        var m0 = Wide(Vector128.LoadUnsafe(ref t, (nuint)h));
        var m1 = Wide(Vector128.LoadUnsafe(ref t, (nuint)(Eight + h)));
        var m2 = Wide(Vector128.LoadUnsafe(ref t, (nuint)(2 * Eight + h)));
        var m3 = Wide(Vector128.LoadUnsafe(ref t, (nuint)(3 * Eight + h)));
        var m4 = Wide(Vector128.LoadUnsafe(ref t, (nuint)(4 * Eight + h)));
        var w0 = Wide(Vector128.LoadUnsafe(ref t, (nuint)(WomenTile + h)));
        var w1 = Wide(Vector128.LoadUnsafe(ref t, (nuint)(WomenTile + Eight + h)));
        var w2 = Wide(Vector128.LoadUnsafe(ref t, (nuint)(WomenTile + 2 * Eight + h)));
        var w3 = Wide(Vector128.LoadUnsafe(ref t, (nuint)(WomenTile + 3 * Eight + h)));
        var w4 = Wide(Vector128.LoadUnsafe(ref t, (nuint)(WomenTile + 4 * Eight + h)));
        // Vector256.Sum(men + women) + lastMan + lastWoman: the pairs summed as (0 + 1) + (2 + 3).
        var pool = (m0 + w0 + (m1 + w1)) + (m2 + w2 + (m3 + w3)) + m4 + w4;
        // A unit with no one aged 15-39 moves no one (the scalar "pool <= 0: return 0").
        var live = ~Vector256.LessThanOrEqual(pool, Vector256<double>.Zero);
        var f = Clamp(persons / pool, Vector256.Create(-10.0), Vector256<double>.One);
        // Each pair's moved, (man − man after + woman) − woman after, summed as the pool was; then the last two groups.
        var y0 = m0 - After(ref t, h, 0, m0, f, live) + w0 - After(ref t, h, WomenTile, w0, f, live);
        var y1 = m1 - After(ref t, h, Eight, m1, f, live) + w1 - After(ref t, h, WomenTile + Eight, w1, f, live);
        var y2 = m2 - After(ref t, h, 2 * Eight, m2, f, live) + w2 - After(ref t, h, WomenTile + 2 * Eight, w2, f, live);
        var y3 = m3 - After(ref t, h, 3 * Eight, m3, f, live) + w3 - After(ref t, h, WomenTile + 3 * Eight, w3, f, live);
        var moved = (y0 + y1) + (y2 + y3) + (m4 - After(ref t, h, 4 * Eight, m4, f, live)) + (w4 - After(ref t, h, WomenTile + 4 * Eight, w4, f, live));
        return Vector256.ConditionalSelect(live, moved, Vector256<double>.Zero);
    }

    /// <summary>
    /// A group after its share <paramref name="f"/> has moved: max(0, g − g f) rounded to float and written back to the
    /// tile in the live lanes; returns it in double (in the other lanes the group as it was, so it moves no one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> After(ref float t, int h, int rowStart, Vector256<double> g, Vector256<double> f, Vector256<double> live)
    {
        // In a lane that is not live the group goes back as it came (a float widened and narrowed is itself).
        var after = Narrow(Vector256.ConditionalSelect(live, Vector256.Max(Vector256<double>.Zero, g - g * f), g));
        after.StoreUnsafe(ref Unsafe.Add(ref t, rowStart + h));
        return Wide(after);
    }
}
