using System.CommandLine;
using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;

namespace LeapSim.Cli.Commands;

/// <summary>Options shared by the commands that run simulations, and their validation into <see cref="RunOptions"/>.</summary>
public sealed class CommonOptions
{
    public Option<string> Scenario { get; } = new("--scenario", "-s") { Description = "built-in scenario name or scenario file (YAML)", DefaultValueFactory = _ => "default" };
    public Option<string> Resolution { get; } = new("--resolution", "-r") { Description = "province, county, commune (default: the resolution the parameters are fitted at), brigade or team", DefaultValueFactory = _ => "commune" };
    public Option<string> Seed { get; } = new("--seed") { Description = "random seed (a whole number ≥ 0)", DefaultValueFactory = _ => "1" };
    public Option<string> Years { get; } = new("--years") { Description = "years to report, e.g. 1957-1966 (the run always starts from the 1957 baseline)", DefaultValueFactory = _ => "1957-1966" };
    public Option<string> Threads { get; } = new("--threads") { Description = "worker threads (results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public Option<string?> Provinces { get; } = new("--provinces") { Description = "simulate only these provinces, comma-separated (a small world)" };
    public Option<string?> Data { get; } = new("--data") { Description = "read the input tables (national_1957.csv, provinces_1957.csv, ...) from this folder instead of the built-in copies" };
    public Option<string?> MaxMemory { get; } = new("--max-memory") { Description = "memory the run may use, e.g. 8G or 512M (default: what the machine has)" };

    /// <param name="withScenario">false for the commands that name their scenarios otherwise (compare, attribute, …).</param>
    public void AddTo(Command c, bool withScenario = true)
    {
        c.Add(Provinces);
        if (withScenario) c.Add(Scenario);
        c.Add(Resolution);
        c.Add(Seed);
        c.Add(Years);
        c.Add(Threads);
        c.Add(Data);
        c.Add(MaxMemory);
    }

    private static InputException Bad(string key, string problem) => new(new SourceLocation("<command line>", 0, key), problem);

    public RunOptions Parse(ParseResult p)
    {
        var resText = p.GetValue(Resolution) ?? "province";
        if (!ResolutionNames.TryParse(resText, out var res))
            throw Bad("--resolution", $"'{resText}' is not one of province, county, commune, brigade, team");
        var seedText = p.GetValue(Seed) ?? "1";
        if (!ulong.TryParse(seedText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seed))
            throw Bad("--seed", $"'{seedText}' is not a whole number ≥ 0");
        var yearsText = p.GetValue(Years) ?? "1957-1966";
        if (!YearSpan.TryParse(yearsText, out var years) || years.LastYear > 1966)
            throw Bad("--years", $"'{yearsText}' is not a span of years within 1957-1966 (e.g. 1957-1966)");
        var threadsText = p.GetValue(Threads) ?? "1";
        if (!int.TryParse(threadsText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var threads) || threads < 1 || threads > 1024)
            throw Bad("--threads", $"'{threadsText}' is not a whole number from 1 to 1024");
        var only = p.GetValue(Provinces)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new RunOptions { Resolution = res, Seed = seed, Years = years, Threads = threads, Provinces = only };
    }

    public ResolvedScenario ResolveScenario(ParseResult p) => ScenarioLibrary.Resolve(p.GetValue(Scenario) ?? "default");

    /// <summary>The input tables: from --data's folder, or the built-in copies; with their bytes, for checkpoints.</summary>
    public RunInputs LoadInputs(ParseResult p) => RunInputs.Load(p.GetValue(Data));

    /// <summary>The memory budget: --max-memory, or what the machine has.</summary>
    public long MemoryBudget(ParseResult p) =>
        p.GetValue(MaxMemory) is { } text ? ByteSize.Parse(text, "--max-memory") : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
}
