namespace LeapSim.Core.World;

/// <summary>
/// The administrative tree above (and, at fine resolution, including) the simulation units: for each generated
/// level, a parent index per entity. Counties belong to provinces, communes to counties, brigades to communes,
/// teams to brigades. Levels finer than the run's resolution are not generated.
/// </summary>
public sealed class Hierarchy
{
    public required int[] CountyProvince { get; init; }
    public required int[] CommuneCounty { get; init; }
    public required int[] BrigadeCommune { get; init; }
    public required int[] TeamBrigade { get; init; }

    public int Count(Resolution level) => level switch
    {
        Resolution.County => CountyProvince.Length,
        Resolution.Commune => CommuneCounty.Length,
        Resolution.Brigade => BrigadeCommune.Length,
        Resolution.Team => TeamBrigade.Length,
        _ => 0,
    };
}

/// <summary>Everything that is simulated: provinces, the hierarchy, the rural units, the cities, the nation.</summary>
public sealed class SimWorld
{
    public required Resolution Resolution { get; init; }
    public required ulong Seed { get; init; }
    public required Provinces Provinces { get; init; }
    public required Hierarchy Hierarchy { get; init; }
    public required RuralUnits Units { get; init; }
    public required UrbanSectors Urban { get; init; }
    public NationalState National { get; } = new();
    /// <summary>
    /// The simulated provinces' share of the country's 1957 population: 1 for the whole country, less for a small
    /// world. National quantities decided by the centre (trade, army use, the steel plan, recruitment, sending back)
    /// are scaled by it, so a small world carries its share of them, not all of them.
    /// </summary>
    public double NationalShare { get; init; } = 1;
    public ProvinceState ProvinceState => _provinceState ??= new ProvinceState(Provinces.Count, Hierarchy.Count(Resolution.County));
    private ProvinceState? _provinceState;

    public double RuralPopulation()
    {
        double s = 0;
        for (var u = 0; u < Units.Count; u++) s += Units.Persons[u];
        return s;
    }

    public double UrbanPopulation()
    {
        double s = 0;
        for (var p = 0; p < Urban.Count; p++) s += Urban.Population(p);
        return s;
    }
}
