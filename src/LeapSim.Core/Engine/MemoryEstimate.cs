using LeapSim.Core.Inputs;
using LeapSim.Core.Parameters;
using LeapSim.Core.World;

namespace LeapSim.Core.Engine;

/// <summary>
/// What a run will need before it is built: the number of rural units from a cheap count of the hierarchy (the
/// provinces' rural people divided by the mean size of a unit at the resolution; nothing is generated), times the
/// bytes a unit's arrays take (<see cref="RuralUnits.BytesOfState"/>) plus what building the world holds for a
/// moment, plus a fixed allowance for the runtime and the output tables.
/// </summary>
public static class MemoryEstimate
{
    /// <summary>The runtime, the libraries, the inputs, the monthly series and the output tables (measured: ~60-90 MB).</summary>
    public const long FixedBytes = 160L << 20;

    /// <summary>Per unit while the world is built: the generator's level table (4 ints and 4 doubles) and the
    /// hierarchy's parent index, both alive while the units are filled in.</summary>
    public const long BuildBytesPerUnit = 4 * 4 + 4 * 8 + 4;

    /// <summary>Bytes of one unit's arrays.</summary>
    public static long BytesPerUnit { get; } = new RuralUnits(1).BytesOfState;

    /// <summary>The expected number of rural units at <paramref name="resolution"/> (about 1 % off for communes and
    /// brigades, whose sizes are drawn; exact for provinces and counties).</summary>
    public static long Units(BaselineInputs inputs, ParameterSet parameters, Resolution resolution, IReadOnlyList<string>? onlyProvinces)
    {
        var all = WorldBuilder.BuildProvinces(inputs, parameters, 0);
        var nationalRural = 0.0;
        var rural = new List<double>();
        for (var p = 0; p < all.Count; p++)
        {
            var r = all.Population1957[p] - all.Population1957[p] * all.UrbanShare1957[p];
            nationalRural += r;
            if (onlyProvinces is not { Count: > 0 } || onlyProvinces.Contains(all.Name[p])) rural.Add(r);
        }
        long counties = 0, communes = 0;
        double teams = 0;
        var perCounty = parameters["world.persons_per_county"];
        var perCommune = nationalRural / parameters["world.communes_national"];
        var teamSize = parameters["world.households_per_team"] * parameters["world.persons_per_household"];
        foreach (var r in rural)
        {
            var c = Math.Max(1, (long)Math.Round(r / perCounty));
            counties += c;
            communes += Math.Max(c, (long)Math.Round(r / perCommune));
            teams += r / teamSize;
        }
        var bmin = (int)parameters["world.brigades_min"];
        var bmax = Math.Max(bmin, (int)parameters["world.brigades_max"]);
        var brigades = (long)Math.Round(communes * (bmin + bmax) / 2.0);
        return resolution switch
        {
            Resolution.Province => rural.Count,
            Resolution.County => counties,
            Resolution.Commune => communes,
            Resolution.Brigade => brigades,
            _ => Math.Max(brigades, (long)Math.Round(teams)),
        };
    }

    /// <summary>Bytes a run of <paramref name="units"/> units needs at its peak.</summary>
    public static long Bytes(long units) => FixedBytes + units * (BytesPerUnit + BuildBytesPerUnit);

    /// <summary>Bytes a run at <paramref name="resolution"/> needs at its peak.</summary>
    public static long Bytes(BaselineInputs inputs, ParameterSet parameters, Resolution resolution, IReadOnlyList<string>? onlyProvinces) =>
        Bytes(Units(inputs, parameters, resolution, onlyProvinces));
}
