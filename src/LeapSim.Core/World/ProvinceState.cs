using System.Runtime.CompilerServices;

namespace LeapSim.Core.World;

/// <summary>Per-province dynamic state written by the province-level parts of the modules (and the weather of each county).</summary>
public sealed class ProvinceState
{
    public ProvinceState(int count, int counties = 0)
    {
        WeatherYieldFactor = new double[count];
        Array.Fill(WeatherYieldFactor, 1.0);
        CountyWeatherFactor = new double[counties];
        Array.Fill(CountyWeatherFactor, 1.0);
    }

    /// <summary>This year's harvest multiplier from weather, relative to 1957's weather: the province's mean.</summary>
    public double[] WeatherYieldFactor { get; }

    /// <summary>
    /// This year's harvest multiplier of each county (empty at province resolution): the province's loss falls on the
    /// counties the year's disasters strike (Weather).
    /// </summary>
    public double[] CountyWeatherFactor { get; }

    /// <summary>The weather multiplier of a rural unit: its county's, or its province's at province resolution.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double For(RuralUnits units, int unit)
    {
        var county = units.CountyOf[unit];
        return county >= 0 ? CountyWeatherFactor[county] : WeatherYieldFactor[units.ProvinceOf[unit]];
    }
}
