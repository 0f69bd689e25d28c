using LeapSim.Core.Engine;
using LeapSim.Core.Modules;
using LeapSim.Core.Time;
using LeapSim.Core.World;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Modules;

public class ConsumptionEightAtATimeTests
{
    /// <summary>
    /// Consumption steps eight units at a time where the machine has AVX-512 and four where it has AVX; every unit's
    /// numbers must be the same bits as the scalar loop's, at both widths. The world is made hard for the vector path: empty units (their blocks go one by one), units
    /// without workers, stocks from none to plenty (families and halls short or fed), halls free and rationed, bodies
    /// wasted and fed (both branches of the body and the power skipped at the reference), and the months with a crop
    /// to eat green and without; every county has its own weather (the standing crop, read lane by lane); at county
    /// resolution the unit count is not a multiple of four (the last units go one by one at either width).
    /// </summary>
    [Theory]
    [InlineData(3, 0.0, 0.0, Resolution.Commune)]
    [InlineData(4, 0.6, 1.0, Resolution.Commune)]
    [InlineData(5, 0.6, 0.0, Resolution.Commune)]
    [InlineData(9, 1.0, 0.5, Resolution.Commune)]
    [InlineData(12, 0.3, 1.0, Resolution.Commune)]
    [InlineData(9, 0.6, 1.0, Resolution.County)]
    public void EightUnitsAtATimeStepAsTheScalarLoop(int monthOfYear, double hallShare, double freeSupply, Resolution resolution)
    {
        var sim = ModuleTestWorld.Create(["Anhui", "Gansu", "Ningxia"], resolution);
        if (resolution == Resolution.County) Assert.NotEqual(0, sim.World.Units.Count % 4); // a partial last block at either width
        var u = sim.World.Units;
        var gen = new System.Random(3);
        float Random(double low, double high) => (float)(low + (high - low) * gen.NextDouble());
        for (var i = 0; i < u.Count; i++)
        {
            if (i % 29 == 0) u.Persons[i] = 0;
            u.Workers[i] = i % 17 == 0 ? 0 : Random(100, 5000);
            u.LabourBackyard[i] = u.Workers[i] * Random(0, 0.3);
            u.LabourWaterWorks[i] = u.Workers[i] * Random(0, 0.2);
            u.GrainStockKg[i] = i % 13 == 0 ? 0 : u.Persons[i] * Random(0, 120);
            u.CommuneShare[i] = Random(0, 1);
            u.GreenEatenKg[i] = i % 3 == 0 ? 0 : u.BaseOutputKg[i] * Random(0, 0.05);
            u.Bmi[i] = i % 4 == 0 ? 21 : Random(13, 21);
        }
        var weather = sim.World.ProvinceState.CountyWeatherFactor;
        for (var c = 0; c < weather.Length; c++) weather[c] = 0.6 + 0.8 * gen.NextDouble();
        sim.Context.Month = Month.Of(1959, monthOfYear);
        sim.Levers.Values[sim.Levers.Index("dining_halls.share")] = hallShare;
        sim.Levers.Values[sim.Levers.Index("dining_halls.free_supply")] = freeSupply;
        var consumption = sim.Module<Consumption>();
        var columns = new UnitColumns(u);
        columns.AssertSameBitsEachWay(
            () => consumption.Step(sim.Context),                                         // eight lanes where the machine has them
            () => { consumption.FourAtATime = true; consumption.Step(sim.Context); },
            () => { consumption.OneUnitAtATime = true; consumption.Step(sim.Context); });
        // The paths the test means to reach were reached: bodies wasting and recovering, the crop eaten green in its months.
        var bmiBefore = columns.Saved("bmi");
        Assert.Contains(Enumerable.Range(0, u.Count), i => u.Bmi[i] < bmiBefore[i]);
        Assert.Contains(Enumerable.Range(0, u.Count), i => u.Bmi[i] > bmiBefore[i]);
        Assert.Equal(Consumption.IsGreenCropMonth(monthOfYear), Enumerable.Range(0, u.Count).Any(i => u.GreenEatenKg[i] > columns.Saved("green_eaten")[i]));
    }
}
