using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Modules;
using LeapSim.Core.Scenarios;
using LeapSim.Tests.Modules;
using Xunit;

namespace LeapSim.Tests.Inputs;

/// <summary>The national affected areas of disasters.csv (decade means, the 1958 drought) are read from the file, not written into the weather module.</summary>
public sealed class DisasterAreaTests
{
    private static string Embedded(string name)
    {
        using var s = BaselineInputs.OpenEmbedded(name);
        return new StreamReader(s).ReadToEnd();
    }

    private static BaselineInputs WithDisasters(string text) => BaselineInputs.Load(name =>
        name == "disasters.csv" ? new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) : BaselineInputs.OpenEmbedded(name));

    [Fact]
    public void TheDecadeMeansAndThe1958DroughtAreReadFromTheFile()
    {
        var inputs = BaselineInputs.Embedded;
        Assert.Equal(22.255, inputs.NationalArea(1950, 1959, "all", "test"));
        Assert.Equal(37.603, inputs.NationalArea(1960, 1966, "all", "test"));
        Assert.Equal(22.36, inputs.NationalArea(1958, 1958, "drought", "test"));
    }

    [Fact]
    public void AnotherFilesDecadeMeanMovesTheNormalYear()
    {
        var text = Embedded("disasters.csv");
        Assert.Contains("\n1950-1959,national,China,all,22.255,", text, StringComparison.Ordinal);
        var inputs = WithDisasters(text.Replace("\n1950-1959,national,China,all,22.255,", "\n1950-1959,national,China,all,30,", StringComparison.Ordinal));
        var sim = new Simulation(new ResolvedScenario("t", "", ["t"], [], []), new RunOptions { Threads = 1, Provinces = ["Ningxia"] }, inputs);
        // 1957 is a normal year: affected = the 1950s mean / sown area (150 Mha) = 30 / 150 = 0.2 (22.255 / 150 in the embedded file).
        Assert.Equal(0.2, sim.Module<Weather>().NationalShares[1957].Affected, 12);
    }

    [Fact]
    public void AFileWithoutTheDecadeMeanSaysWhichRowIsMissing()
    {
        var text = string.Join('\n', Embedded("disasters.csv").Split('\n').Where(l => !l.StartsWith("1950-1959,", StringComparison.Ordinal)));
        var inputs = WithDisasters(text);
        var e = Assert.Throws<InputException>(() => new Simulation(new ResolvedScenario("t", "", ["t"], [], []),
            new RunOptions { Threads = 1, Provinces = ["Ningxia"] }, inputs));
        Assert.Equal("disasters.csv", e.Location.File);
        Assert.Equal("1950-1959", e.Location.Key);
    }

    [Fact]
    public void DroughtRowsOfEveryScopeSayWhereTheDroughtWas()
    {
        var droughts = BaselineInputs.Embedded.Droughts;
        // A province row (1959, Henan, 6.666 Mha), a regional fragment, and the provinces a national row lists in brackets.
        Assert.Contains(droughts, d => d.Year == 1959 && d.Region == "Henan");
        Assert.Contains(droughts, d => d.Year == 1960 && d.Region == "Shandong+Henan+Hebei");
        Assert.Contains(droughts, d => d.Year == 1959 && d.Region.StartsWith("Henan, Shandong, Sichuan, Anhui", StringComparison.Ordinal));
        // "all provinces except Tibet" lists no province: nothing of it may name Tibet.
        Assert.DoesNotContain(droughts, d => d.Year == 1960 && Weather.ProvincesNamed(d.Region).Contains("Tibet"));
    }

    [Fact]
    public void EveryDroughtRowOfTheRunNamesAProvince()
    {
        // A place the weather cannot map would silently drop a drought from the spatial pattern.
        var unnamed = BaselineInputs.Embedded.Droughts.Where(d => d.Year is >= 1957 and <= 1966 && Weather.ProvincesNamed(d.Region).Count == 0)
            .Select(d => $"{d.Year}: {d.Region}").ToList();
        Assert.Empty(unnamed);
    }
}
