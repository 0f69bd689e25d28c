using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.World;

/// <summary>The whole country at province, county and commune resolution (seed 1), built once for the class.</summary>
public sealed class CountryWorlds
{
    public SimWorld Province { get; } = TestWorlds.Build(Resolution.Province);
    public SimWorld County { get; } = TestWorlds.Build(Resolution.County);
    public SimWorld Commune { get; } = TestWorlds.Build(Resolution.Commune);

    public SimWorld this[Resolution r] => r switch
    {
        Resolution.Province => Province,
        Resolution.County => County,
        Resolution.Commune => Commune,
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };
}

public sealed class WorldBuilderTests(CountryWorlds country) : IClassFixture<CountryWorlds>
{
    private const double NationalPopulation = 646.53e6; // national_1957.csv population_yearend
    private const double UrbanPopulation = 99.49e6;     // national_1957.csv urban_population
    private const double GrainOutput = 195.05e9;        // national_1957.csv grain_output, kg
    private const double TeamSize = 30 * 4.56;          // DIGEST: ~30 households; national_1957.csv: 4.56 persons

    private static double UnitSum(SimWorld w, Func<int, double> f)
    {
        double s = 0;
        for (var u = 0; u < w.Units.Count; u++) s += f(u);
        return s;
    }

    [Theory]
    [InlineData(Resolution.Province)]
    [InlineData(Resolution.County)]
    [InlineData(Resolution.Commune)]
    public void The_country_adds_up_to_the_1957_totals_at_every_resolution(Resolution resolution)
    {
        var w = country[resolution];
        Assert.Equal(resolution, w.Resolution);
        var rural = w.RuralPopulation();
        var urban = w.UrbanPopulation();
        // Cohorts are float32 (7 significant digits); the sums are taken in double.
        Assert.True(TestWorlds.Relative(rural + urban, NationalPopulation) < 1e-6, $"population {(rural + urban) / 1e6:F6} M");
        Assert.True(TestWorlds.Relative(urban, UrbanPopulation) < 1e-9, $"urban {urban / 1e6:F6} M");
        Assert.True(TestWorlds.Relative(UnitSum(w, u => w.Units.BaseOutputKg[u]), GrainOutput) < 1e-6);
        Assert.True(TestWorlds.Relative(w.Provinces.GrainOutput1957Kg.Sum(), GrainOutput) < 1e-12);
        Assert.True(TestWorlds.Relative(w.Provinces.Population1957.Sum(), NationalPopulation) < 1e-12);
        // Each province's rural units and its city add up to the province.
        var byProvince = new double[w.Provinces.Count];
        for (var u = 0; u < w.Units.Count; u++) byProvince[w.Units.ProvinceOf[u]] += w.Units.Population(u);
        for (var p = 0; p < w.Provinces.Count; p++)
            Assert.True(TestWorlds.Relative(byProvince[p] + w.Urban.Population(p), w.Provinces.Population1957[p]) < 1e-6, w.Provinces.Name[p]);
    }

    [Fact]
    public void The_world_is_the_same_built_on_one_thread_or_two()
    {
        // Team resolution on three provinces: enough brigades and teams that both levels are built in parallel ranges.
        string[] provinces = ["Gansu", "Ningxia", "Qinghai"];
        var one = WorldBuilder.Build(BaselineInputs.Embedded, TestWorlds.Parameters(), Resolution.Team, 5, provinces, threads: 1);
        var two = WorldBuilder.Build(BaselineInputs.Embedded, TestWorlds.Parameters(), Resolution.Team, 5, provinces, threads: 2);
        Assert.InRange(one.Units.Count, 3 * (1 << 14), int.MaxValue);
        Assert.Equal(one.Units.Count, two.Units.Count);
        Assert.Equal(one.Hierarchy.TeamBrigade, two.Hierarchy.TeamBrigade);
        Assert.Equal(one.Units.ProvinceOf, two.Units.ProvinceOf);
        foreach (var ((name, a), (_, b)) in one.Units.StateColumns.Zip(two.Units.StateColumns)) Assert.True(a.AsSpan().SequenceEqual(b), name);
        foreach (var (a, b) in one.Units.FixedFloatColumns.Zip(two.Units.FixedFloatColumns)) Assert.True(a.AsSpan().SequenceEqual(b));
    }

    [Theory]
    [InlineData(Resolution.Brigade)]
    [InlineData(Resolution.Team)]
    public void The_finest_level_written_straight_into_the_units_is_the_copied_one_bit_for_bit(Resolution resolution)
    {
        string[] provinces = ["Gansu", "Ningxia", "Qinghai"];
        SimWorld copied;
        lock (DirectFinestLevelLock)
        {
            WorldBuilder.DirectFinestLevel = false;
            try { copied = WorldBuilder.Build(BaselineInputs.Embedded, TestWorlds.Parameters(), resolution, 5, provinces, threads: 2); }
            finally { WorldBuilder.DirectFinestLevel = true; }
        }
        var direct = WorldBuilder.Build(BaselineInputs.Embedded, TestWorlds.Parameters(), resolution, 5, provinces, threads: 2);
        Assert.Equal(copied.Units.Count, direct.Units.Count);
        Assert.Equal(copied.Hierarchy.BrigadeCommune, direct.Hierarchy.BrigadeCommune);
        Assert.Equal(copied.Hierarchy.TeamBrigade, direct.Hierarchy.TeamBrigade);
        Assert.Equal(copied.Units.ProvinceOf, direct.Units.ProvinceOf);
        Assert.Equal(copied.Units.CountyOf, direct.Units.CountyOf);
        Assert.Equal(copied.Units.CommuneOf, direct.Units.CommuneOf);
        foreach (var ((name, a), (_, b)) in copied.Units.StateColumns.Zip(direct.Units.StateColumns)) Assert.True(a.AsSpan().SequenceEqual(b), name);
        foreach (var (a, b) in copied.Units.FixedFloatColumns.Zip(direct.Units.FixedFloatColumns)) Assert.True(a.AsSpan().SequenceEqual(b));
    }

    private static readonly object DirectFinestLevelLock = new();

    [Fact]
    public void Unit_counts_follow_the_resolution()
    {
        Assert.Equal(29, country.Province.Units.Count);
        // About 2,000 counties of ~270,000 rural people (world.persons_per_county): 547 M / 270,000 = 2,026.
        Assert.InRange(country.County.Units.Count, 1900, 2150);
        Assert.Equal(country.County.Units.Count, country.County.Hierarchy.Count(Resolution.County));
        // About 26,000 communes (national_1957.csv communes_end_1958), within 10 %.
        Assert.InRange(country.Commune.Units.Count, 23_400, 28_600);
        Assert.Equal(country.Commune.Units.Count, country.Commune.Hierarchy.Count(Resolution.Commune));
        Assert.Equal(country.County.Units.Count, country.Commune.Hierarchy.Count(Resolution.County));
    }

    [Fact]
    public void Communes_are_their_county_split_within_the_clamped_size_ratio()
    {
        var communes = country.Commune;
        var counties = country.County; // same seed: the same counties, generated the same way
        var n = counties.Units.Count;
        var sum = new double[n];
        var min = Enumerable.Repeat(double.MaxValue, n).ToArray();
        var max = new double[n];
        var count = new int[n];
        for (var u = 0; u < communes.Units.Count; u++)
        {
            var c = communes.Units.CountyOf[u];
            var pop = communes.Units.Population(u);
            sum[c] += pop;
            min[c] = Math.Min(min[c], pop);
            max[c] = Math.Max(max[c], pop);
            count[c]++;
        }
        for (var c = 0; c < n; c++)
        {
            // The communes of a county are its rural people, exactly (float cohorts).
            Assert.True(TestWorlds.Relative(sum[c], counties.Units.Population(c)) < 1e-6, $"county {c}");
            // Size weights are clamped to [6,000, 44,400] / mean before being normalised to the county: so within a
            // county no commune is more than 44,400 / 6,000 = 7.4 times another. This is the exact guarantee.
            Assert.True(max[c] / min[c] <= 44_400.0 / 6_000 * (1 + 1e-6), $"county {c}: {min[c]:F0}-{max[c]:F0}");
            Assert.True(count[c] >= 1);
        }
        // In absolute terms sizes can leave [6,000, 44,400] by the county's normalising factor: its commune count is
        // rounded (≤ 0.5/n, 12.5 % for the smallest counties of 4 communes) and the mean of its few clamped weights
        // is not exactly 1 (about 10 % for 4 communes). So allow a factor of 1.25 either way, and require almost all
        // communes to be inside the stated range.
        var pops = Enumerable.Range(0, communes.Units.Count).Select(communes.Units.Population).ToArray();
        Assert.InRange(pops.Min(), 6_000 / 1.25, 44_400);
        Assert.InRange(pops.Max(), 6_000, 44_400 * 1.25);
        var outside = pops.Count(p => p < 6_000 || p > 44_400);
        Assert.True(outside <= pops.Length / 100, $"{outside} of {pops.Length} communes outside [6,000, 44,400]");
        // The mean is the rural population over the commune count (~21,000).
        Assert.InRange(pops.Average(), 547e6 / 28_600, 547e6 / 23_400);
    }

    [Theory]
    [InlineData(Resolution.Province)]
    [InlineData(Resolution.County)]
    [InlineData(Resolution.Commune)]
    public void Parent_indices_are_consistent(Resolution resolution)
    {
        AssertParents(country[resolution]);
    }

    internal static void AssertParents(SimWorld w)
    {
        var h = w.Hierarchy;
        var units = w.Units;
        var res = w.Resolution;
        Assert.All(h.CountyProvince, p => Assert.InRange(p, 0, w.Provinces.Count - 1));
        Assert.All(h.CommuneCounty, c => Assert.InRange(c, 0, h.CountyProvince.Length - 1));
        Assert.All(h.BrigadeCommune, c => Assert.InRange(c, 0, h.CommuneCounty.Length - 1));
        Assert.All(h.TeamBrigade, b => Assert.InRange(b, 0, h.BrigadeCommune.Length - 1));
        Assert.Equal(res >= Resolution.County, h.CountyProvince.Length > 0);
        Assert.Equal(res >= Resolution.Commune, h.CommuneCounty.Length > 0);
        Assert.Equal(res >= Resolution.Brigade, h.BrigadeCommune.Length > 0);
        Assert.Equal(res >= Resolution.Team, h.TeamBrigade.Length > 0);
        if (res != Resolution.Province) Assert.Equal(units.Count, h.Count(res));
        for (var u = 0; u < units.Count; u++)
        {
            var p = units.ProvinceOf[u];
            Assert.InRange(p, 0, w.Provinces.Count - 1);
            var county = units.CountyOf[u];
            var commune = units.CommuneOf[u];
            if (res == Resolution.Province) { Assert.Equal(-1, county); Assert.Equal(u, p); }
            else Assert.Equal(p, h.CountyProvince[county]);
            if (res <= Resolution.County) Assert.Equal(-1, commune);
            else Assert.Equal(county, h.CommuneCounty[commune]);
            if (res == Resolution.County) Assert.Equal(u, county);
            if (res == Resolution.Commune) Assert.Equal(u, commune);
            if (res == Resolution.Brigade) Assert.Equal(commune, h.BrigadeCommune[u]);
            if (res == Resolution.Team) Assert.Equal(commune, h.BrigadeCommune[h.TeamBrigade[u]]);
        }
        // Every province, county, commune and brigade has at least one child (no empty administrative units).
        if (res >= Resolution.County) Assert.Equal(w.Provinces.Count, h.CountyProvince.Distinct().Count());
        if (res >= Resolution.Commune) Assert.Equal(h.CountyProvince.Length, h.CommuneCounty.Distinct().Count());
        if (res >= Resolution.Brigade) Assert.Equal(h.CommuneCounty.Length, h.BrigadeCommune.Distinct().Count());
        if (res >= Resolution.Team) Assert.Equal(h.BrigadeCommune.Length, h.TeamBrigade.Distinct().Count());
    }

    [Fact]
    public void Every_unit_starts_with_people_land_and_the_1957_age_structure()
    {
        var w = country.Commune;
        var schedules = WorldBuilder.Schedules(BaselineInputs.Embedded);
        for (var u = 0; u < w.Units.Count; u++)
        {
            var pop = w.Units.Population(u);
            Assert.True(pop > 0);
            Assert.True(w.Units.LandHa[u] > 0 && w.Units.BaseOutputKg[u] > 0 && w.Units.LandQuality[u] > 0 && w.Units.Zeal[u] > 0);
            Assert.Equal(pop / 4.56, w.Units.Households[u], pop * 1e-6);
            Assert.Equal(w.Units.WorkingAge(u), w.Units.Workers[u], pop * 1e-6);
            var c = w.Units.CohortsOf(u);
            for (var k = 0; k < AgeGroups.Cohorts; k += 7) Assert.Equal(schedules.AgeStructure[k], c[k] / pop, 1e-5);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_world_and_another_seed_another_one()
    {
        var a = country.Commune;
        var b = TestWorlds.Build(Resolution.Commune, seed: 1);
        var c = TestWorlds.Build(Resolution.Commune, seed: 2);
        Assert.Equal(a.Units.Count, b.Units.Count);
        foreach (var (name, x, y) in Columns(a).Zip(Columns(b), (x, y) => (x.Name, x.Data, y.Data)))
            Assert.True(x.AsSpan().SequenceEqual(y), $"column {name} differs for the same seed");
        Assert.Equal(a.Units.ProvinceOf, b.Units.ProvinceOf);
        Assert.Equal(a.Units.CountyOf, b.Units.CountyOf);
        Assert.Equal(a.Hierarchy.CommuneCounty, b.Hierarchy.CommuneCounty);
        Assert.Equal(a.Urban.Cohorts, b.Urban.Cohorts);
        Assert.Equal(a.Provinces.LeaderZeal, b.Provinces.LeaderZeal);

        // Another seed: another draw of the heterogeneity, the same totals.
        var n = Math.Min(a.Units.Count, c.Units.Count);
        var sameQuality = Enumerable.Range(0, n).Count(u => a.Units.LandQuality[u] == c.Units.LandQuality[u]);
        var sameZeal = Enumerable.Range(0, n).Count(u => a.Units.Zeal[u] == c.Units.Zeal[u]);
        var sameLand = Enumerable.Range(0, n).Count(u => a.Units.LandHa[u] == c.Units.LandHa[u]);
        Assert.True(sameQuality < n / 100 && sameZeal < n / 100 && sameLand < n / 100, $"{sameQuality} {sameZeal} {sameLand} of {n} equal");
        Assert.NotEqual(a.Provinces.LeaderZeal, c.Provinces.LeaderZeal);
        Assert.True(TestWorlds.Relative(c.RuralPopulation() + c.UrbanPopulation(), NationalPopulation) < 1e-6);
        Assert.True(TestWorlds.Relative(UnitSum(c, u => c.Units.BaseOutputKg[u]), GrainOutput) < 1e-6);
    }

    private static IEnumerable<(string Name, float[] Data)> Columns(SimWorld w) =>
        w.Units.StateColumns.Concat(
        [
            ("workers", w.Units.Workers), ("land", w.Units.LandHa), ("land_quality", w.Units.LandQuality),
            ("base_output", w.Units.BaseOutputKg), ("zeal", w.Units.Zeal), ("distance", w.Units.DistanceKm),
        ]);

    [Fact]
    public void A_province_leader_s_zeal_follows_his_rank_and_a_1958_promotion()
    {
        // provincial_leaders.csv: Henan full member; Gansu alternate; Sichuan full member who entered the Politburo in
        // May 1958 (promoted for radicalism, Kung 2014); Beijing full member in the Politburo since 1956.
        var w = TestWorlds.Build(Resolution.Province, provinces: ["Henan", "Gansu", "Sichuan", "Beijing"],
            overrides: [("world.leader_full_member_zeal", 0.8), ("world.leader_alternate_zeal", 1.3), ("world.leader_promoted_zeal", 1.7)]);
        Assert.Equal([0.8, 1.3, 1.7, 0.8], w.Provinces.LeaderZeal);
        var unitZeal = Enumerable.Range(0, w.Units.Count).Select(u => (w.Units.ProvinceOf[u], (double)w.Units.Zeal[u])).Distinct().OrderBy(x => x.Item1);
        Assert.Equal([(0, 0.8), (1, 1.3), (2, 1.7), (3, 0.8)], unitZeal.Select(x => (x.Item1, Math.Round(x.Item2, 5))));
    }

    [Theory]
    [InlineData("member from May 1958 (8th CC 5th plenum)", 1958)]
    [InlineData("member (1956)", 1956)]
    [InlineData("Member, 1958", 1958)]
    [InlineData("alternate (1956)", null)]
    [InlineData("member", null)]
    [InlineData("", null)]
    public void The_politburo_column_gives_the_year_of_entry(string text, int? year) =>
        Assert.Equal(year, BaselineInputs.PolitburoSince(text));

    [Fact]
    public void A_small_world_keeps_its_provinces_as_in_the_whole_country()
    {
        var small = TestWorlds.Build(Resolution.Province, provinces: TestWorlds.Small);
        Assert.Equal(TestWorlds.Small, small.Provinces.Name);
        foreach (var name in TestWorlds.Small)
        {
            var i = Array.IndexOf(country.Province.Provinces.Name, name);
            var j = Array.IndexOf(small.Provinces.Name, name);
            Assert.Equal(country.Province.Provinces.Population1957[i], small.Provinces.Population1957[j]);
            Assert.Equal(country.Province.Provinces.UrbanShare1957[i], small.Provinces.UrbanShare1957[j]);
            Assert.Equal(country.Province.Provinces.GrainOutput1957Kg[i], small.Provinces.GrainOutput1957Kg[j]);
            Assert.Equal(country.Province.Provinces.LeaderZeal[i], small.Provinces.LeaderZeal[j]);
            Assert.Equal(country.Province.Urban.Population(i), small.Urban.Population(j), 1e-6);
        }
        var e = Assert.Throws<LeapSim.Core.Scenarios.InputException>(() => TestWorlds.Build(Resolution.Province, provinces: ["Ningxia", "Atlantis"]));
        Assert.Equal("--provinces", e.Location.Key);
        Assert.Contains("Atlantis", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Gap_filled_provinces_get_the_documented_values()
    {
        var pr = country.Province.Provinces;
        var inputs = BaselineInputs.Embedded;
        // Scale factor: 646.53 / (sum of the rows, about 631 M).
        var scale = 646.53 / inputs.Provinces.Sum(p => p.Population1957M);
        Assert.InRange(scale, 1.02, 1.03);
        var ningxia = Array.IndexOf(pr.Name, "Ningxia");
        Assert.Equal(1.8e6 * scale, pr.Population1957[ningxia], 1e-3);
        // Six provinces without an urban share get the one share that makes the national urban total (12.6 %).
        var missing = inputs.Provinces.Where(p => p.UrbanSharePct is null).Select(p => Array.IndexOf(pr.Name, p.Name)).ToArray();
        Assert.Equal(6, missing.Length);
        Assert.Single(missing.Select(p => pr.UrbanShare1957[p]).Distinct());
        Assert.InRange(pr.UrbanShare1957[ningxia], 0.12, 0.13);
        // A missing death rate is the national registered rate; true = registered / (10.8 / 18.1).
        Assert.Equal(18.1 / 1000, pr.TrueDeathRate1957[ningxia], 12);
        var qinghai = Array.IndexOf(pr.Name, "Qinghai");
        Assert.Equal(10.40 / 1000 * 18.1 / 10.8, pr.TrueDeathRate1957[qinghai], 12);
        Assert.Equal(0.194, pr.UrbanShare1957[qinghai], 12);
    }
}

/// <summary>
/// Small worlds: a province keeps the whole country's commune size (about 21,000 people, 26,000 communes for 547 M
/// rural people), brigades and teams, so brigade and team worlds of a province or two are small enough for a test.
/// </summary>
public sealed class SmallWorldTests
{
    private const double TeamSize = 30 * 4.56;   // DIGEST: about 30 households; national_1957.csv: 4.56 persons
    private const double CommuneMean = 547.04e6 / 26_000;

    [Fact]
    public void A_small_world_has_communes_of_the_national_size()
    {
        var w = TestWorlds.Build(Resolution.Commune, provinces: TestWorlds.Small);
        var rural = w.RuralPopulation();
        var expected = rural / CommuneMean;  // about 157
        Assert.InRange(w.Units.Count, expected * 0.9, expected * 1.1);
        for (var u = 0; u < w.Units.Count; u++) Assert.InRange(w.Units.Population(u), 6_000 / 1.25, 44_400 * 1.25);
        WorldBuilderTests.AssertParents(w);
    }

    [Fact]
    public void Brigade_world_adds_up_has_20_to_30_brigades_per_commune_and_consistent_parents()
    {
        var w = TestWorlds.Build(Resolution.Brigade, provinces: TestWorlds.Small);
        var provinces = WorldBuilder.BuildProvinces(BaselineInputs.Embedded, TestWorlds.Parameters(), 1);
        var expected = TestWorlds.Small.Sum(n => provinces.Population1957[Array.IndexOf(provinces.Name, n)]);
        Assert.True(TestWorlds.Relative(w.RuralPopulation() + w.UrbanPopulation(), expected) < 1e-6);
        var communes = w.Hierarchy.Count(Resolution.Commune);
        Assert.InRange(communes, 140, 175);
        var perCommune = w.Hierarchy.BrigadeCommune.GroupBy(c => c).Select(g => g.Count()).ToArray();
        Assert.Equal(communes, perCommune.Length);
        Assert.All(perCommune, k => Assert.InRange(k, 20, 30));
        Assert.InRange(perCommune.Average(), 23.5, 26.5);         // uniform on 20..30: mean 25, sd 3.2 / sqrt(157)
        Assert.True(perCommune.Distinct().Count() >= 10);        // (nearly) every count from 20 to 30 occurs
        // Brigades are their commune split: the brigades of a commune add up to it (commune world, same seed).
        var communeWorld = TestWorlds.Build(Resolution.Commune, provinces: TestWorlds.Small);
        var sum = new double[communes];
        for (var u = 0; u < w.Units.Count; u++) sum[w.Units.CommuneOf[u]] += w.Units.Population(u);
        for (var c = 0; c < communes; c++) Assert.Equal(communeWorld.Units.Population(c), sum[c], sum[c] * 1e-6);
        WorldBuilderTests.AssertParents(w);
    }

    [Fact]
    public void Teams_are_about_30_households_of_4_56_persons()
    {
        var teams = TestWorlds.Build(Resolution.Team, provinces: ["Ningxia"]);
        var brigades = TestWorlds.Build(Resolution.Brigade, provinces: ["Ningxia"]);
        WorldBuilderTests.AssertParents(teams);
        Assert.Equal(brigades.Units.Count, teams.Hierarchy.Count(Resolution.Brigade));
        Assert.True(TestWorlds.Relative(teams.RuralPopulation(), brigades.RuralPopulation()) < 1e-6);
        var perBrigade = new int[brigades.Units.Count];
        var popPerBrigade = new double[brigades.Units.Count];
        for (var u = 0; u < teams.Units.Count; u++)
        {
            perBrigade[teams.Hierarchy.TeamBrigade[u]]++;
            popPerBrigade[teams.Hierarchy.TeamBrigade[u]] += teams.Units.Population(u);
        }
        // Each brigade (~840 people) is split into round(people / 136.8) teams.
        for (var b = 0; b < brigades.Units.Count; b++)
        {
            var pop = brigades.Units.Population(b);
            Assert.Equal(Math.Max(1, (int)Math.Round(pop / TeamSize)), perBrigade[b]);
            Assert.Equal(pop, popPerBrigade[b], pop * 1e-6);
        }
        var mean = teams.RuralPopulation() / teams.Units.Count;
        Assert.InRange(mean, TeamSize * 0.95, TeamSize * 1.05);
        Assert.InRange(perBrigade.Average(), 4, 8);
        for (var u = 0; u < teams.Units.Count; u++)
            Assert.Equal(teams.Units.Population(u) / 4.56, teams.Units.Households[u], teams.Units.Population(u) * 1e-6);
    }
}
