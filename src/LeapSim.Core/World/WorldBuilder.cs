using LeapSim.Core.Inputs;
using LeapSim.Core.Parameters;
using LeapSim.Core.Random;

namespace LeapSim.Core.World;

/// <summary>
/// Builds the 1957 world from the inputs and a seed, at a chosen resolution.
///
/// Provinces come from provinces_1957.csv with these documented gap-fillings (data/SOURCES.md asks for them):
/// - populations are scaled by one factor so that they add up to the national year-end 1957 total (646.53 M; the
///   rows add up to 631 M — armed forces, rounding and boundary changes);
/// - a missing urban share is set so that the national urban population equals national_1957.csv's 99.49 M
///   (the six provinces without a figure get 12.6 %);
/// - a missing 1957 death rate is the national registered rate (10.8‰);
/// - a missing grain per person is the population-weighted mean of the provinces that have one, and then all
///   provinces' grain is scaled so that it adds up to the national 1957 output (195.05 Mt): the provincial series
///   is used for its shares, the national series for its level.
/// The hierarchy below is generated deterministically from the seed: counties of about
/// <c>world.persons_per_county</c> rural people; communes of the size that gives about 26,000 communes for the
/// rural population (national_1957.csv), each between 6,000 and 44,400 members (DIGEST); 20-30 brigades
/// (the old advanced co-operatives) per commune (DIGEST); teams of about 30 households (DIGEST) of 4.56 persons
/// (547 M rural people in about 120 M households, national_1957.csv). Heterogeneity is drawn at each level.
/// </summary>
public static class WorldBuilder
{
    public static IReadOnlyList<ParameterInfo> Parameters { get; } =
    [
        new("world.persons_per_county", "rural persons", 270_000, 50_000, 2_000_000, "about 2,000 county-level units in the late 1950s [M], mechanisms.md has no figure: assumption", "mean rural population of a county"),
        new("world.commune_min_members", "persons", 6_000, 1_000, 44_400, "DIGEST (Kazakh text): communes of 6,000 to 44,400 members", "smallest commune"),
        new("world.commune_max_members", "persons", 44_400, 6_000, 200_000, "DIGEST (Kazakh text)", "largest commune"),
        new("world.communes_national", "communes", 26_000, 1_000, 100_000, "national_1957.csv communes_end_1958", "number of communes the rural population forms"),
        new("world.brigades_min", "brigades per commune", 20, 1, 100, "DIGEST: a commune merges 20-30 advanced co-operatives", "fewest brigades in a commune"),
        new("world.brigades_max", "brigades per commune", 30, 1, 100, "DIGEST", "most brigades in a commune"),
        new("world.households_per_team", "households", 30, 5, 100, "DIGEST: a production team is about 30 families", "households in a production team"),
        new("world.persons_per_household", "persons", 4.56, 2, 10, "national_1957.csv: 547 M rural people in about 120 M households", "household size"),
        new("world.arable_acres_per_person", "acres per person", 0.35, 0.05, 2, "DIGEST (Kazakh text): 0.35 acre of arable land per person", "arable land per head of the whole population"),
        new("world.land_per_person_cv", "coefficient of variation", 0.3, 0, 2, "assumption: spread of land per person between units", "heterogeneity of land per person"),
        new("world.land_quality_cv", "coefficient of variation per level", 0.15, 0, 1, "assumption: spread of soil quality at each level below the province", "heterogeneity of yields"),
        new("world.zeal_cv", "coefficient of variation per level", 0.35, 0, 2, "assumption (Kung & Chen 2011 find large differences in provincial radicalism)", "heterogeneity of cadre zeal at county and commune level"),
        new("world.leader_full_member_zeal", "multiplier", 0.85, 0.2, 3, "Kung & Chen 2011: full CC members, secure in rank, procured less than alternates; size assumed", "zeal of a province led by a full Central Committee member"),
        new("world.leader_alternate_zeal", "multiplier", 1.25, 0.2, 3, "Kung & Chen 2011: alternates had the strongest incentive to overprocure; size assumed", "zeal of a province led by an alternate member"),
        new("world.leader_promoted_zeal", "multiplier", 1.25, 0.2, 3, "Kung 2014 (PSRM, abstract): just before the Leap Mao promoted some lower-ranked but radical full members, to spur the others; size assumed equal to the alternates'", "zeal of a province whose first secretary entered the Politburo in 1958 (provincial_leaders.csv politburo_1958)"),
        new("world.leader_zeal_cv", "coefficient of variation", 0.2, 0, 2, "assumption: provinces with no sourced rank draw their zeal", "spread of provincial zeal where the leader's rank is unknown"),
        new("world.distance_mean_km", "km", 15, 1, 200, "assumption: typical distance from a commune to its county seat", "mean distance to the county seat"),
        new("world.size_cv_county", "coefficient of variation", 0.4, 0, 2, "assumption [M]: counties of very different sizes within a province", "spread of county populations within a province"),
        new("world.size_cv_commune", "coefficient of variation", 0.35, 0, 2, "assumption [M]: within the 6,000-44,400 members the DIGEST gives", "spread of commune populations within a county (before the size limits)"),
        new("world.size_cv_brigade", "coefficient of variation", 0.3, 0, 2, "assumption [M]", "spread of brigade populations within a commune"),
        new("world.size_cv_team", "coefficient of variation", 0.2, 0, 2, "assumption [M]: teams were formed of about the same number of households", "spread of team populations within a brigade"),
        new("world.distance_cv_county", "coefficient of variation", 0.6, 0, 2, "assumption [M]: a county-resolution unit stands for villages at all distances from the seat", "spread of the distance to the seat drawn for each county (at county resolution)"),
        new("world.distance_cv_commune", "coefficient of variation", 0.6, 0, 2, "assumption [M]: a commune lies at any distance from its county seat", "spread of commune distances, each drawn afresh around the mean"),
        new("world.distance_cv_brigade", "coefficient of variation", 0.2, 0, 2, "assumption [M]: a brigade lies near its commune's seat", "spread of a brigade's distance around its commune's"),
        new("world.distance_cv_team", "coefficient of variation", 0.05, 0, 2, "assumption [M]: a team lies within its brigade's villages", "spread of a team's distance around its brigade's"),
    ];

    /// <param name="onlyProvinces">Province names to simulate (null = all). Gap-filling and scaling still use all
    /// provinces, so a province is the same in a small world as in the whole country.</param>
    /// <param name="threads">Threads to build with (the world is the same on any number: every draw is keyed to its
    /// entity, and every sum is taken in unit order).</param>
    public static SimWorld Build(BaselineInputs inputs, ParameterSet parameters, Resolution resolution, ulong seed,
        IReadOnlyList<string>? onlyProvinces = null, int threads = 1)
    {
        var provinces = BuildProvinces(inputs, parameters, seed);
        // The whole country's rural people: commune size and land per person are national figures, the same in a
        // small world as in the whole country.
        var nationalRural = provinces.Population1957.Select((pop, p) => pop - pop * provinces.UrbanShare1957[p]).ToArray().Sum();
        if (onlyProvinces is { Count: > 0 })
        {
            var keep = new List<int>();
            foreach (var name in onlyProvinces)
            {
                var i = Array.IndexOf(provinces.Name, name);
                if (i < 0)
                    throw new Scenarios.InputException(new Scenarios.SourceLocation("<command line>", 0, "--provinces"),
                        $"unknown province '{name}' (provinces: {string.Join(", ", provinces.Name)})");
                if (!keep.Contains(i)) keep.Add(i);
            }
            provinces = provinces.Subset(keep);
        }
        var schedules = Schedules(inputs);
        var urbanTotal = new double[provinces.Count];
        var ruralTotal = new double[provinces.Count];
        for (var p = 0; p < provinces.Count; p++)
        {
            urbanTotal[p] = provinces.Population1957[p] * provinces.UrbanShare1957[p];
            ruralTotal[p] = provinces.Population1957[p] - urbanTotal[p];
        }

        var gen = new Generator(seed, parameters, ruralTotal, nationalRural, resolution, threads);
        var units = gen.Units;
        var land = parameters["world.arable_acres_per_person"] * 0.404686 * inputs.NationalValue("population_yearend") * 1e6
                   / nationalRural;
        var landCv = new LogNormalShape(parameters["world.land_per_person_cv"]);
        var hhSize = parameters["world.persons_per_household"];

        // Per-unit land, initial people, and each unit's share of its province's 1957 grain.
        var landStream = new RngStream(seed, CounterRng.StreamId("world.land"));
        var ageStructure = schedules.AgeStructure;
        ForRanges(units.Count, threads, (a, b) =>
        {
            for (var u = a; u < b; u++)
            {
                var rng = landStream.For(u, 0);
                var pop = gen.Population[u];
                units.LandHa[u] = (float)(pop * land * rng.MeanOneLogNormal(landCv));
                units.Households[u] = (float)(pop / hhSize);
                var cohorts = units.CohortsOf(u);
                for (var c = 0; c < AgeGroups.Cohorts; c++) cohorts[c] = (float)(pop * ageStructure[c]);
                units.RefreshHeadcounts(u);
                units.BaseWorkers[u] = units.Workers[u];
                units.Zeal[u] *= (float)provinces.LeaderZeal[units.ProvinceOf[u]];
            }
        });
        var weightSum = new double[provinces.Count];
        for (var u = 0; u < units.Count; u++) weightSum[units.ProvinceOf[u]] += units.LandHa[u] * units.LandQuality[u]; // in unit order
        ForRanges(units.Count, threads, (a, b) =>
        {
            for (var u = a; u < b; u++)
            {
                var p = units.ProvinceOf[u];
                units.BaseOutputKg[u] = (float)(provinces.GrainOutput1957Kg[p] * units.LandHa[u] * units.LandQuality[u] / weightSum[p]);
            }
        });

        var urban = new UrbanSectors(provinces.Count);
        for (var p = 0; p < provinces.Count; p++)
        {
            var c = urban.CohortsOf(p);
            for (var k = 0; k < AgeGroups.Cohorts; k++) c[k] = urbanTotal[p] * schedules.AgeStructure[k];
        }

        return new SimWorld
        {
            NationalShare = provinces.Population1957.Sum() / (inputs.NationalValue("population_yearend") * 1e6),
            Resolution = resolution,
            Seed = seed,
            Provinces = provinces,
            Hierarchy = gen.Hierarchy,
            Units = units,
            Urban = urban,
        };
    }

    /// <summary>The national pre-famine regime from the 1957 true rates (national_1957.csv).</summary>
    /// <remarks>Cached by the two rates: the schedules are a pure function of them and cost ~15 ms to solve, which
    /// dominated building a small world (twice per run).</remarks>
    public static DemographicSchedules Schedules(BaselineInputs inputs) =>
        SchedulesCache.GetOrAdd((inputs.NationalValue("crude_birth_rate_estimated_true") / 1000, inputs.NationalValue("crude_death_rate_estimated_true") / 1000),
            rates => new DemographicSchedules(rates.Birth, rates.Death));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double Birth, double Death), DemographicSchedules> SchedulesCache = new();

    /// <summary>
    /// A unit table whose pages are all mapped before the builder writes them (<see cref="Memory.Prefault"/>): one call
    /// a column instead of a page-fault trap a page.
    /// </summary>
    internal static RuralUnits NewUnitTable(int count)
    {
        var units = new RuralUnits(count);
        foreach (var column in units.FloatColumns) Memory.Prefault.Map(column);
        foreach (var column in units.IdentityColumns) Memory.Prefault.Map(column);
        return units;
    }

    /// <summary>Runs <paramref name="body"/>(first, end) over [0, n) in ranges of <paramref name="range"/>, on up to <paramref name="threads"/> threads.</summary>
    private static void ForRanges(int n, int threads, Action<int, int> body, int range = 1 << 14)
    {
        var ranges = (n + range - 1) / range;
        if (threads <= 1 || ranges <= 1)
        {
            body(0, n);
            return;
        }
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = threads }, r => body(r * range, Math.Min(n, (r + 1) * range)));
    }

    public static Provinces BuildProvinces(BaselineInputs inputs, ParameterSet parameters, ulong seed)
    {
        var rows = inputs.Provinces;
        var n = rows.Count;
        var pr = new Provinces(n);
        var nationalPop = inputs.NationalValue("population_yearend") * 1e6;
        var scale = nationalPop / rows.Sum(r => r.Population1957M * 1e6);
        for (var p = 0; p < n; p++)
        {
            pr.Name[p] = rows[p].Name;
            pr.Population1957[p] = rows[p].Population1957M * 1e6 * scale;
        }

        // Urban shares: missing ones filled so that the national urban population matches the input.
        var knownUrban = 0.0;
        var missingPop = 0.0;
        for (var p = 0; p < n; p++)
            if (rows[p].UrbanSharePct is { } s) knownUrban += s / 100 * pr.Population1957[p];
            else missingPop += pr.Population1957[p];
        var fill = missingPop > 0 ? Math.Clamp((inputs.NationalValue("urban_population") * 1e6 - knownUrban) / missingPop, 0.02, 0.5) : 0;
        for (var p = 0; p < n; p++) pr.UrbanShare1957[p] = rows[p].UrbanSharePct is { } s ? s / 100 : fill;

        // Death rates: registered 1957 rate (national where missing) divided by the national completeness of
        // death registration in 1957 (10.8 registered / 18.1 true).
        var completeness = inputs.NationalValue("crude_death_rate_registered") / inputs.NationalValue("crude_death_rate_estimated_true");
        for (var p = 0; p < n; p++)
            pr.TrueDeathRate1957[p] = (rows[p].CrudeDeathRate1957RegisteredPerMille ?? inputs.NationalValue("crude_death_rate_registered")) / 1000 / completeness;

        // Grain: provincial shares, national level.
        var known = rows.Select((r, p) => (r, p)).Where(x => x.r.GrainPerCapita1957Kg.HasValue).ToList();
        var meanKg = known.Sum(x => x.r.GrainPerCapita1957Kg!.Value * pr.Population1957[x.p]) / known.Sum(x => pr.Population1957[x.p]);
        for (var p = 0; p < n; p++) pr.GrainOutput1957Kg[p] = (rows[p].GrainPerCapita1957Kg ?? meanKg) * pr.Population1957[p];
        var grainScale = inputs.NationalValue("grain_output") * 1e9 / pr.GrainOutput1957Kg.Sum();
        for (var p = 0; p < n; p++) pr.GrainOutput1957Kg[p] *= grainScale;

        // Provincial leadership zeal (Kung & Chen 2011): by Central Committee rank where sourced, drawn otherwise; a
        // leader promoted into the Politburo in 1958 was promoted for his radicalism (Kung 2014), whatever his rank.
        for (var p = 0; p < n; p++)
        {
            var rng = new CounterRng(seed, CounterRng.StreamId("world.leader"), (ulong)p, 0);
            pr.LeaderZeal[p] = rows[p].LeaderPolitburoSince == 1958 ? parameters["world.leader_promoted_zeal"] : rows[p].LeaderRank switch
            {
                LeaderRank.Full => parameters["world.leader_full_member_zeal"],
                LeaderRank.Alternate => parameters["world.leader_alternate_zeal"],
                _ => rng.MeanOneLogNormal(parameters["world.leader_zeal_cv"]),
            };
        }
        return pr;
    }

    /// <summary>Whether a split that makes the finest level (brigades or teams) writes the units' identity,
    /// quality, zeal and distance straight into the unit table (as floats, the same cast as the copy) instead of
    /// into a level table to be copied: 144 MB fewer bytes first touched at team resolution, where a first touch is
    /// most of the build's cost (bench/README.md, session perf-s17). False for tests: the copy, to compare.</summary>
    internal static bool DirectFinestLevel { get; set; } = true;

    /// <summary>Generates the hierarchy level by level down to the resolution; the finest level becomes the units.</summary>
    private sealed class Generator
    {
        private readonly int _threads;

        public Generator(ulong seed, ParameterSet ps, double[] ruralByProvince, double nationalRural, Resolution resolution, int threads)
        {
            _threads = threads;
            var qualityCv = ps["world.land_quality_cv"];
            var zealCv = ps["world.zeal_cv"];
            var distMean = ps["world.distance_mean_km"];
            var provinces = ruralByProvince.Length;

            // Level 0: provinces.
            var level = new LevelData(provinces);
            for (var p = 0; p < provinces; p++)
            {
                level.Pop[p] = ruralByProvince[p];
                level.Province[p] = p;
                level.County[p] = -1;
                level.Commune[p] = -1;
                level.Quality[p] = 1;
                level.Zeal[p] = 1;
                level.Distance[p] = distMean;
            }
            int[] countyProvince = [], communeCounty = [], brigadeCommune = [], teamBrigade = [];

            if (resolution >= Resolution.County)
            {
                var perCounty = ps["world.persons_per_county"];
                level = Split(level, seed, "county", p => Math.Max(1, (int)Math.Round(level.Pop[p] / perCounty)), ps["world.size_cv_county"],
                    qualityCv, zealCv, distMean, ps["world.distance_cv_county"], freshDistance: true, null, null);
                countyProvince = level.Parent;
                for (var i = 0; i < level.Count; i++) level.County[i] = i;
            }
            if (resolution >= Resolution.Commune)
            {
                var mean = nationalRural / ps["world.communes_national"];
                var min = ps["world.commune_min_members"];
                var max = ps["world.commune_max_members"];
                var parentPop = level.Pop;
                level = Split(level, seed, "commune", c => Math.Max(1, (int)Math.Round(parentPop[c] / mean)), ps["world.size_cv_commune"],
                    qualityCv, zealCv, distMean, ps["world.distance_cv_commune"], freshDistance: true, min / mean, max / mean);
                communeCounty = level.Parent;
                for (var i = 0; i < level.Count; i++) level.Commune[i] = i;
            }
            if (resolution >= Resolution.Brigade)
            {
                var bmin = (int)ps["world.brigades_min"];
                var bmax = Math.Max(bmin, (int)ps["world.brigades_max"]);
                level = Split(level, seed, "brigade", c =>
                {
                    var rng = new CounterRng(seed, CounterRng.StreamId("world.brigade.count"), (ulong)c, 0);
                    return bmin + (int)(rng.NextDouble() * (bmax - bmin + 1));
                }, ps["world.size_cv_brigade"], qualityCv, 0, distMean, ps["world.distance_cv_brigade"], freshDistance: false, null, null,
                    finest: resolution == Resolution.Brigade);
                brigadeCommune = level.Parent;
            }
            if (resolution >= Resolution.Team)
            {
                var teamSize = ps["world.households_per_team"] * ps["world.persons_per_household"];
                var parentPop = level.Pop;
                level = Split(level, seed, "team", b => Math.Max(1, (int)Math.Round(parentPop[b] / teamSize)), ps["world.size_cv_team"],
                    qualityCv, 0, distMean, ps["world.distance_cv_team"], freshDistance: false, null, null, finest: true);
                teamBrigade = level.Parent;
            }

            Hierarchy = new Hierarchy
            {
                CountyProvince = countyProvince,
                CommuneCounty = communeCounty,
                BrigadeCommune = brigadeCommune,
                TeamBrigade = teamBrigade,
            };
            Population = level.Pop;
            if (_units is not null)
            {
                Units = _units; // the finest split wrote the units' identity and attributes itself
                return;
            }
            Units = NewUnitTable(level.Count);
            var units = Units;
            ForRanges(level.Count, threads, (a, b) =>   // each unit on its own: the same on any number of threads
            {
                for (var u = a; u < b; u++)
                {
                    units.ProvinceOf[u] = level.Province[u];
                    units.CountyOf[u] = level.County[u];
                    units.CommuneOf[u] = level.Commune[u];
                    units.LandQuality[u] = (float)level.Quality[u];
                    units.Zeal[u] = (float)level.Zeal[u];
                    units.DistanceKm[u] = (float)level.Distance[u];
                }
            });
        }

        private RuralUnits? _units;

        public Hierarchy Hierarchy { get; }
        public RuralUnits Units { get; }
        public double[] Population { get; }

        /// <summary>
        /// Splits every entity of <paramref name="parent"/> into children with mean-one log-normal size weights
        /// (clamped to [minRatio, maxRatio] of the mean where given), inheriting and multiplying attributes.
        /// </summary>
        private LevelData Split(LevelData parent, ulong seed, string name, Func<int, int> childCount, double sizeCv,
            double qualityCv, double zealCv, double distMean, double distCv, bool freshDistance, double? minRatio, double? maxRatio,
            bool finest = false)
        {
            var counts = new int[parent.Count];
            var first = new int[parent.Count + 1]; // the first child of each parent
            for (var i = 0; i < parent.Count; i++) { counts[i] = childCount(i); first[i + 1] = first[i] + counts[i]; }
            var direct = finest && DirectFinestLevel;
            var units = direct ? _units = NewUnitTable(first[parent.Count]) : null;
            var child = new LevelData(first[parent.Count], parentAndPopOnly: direct);
            var stream = new RngStream(seed, CounterRng.StreamId("world." + name));
            LogNormalShape size = new(sizeCv), quality = new(qualityCv), zeal = new(zealCv), distance = new(distCv);
            // Parents in parallel: each draws from its own stream and writes only its own children.
            ForRanges(parent.Count, _threads, (a, b) =>
            {
                var weights = new List<double>();
                for (var i = a; i < b; i++)
                {
                    var rng = stream.For(i, 0);
                    weights.Clear();
                    for (var j = 0; j < counts[i]; j++)
                    {
                        var w = rng.MeanOneLogNormal(size);
                        if (minRatio is { } lo) w = Math.Max(w, lo);
                        if (maxRatio is { } hi) w = Math.Min(w, hi);
                        weights.Add(w);
                    }
                    var ws = 0.0;
                    foreach (var w in weights) ws += w; // in order: the same sum as before, bit for bit
                    for (int j = 0, k = first[i]; j < counts[i]; j++, k++)
                    {
                        child.Parent[k] = i;
                        child.Pop[k] = parent.Pop[i] * weights[j] / ws;
                        var q = parent.Quality[i] * rng.MeanOneLogNormal(quality);
                        var z = parent.Zeal[i] * rng.MeanOneLogNormal(zeal);
                        // Counties and communes are placed anew around the mean distance; brigades and teams near their parent.
                        var d = freshDistance
                            ? distMean * rng.MeanOneLogNormal(distance)
                            : parent.Distance[i] * rng.MeanOneLogNormal(distance);
                        if (units is not null)
                        {
                            // The finest level straight into the unit table, each attribute cast to float as the copy casts it.
                            units.ProvinceOf[k] = parent.Province[i];
                            units.CountyOf[k] = parent.County[i];
                            units.CommuneOf[k] = parent.Commune[i];
                            units.LandQuality[k] = (float)q;
                            units.Zeal[k] = (float)z;
                            units.DistanceKm[k] = (float)d;
                        }
                        else
                        {
                            child.Province[k] = parent.Province[i];
                            child.County[k] = parent.County[i];
                            child.Commune[k] = parent.Commune[i];
                            child.Quality[k] = q;
                            child.Zeal[k] = z;
                            child.Distance[k] = d;
                        }
                    }
                }
            }, range: 1024);
            return child;
        }

        private sealed class LevelData
        {
            /// <param name="parentAndPopOnly">Only the parent and population columns (the finest level written straight
            /// into the units): the others are left empty.</param>
            public LevelData(int n, bool parentAndPopOnly = false)
            {
                Count = n;
                Parent = new int[n]; Pop = new double[n];
                if (parentAndPopOnly)
                {
                    Province = County = Commune = [];
                    Quality = Zeal = Distance = [];
                    return;
                }
                Province = new int[n]; County = new int[n]; Commune = new int[n];
                Quality = new double[n]; Zeal = new double[n]; Distance = new double[n];
            }
            public int Count;
            public int[] Parent, Province, County, Commune;
            public double[] Pop, Quality, Zeal, Distance;
        }
    }
}
