namespace LeapSim.Core.World;

/// <summary>The provinces: fixed attributes from the 1957 inputs (after the documented gap-filling).</summary>
public sealed class Provinces
{
    public Provinces(int count)
    {
        Count = count;
        Name = new string[count];
        Population1957 = new double[count];
        UrbanShare1957 = new double[count];
        TrueDeathRate1957 = new double[count];
        GrainOutput1957Kg = new double[count];
        LeaderZeal = new double[count];
    }

    public int Count { get; }

    /// <summary>The provinces at the given indices, in that order (a smaller world for tests and quick looks).</summary>
    public Provinces Subset(IReadOnlyList<int> keep)
    {
        var r = new Provinces(keep.Count);
        for (var i = 0; i < keep.Count; i++)
        {
            var p = keep[i];
            r.Name[i] = Name[p];
            r.Population1957[i] = Population1957[p];
            r.UrbanShare1957[i] = UrbanShare1957[p];
            r.TrueDeathRate1957[i] = TrueDeathRate1957[p];
            r.GrainOutput1957Kg[i] = GrainOutput1957Kg[p];
            r.LeaderZeal[i] = LeaderZeal[p];
        }
        return r;
    }
    public string[] Name { get; }
    /// <summary>Persons, scaled so that the provinces add up to the national 1957 total.</summary>
    public double[] Population1957 { get; }
    /// <summary>Share of the province's people in the urban sector, 0-1.</summary>
    public double[] UrbanShare1957 { get; }
    /// <summary>True (not registered) crude death rate, per person per year.</summary>
    public double[] TrueDeathRate1957 { get; }
    /// <summary>Grain output of 1957, kg unhusked.</summary>
    public double[] GrainOutput1957Kg { get; }
    /// <summary>The provincial leadership's radicalism (mean 1), shaping cadre zeal below it.</summary>
    public double[] LeaderZeal { get; }
}
