using LeapSim.Core.Inputs;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Inputs;

public sealed class EmbeddedDataTests
{
    private static readonly string[] Expected =
        ["disasters.csv", "national_1957.csv", "provinces_1957.csv", "provincial_leaders.csv", "targets.csv", "trade.csv"];

    private static string[] EmbeddedNames() =>
        typeof(BaselineInputs).Assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Data.", StringComparison.Ordinal) && n.EndsWith(".csv", StringComparison.Ordinal))
            .Select(n => n[(n.LastIndexOf(".Data.", StringComparison.Ordinal) + ".Data.".Length)..])
            .Order(StringComparer.Ordinal).ToArray();

    private static byte[] Embedded(string name)
    {
        using var s = BaselineInputs.OpenEmbedded(name);
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    /// <summary>
    /// A test that needs ../shared/data beside the repository: reported as skipped, with where it looked, on a machine
    /// without it (a fresh clone elsewhere runs the suite on the embedded copies), never passed without comparing.
    /// </summary>
    public sealed class SharedDataFactAttribute : FactAttribute
    {
        public SharedDataFactAttribute()
        {
            if (Repo.SharedData is null)
                Skip = $"the shared data folder is missing (looked for ../shared/data beside {Repo.Root} and /work/shared/data): " +
                       "the embedded copies of the inputs cannot be compared with the originals";
        }
    }

    [SharedDataFact]
    public void The_embedded_copies_equal_shared_data_byte_for_byte()
    {
        var embedded = EmbeddedNames();
        Assert.Equal(Expected, embedded);
        var shared = Repo.SharedData!;
        var files = Directory.GetFiles(shared, "*.csv").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(files, embedded);
        foreach (var name in embedded)
        {
            var a = File.ReadAllBytes(Path.Combine(shared, name));
            var b = Embedded(name);
            Assert.True(a.Length > 0, $"{shared}/{name} is empty");
            Assert.True(a.AsSpan().SequenceEqual(b), $"{name}: the embedded copy differs from {shared}/{name}");
        }
    }

    [Fact]
    public void The_embedded_inputs_read_into_the_documented_values()
    {
        var inputs = BaselineInputs.Load(BaselineInputs.OpenEmbedded);
        Assert.Equal(29, inputs.Provinces.Count);
        Assert.Equal(646.53, inputs.NationalValue("population_yearend"));
        Assert.Equal(99.49, inputs.NationalValue("urban_population"));
        Assert.Equal(195.05, inputs.NationalValue("grain_output"));
        Assert.Equal(43.3, inputs.NationalValue("crude_birth_rate_estimated_true"));
        Assert.Equal(18.1, inputs.NationalValue("crude_death_rate_estimated_true"));
        var sichuan = inputs.Provinces.Single(p => p.Name == "Sichuan");
        Assert.Equal(69.45, sichuan.Population1957M);
        Assert.Null(sichuan.UrbanSharePct);
        Assert.Equal(12.07, sichuan.CrudeDeathRate1957RegisteredPerMille);
        var ningxia = inputs.Provinces.Single(p => p.Name == "Ningxia");
        Assert.Null(ningxia.GrainPerCapita1957Kg);
        Assert.NotEmpty(inputs.Trade);
        Assert.NotEmpty(inputs.Disasters);
        var e = Assert.Throws<LeapSim.Core.Scenarios.InputException>(() => inputs.NationalValue("no_such_quantity"));
        Assert.Equal("no_such_quantity", e.Location.Key);
    }

    [Fact]
    public void A_bad_number_in_an_input_file_names_the_file_line_and_column()
    {
        // provinces_1957.csv with Qinghai's population (line 17) replaced by text.
        var text = ReadEmbeddedText("provinces_1957.csv");
        var lines = text.Split('\n');
        Assert.StartsWith("Qinghai,", lines[16], StringComparison.Ordinal);
        lines[16] = lines[16].Replace("Qinghai,2.05,", "Qinghai,two,", StringComparison.Ordinal);
        var patched = string.Join('\n', lines);
        var e = Assert.Throws<LeapSim.Core.Scenarios.InputException>(() => BaselineInputs.Load(name =>
            name == "provinces_1957.csv" ? new MemoryStream(System.Text.Encoding.UTF8.GetBytes(patched)) : BaselineInputs.OpenEmbedded(name)));
        Assert.Equal("provinces_1957.csv", e.Location.File);
        Assert.Equal(17, e.Location.Line);
        Assert.Equal("population_1957_m", e.Location.Key);
        Assert.Contains("provinces_1957.csv:17:", e.Message, StringComparison.Ordinal);
        Assert.Contains("'two' is not a number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_input_file_names_the_file()
    {
        var e = Assert.Throws<LeapSim.Core.Scenarios.InputException>(() => BaselineInputs.Load(name =>
            name == "trade.csv" ? throw new FileNotFoundException("gone", name) : BaselineInputs.OpenEmbedded(name)));
        Assert.Equal("trade.csv", e.Location.File);
        Assert.Equal("<file>", e.Location.Key);
    }

    [Fact]
    public void A_missing_required_column_names_the_column()
    {
        var text = ReadEmbeddedText("trade.csv").Replace("grain_imports_mt", "grain_imports", StringComparison.Ordinal);
        var e = Assert.Throws<LeapSim.Core.Scenarios.InputException>(() => BaselineInputs.Load(name =>
            name == "trade.csv" ? new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) : BaselineInputs.OpenEmbedded(name)));
        Assert.Equal("trade.csv", e.Location.File);
        Assert.Equal(1, e.Location.Line);
        Assert.Equal("grain_imports_mt", e.Location.Key);
    }

    private static string ReadEmbeddedText(string name)
    {
        using var r = new StreamReader(BaselineInputs.OpenEmbedded(name));
        return r.ReadToEnd();
    }
}
