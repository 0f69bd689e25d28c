using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Modules;

public class ProcurementEightAtATimeTests
{
    /// <summary>
    /// Procurement sets a harvest's quotas eight units at a time where the machine has AVX-512 and four where it has
    /// AVX; every unit's quota, its report and truth kept for next year, and the flexible rule's shares must be the same
    /// bits as the scalar loop's at both widths. The world is made hard for the vector path: empty units (no quota),
    /// crowded units (a harvest per person below the ratio's floor of 0.01), units not yet reported (the plan is the
    /// normal crop) and units whose harvest failed (no truth: the flexible quota's basis is 0), inflated and
    /// honest reports, verification on and off, a plan's growth, zeal and pressure, the flexible rule on, off and
    /// half-way, in both harvest months; at county resolution the unit count is not a multiple of four. (Where the
    /// machine runs no 512-bit vectors the default is four lanes, and both vector runs are four lanes.)
    /// </summary>
    [Theory]
    [InlineData(FarmCalendar.SummerHarvestMonth, 0.0, 0.0, 0.0, Resolution.Commune)]
    [InlineData(FarmCalendar.AutumnHarvestMonth, 1.0, 1.0, 0.2, Resolution.Commune)]
    [InlineData(FarmCalendar.AutumnHarvestMonth, 0.5, 0.0, 0.1, Resolution.Commune)]
    [InlineData(FarmCalendar.SummerHarvestMonth, 1.0, 1.0, 0.0, Resolution.County)]
    public void EightUnitsAtATimeSetTheQuotasOfTheScalarLoop(int monthOfYear, double flexible, double verified, double planGrowth, Resolution resolution)
    {
        var sim = ModuleTestWorld.Create(["Anhui", "Gansu", "Ningxia"], resolution);
        if (resolution == Resolution.County) Assert.NotEqual(0, sim.World.Units.Count % 4); // a partial last block at either width
        var u = sim.World.Units;
        var gen = new System.Random(4);
        float Random(double low, double high) => (float)(low + (high - low) * gen.NextDouble());
        for (var i = 0; i < u.Count; i++)
        {
            if (i % 29 == 0) u.Persons[i] = 0;
            if (i % 31 == 0) u.Persons[i] *= 1e4f; // a harvest per person below 0.01 of 1957's: the ratio's lower bound
            var normal = u.BaseOutputKg[i] * 0.5f;
            u.HarvestKg[i] = i % 13 == 0 ? 0 : normal * Random(0.3, 1.5);
            u.PrivateOutputKg[i] = i % 13 == 0 ? 0 : normal * Random(0, 0.02); // a failed harvest: no truth at all
            u.ReportedKg[i] = u.HarvestKg[i] * Random(0.8, 2.5);
            u.SummerReportKg[i] = i % 7 == 0 ? 0 : normal * Random(0.5, 3);
            u.AutumnReportKg[i] = i % 11 == 0 ? 0 : normal * Random(0.5, 3);
            u.SummerTruthKg[i] = u.SummerReportKg[i] * Random(0.4, 1.1);
            u.AutumnTruthKg[i] = u.AutumnReportKg[i] * Random(0.4, 1.1);
            u.Zeal[i] = Random(0.5, 2.5);
        }
        sim.Context.Month = Month.Of(1959, monthOfYear);
        sim.World.National.ExcessPressure = 0.7;
        sim.Levers.Values[sim.Levers.Index("procurement.flexible")] = flexible;
        sim.Levers.Values[sim.Levers.Index("procurement.verified")] = verified;
        sim.Levers.Values[sim.Levers.Index("grain_plan.growth")] = planGrowth;
        var procurement = sim.Module<Procurement>();
        var columns = new UnitColumns(u);
        columns.AssertSameBitsEachWay(
            () => procurement.Step(sim.Context),                                         // eight lanes where the machine has them
            () => { procurement.FourAtATime = true; procurement.Step(sim.Context); },
            () => { procurement.OneUnitAtATime = true; procurement.Step(sim.Context); });
        // The paths the test means to reach were reached: quotas set, none for the empty units, reports kept.
        Assert.Contains(u.QuotaKg, q => q > 0);
        Assert.All(Enumerable.Range(0, u.Count).Where(i => u.Persons[i] == 0), i => Assert.Equal(0f, u.QuotaKg[i]));
        var kept = FarmCalendar.IsSummerHarvest(monthOfYear) ? u.SummerReportKg : u.AutumnReportKg;
        Assert.Contains(Enumerable.Range(0, u.Count), i => kept[i] != columns.Saved(FarmCalendar.IsSummerHarvest(monthOfYear) ? "summer_report" : "autumn_report")[i]);
    }

    /// <summary>
    /// Procurement collects four units at a time where the machine has AVX; every unit's take, the quota it leaves,
    /// its stock and the national total must be the same bits as the scalar loop's, in the three collection months
    /// (July's whole summer quota, November's share, December's rest). The world is made hard for the vector path:
    /// empty units (a floor of 0), stocks below the floor (nothing taken), quotas above the stock, no stock at all,
    /// and zeal × pressure beyond the erosion's cap of 1 (no floor left); at county resolution the unit count is not a
    /// multiple of four.
    /// </summary>
    [Theory]
    [InlineData(7, Resolution.Commune)]
    [InlineData(11, Resolution.Commune)]
    [InlineData(12, Resolution.County)]
    public void FourUnitsAtATimeCollectAsOneByOne(int monthOfYear, Resolution resolution)
    {
        var sim = ModuleTestWorld.Create(["Anhui", "Gansu", "Ningxia"], resolution);
        if (resolution == Resolution.County) Assert.NotEqual(0, sim.World.Units.Count % 4); // a partial last block
        var u = sim.World.Units;
        var gen = new System.Random(7);
        float Random(double low, double high) => (float)(low + (high - low) * gen.NextDouble());
        for (var i = 0; i < u.Count; i++)
        {
            if (i % 29 == 0) u.Persons[i] = 0;
            var need = u.Persons[i] * 20f; // about a month's grain for the unit's people
            u.GrainStockKg[i] = i % 17 == 0 ? 0 : need * Random(0, 12);
            u.QuotaKg[i] = i % 19 == 0 ? 0 : need * Random(0, 10);
            u.Zeal[i] = i % 23 == 0 ? 40 : Random(0.5, 2.5); // 40 × the pressure: an erosion above its cap of 1
        }
        sim.Context.Month = Month.Of(1959, monthOfYear);
        sim.World.National.ExcessPressure = 0.7;
        var procurement = sim.Module<Procurement>();
        var nat = sim.World.National;
        var totals = new List<double>();
        void Collect(bool oneByOne)
        {
            procurement.OneUnitAtATime = oneByOne;
            nat.ProcuredKg = 0;
            procurement.Step(sim.Context);
            totals.Add(nat.ProcuredKg);
        }
        var columns = new UnitColumns(u);
        columns.AssertSameBitsEachWay(() => Collect(false), () => Collect(true));
        Assert.Equal(BitConverter.DoubleToInt64Bits(totals[1]), BitConverter.DoubleToInt64Bits(totals[0]));
        // The paths the test means to reach were reached: grain taken, and units left with their stock (under the floor).
        Assert.Contains(u.ProcuredKg, take => take > 0);
        Assert.Contains(Enumerable.Range(0, u.Count), i => u.ProcuredKg[i] == 0 && u.QuotaKg[i] > 0 && u.GrainStockKg[i] > 0);
    }
}
