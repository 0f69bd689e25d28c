namespace LeapSim.Core.World;

/// <summary>Per-province dynamic state written by the province-level parts of the modules.</summary>
public sealed class ProvinceState
{
    public ProvinceState(int count)
    {
        WeatherYieldFactor = new double[count];
        Array.Fill(WeatherYieldFactor, 1.0);
    }

    /// <summary>This year's harvest multiplier from weather, relative to 1957's weather.</summary>
    public double[] WeatherYieldFactor { get; }
}
