using LeapSim.Core.Engine;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Engine;

/// <summary>
/// Every person is accounted for: in every month, for every rural unit, every city, every province and the nation,
/// the change in population equals births − deaths + migration in − migration out, and no age group of any unit or
/// city is ever negative. The default scenario (famine, flight, recruitment into industry and sending back all
/// happen), 1957-1966: the small world at commune resolution, and the whole country at province and county
/// resolution.
/// </summary>
public sealed class PopulationAccountingTests
{
    /// <summary>
    /// Rural cohorts are float32: a unit's 42 groups are each rounded to 24 bits (relative 6e-8) every time a module
    /// writes them (deaths, ageing of 40 groups, births, migration: a few hundred roundings a month), and the flows
    /// are stored as float32 too. Measured: at most 3e-8 of the unit's population (3e-7 in earlier versions of the
    /// modules). 1e-5 leaves a wide margin and still catches any lost flow above 1e-5 of the unit (three persons in a
    /// county of 270,000); the absolute floor of 1e-3 persons covers units whose population has fallen to nearly
    /// nothing.
    /// </summary>
    private const double UnitTolerance = 1e-5;
    private const double AbsoluteFloor = 1e-3;
    /// <summary>Cities, provinces and the nation are sums in double: only the float flows' rounding remains.</summary>
    private const double AggregateTolerance = 1e-6;

    private static void Check(bool condition, Func<string> message)
    {
        if (!condition) Assert.Fail(message());
    }

    [Theory]
    [InlineData(Resolution.Commune, true)]
    [InlineData(Resolution.Province, false)]
    [InlineData(Resolution.County, false)]
    public void Population_change_equals_births_minus_deaths_plus_net_migration_everywhere_every_month(Resolution resolution, bool small)
    {
        var sim = new Simulation(ScenarioLibrary.Resolve("default"),
            new RunOptions { Resolution = resolution, Provinces = small ? TestWorlds.Small : null, Threads = 2 });
        var w = sim.World;
        var units = w.Units;
        var urban = w.Urban;
        var np = w.Provinces.Count;
        var r = sim.Results;
        var nat = r.National;

        var unitBefore = new double[units.Count];
        var urbanBefore = new double[np];
        var regionBefore = new double[np + 1];
        for (var u = 0; u < units.Count; u++)
        {
            unitBefore[u] = units.Population(u);
            regionBefore[units.ProvinceOf[u]] += unitBefore[u];
        }
        for (var p = 0; p < np; p++) { urbanBefore[p] = urban.Population(p); regionBefore[p] += urbanBefore[p]; }
        for (var p = 0; p < np; p++) regionBefore[np] += regionBefore[p];
        var initial = regionBefore[np];

        double worstUnit = 0, flowSum = 0;
        var sawMigration = false;
        var sawDeaths = false;
        for (var m = 0; m < sim.MonthCount; m++)
        {
            sim.Step();
            var ruralChange = new double[np];
            var ruralFlows = new double[np];
            for (var u = 0; u < units.Count; u++)
            {
                var after = units.Population(u);
                var flows = (double)units.Births[u] - units.Deaths[u] + units.MigrationIn[u] - units.MigrationOut[u];
                var residual = Math.Abs(after - unitBefore[u] - flows);
                var allowed = UnitTolerance * Math.Max(unitBefore[u], after) + AbsoluteFloor;
                var cohorts = units.CohortsOf(u);
                for (var k = 0; k < cohorts.Length; k++)
                    if (cohorts[k] < 0) Assert.Fail($"month {m}: unit {u} has {cohorts[k]} people in age-sex group {k}");
                Check(residual <= allowed, () => $"{sim.First.Index + m}: unit {u}: {unitBefore[u]} -> {after}, flows {flows} (births {units.Births[u]}, deaths {units.Deaths[u]}, in {units.MigrationIn[u]}, out {units.MigrationOut[u]})");
                worstUnit = Math.Max(worstUnit, residual / Math.Max(1, unitBefore[u]));
                ruralChange[units.ProvinceOf[u]] += after - unitBefore[u];
                ruralFlows[units.ProvinceOf[u]] += flows;
                flowSum += Math.Abs(flows);
                sawMigration |= units.MigrationIn[u] > 0 || units.MigrationOut[u] > 0;
                sawDeaths |= units.Deaths[u] > 0;
                unitBefore[u] = after;
            }
            for (var p = 0; p < np; p++)
            {
                // Rural part of the province.
                Check(Math.Abs(ruralChange[p] - ruralFlows[p]) <= AggregateTolerance * r["rural_population", m, p] + units.Count * AbsoluteFloor, () => $"month {m} province {p} rural: change {ruralChange[p]}, flows {ruralFlows[p]}");
                // The city.
                var urbanAfter = urban.Population(p);
                var city = urban.CohortsOf(p);
                for (var k = 0; k < city.Length; k++)
                    if (city[k] < 0) Assert.Fail($"month {m}: the city of province {p} has {city[k]} people in age-sex group {k}");
                var urbanFlows = urban.Births[p] - urban.Deaths[p] + urban.MigrationIn[p] - urban.MigrationOut[p];
                Check(Math.Abs(urbanAfter - urbanBefore[p] - urbanFlows) <= AggregateTolerance * Math.Max(1, Math.Abs(urbanBefore[p])), () => $"month {m} province {p} urban: {urbanBefore[p]} -> {urbanAfter}, flows {urbanFlows}");
                Assert.Equal(urbanAfter, r["urban_population", m, p]);
                urbanBefore[p] = urbanAfter;
            }
            // Provinces and the nation, from the recorded series.
            for (var region = 0; region <= np; region++)
            {
                var pop = r["population", m, region];
                var flows = r["births", m, region] - r["deaths", m, region] + r["migration_in", m, region] - r["migration_out", m, region];
                Check(Math.Abs(pop - regionBefore[region] - flows) <= AggregateTolerance * regionBefore[region], () => $"month {m} region {region}: {regionBefore[region]} -> {pop}, flows {flows}");
                Assert.Equal(pop, r["rural_population", m, region] + r["urban_population", m, region], 1e-9 * Math.Abs(pop));
                regionBefore[region] = pop;
            }
            // Between provinces nobody moves: the nation only loses those who flee abroad.
            Check(r["migration_in", m, nat] - r["migration_out", m, nat] <= 1e-6 * r["population", m, nat], () => $"month {m}: net migration into the country");
        }
        // The run exercised the flows it checks.
        Assert.True(sawMigration && sawDeaths && flowSum > 0);
        Check(worstUnit < UnitTolerance, () => $"worst unit residual {worstUnit}");

        // The yearly national table: population_yearend(y) − population_yearend(y−1) = births − deaths + net migration.
        var table = OutputTables.National(sim.Results, 1957);
        var years = table["year"].Integers!;
        var pops = table["population_yearend_m"].Numbers!;
        var births = table["births_m"].Numbers!;
        var deaths = table["deaths_m"].Numbers!;
        var netMigration = r.Yearly("migration_in", nat).Zip(r.Yearly("migration_out", nat), (i, o) => (i - o) * 1e-6).ToArray();
        var grossMigration = r.Yearly("migration_in", nat).Zip(r.Yearly("migration_out", nat), (i, o) => (i + o) * 1e-6).ToArray();
        Assert.Equal(Enumerable.Range(1957, 10), years);
        var previous = initial * 1e-6;
        for (var y = 0; y < years.Length; y++)
        {
            // The table's identity, with the net migration the run recorded (float32 cohorts: 1e-6 of the population).
            var residual = pops[y] - previous - (births[y] - deaths[y]);
            Assert.Equal(netMigration[y], residual, 1e-6 * Math.Abs(previous));
            // Flight abroad is the only way out of the country: net migration is never positive and small (a few
            // per cent of the year's deaths at most, since 5 % of those who flee leave the country). Moves between
            // villages and cities are float32 at the village end: allow their rounding, 1e-6 of the gross flow.
            Check(netMigration[y] <= 1e-6 * grossMigration[y] + 1e-12, () => $"{years[y]}: net migration {netMigration[y]} M (gross {grossMigration[y]} M)");
            Check(-netMigration[y] <= 0.05 * deaths[y] + 1e-9, () => $"{years[y]}: net migration {netMigration[y]} M against {deaths[y]} M deaths");
            previous = pops[y];
        }
    }
}
