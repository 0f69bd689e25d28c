using CsCheck;
using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;

namespace LeapSim.Tests.Reliability;

/// <summary>A small random run: 1-3 provinces, a resolution, a seed, a last year, and a random valid scenario.</summary>
public sealed record WorldCase(string[] Provinces, Resolution Resolution, ulong Seed, int LastYear, ResolvedScenario Scenario, string Changes)
{
    public RunOptions Options(int threads = 1) => new()
    {
        Resolution = Resolution,
        Seed = Seed,
        Years = new YearSpan(1957, LastYear),
        Threads = threads,
        Provinces = Provinces,
    };

    public override string ToString() =>
        $"--provinces {string.Join(',', Provinces)} -r {Resolution.Name()} --seed {Seed} --years 1957-{LastYear}; scenario changes: {Changes}";
}

/// <summary>Generators of random small worlds and random valid scenarios (CsCheck).</summary>
public static class RandomWorlds
{
    /// <summary>How many cases a property samples: modest in CI, more with LEAPSIM_PROPERTY_CASES=N.</summary>
    public static long Cases(long ci) =>
        long.TryParse(Environment.GetEnvironmentVariable("LEAPSIM_PROPERTY_CASES"), out var n) && n > 0 ? n : ci;

    public static readonly string[] AllProvinces = [.. BaselineInputs.Embedded.Provinces.Select(p => p.Name)];

    /// <summary>The smallest provinces: commune-resolution cases use only these, to stay fast.</summary>
    public static readonly string[] SmallProvinces = [.. BaselineInputs.Embedded.Provinces.OrderBy(p => p.Population1957M).Take(8).Select(p => p.Name)];

    /// <summary>Parameters that only change how many units the hierarchy has (cost, not behaviour): left at their defaults.</summary>
    private static readonly HashSet<string> SizeParameters =
    [
        "world.persons_per_county", "world.communes_national", "world.commune_min_members", "world.commune_max_members",
        "world.brigades_min", "world.brigades_max", "world.households_per_team",
    ];

    public static readonly ResolvedScenario Default = ScenarioLibrary.Resolve("default");

    public static Gen<WorldCase> Case { get; } =
        Gen.Select(Gen.Int[0, 9], Gen.Int[1, 3], Gen.ULong[0, 1_000_000], Gen.Int[1957, 1962], Gen.Int[0, int.MaxValue])
            .Select(t =>
            {
                var (r, count, seed, lastYear, salt) = t;
                // Resolution: province 40 %, county 40 %, commune 20 % (small provinces only).
                var resolution = r < 4 ? Resolution.Province : r < 8 ? Resolution.County : Resolution.Commune;
                var rng = new System.Random(salt);
                var pool = resolution == Resolution.Commune ? SmallProvinces : AllProvinces;
                var provinces = pool.OrderBy(_ => rng.Next()).Take(count).ToArray();
                var (scenario, changes) = RandomScenario(rng);
                return new WorldCase(provinces, resolution, seed, lastYear, scenario, changes);
            });

    /// <summary>
    /// A random run whose world has more than one chunk of units (SimContext: chunks of max(512, ⌈n/256⌉) units), so
    /// that a run on several threads really shares the units out among them: one or two of the four smallest
    /// provinces at brigade resolution (1,395 to 4,157 units, 3 to 9 chunks), with a random seed, last year and
    /// scenario. Worlds of at most 512 units run their one chunk on the calling thread at any thread count.
    /// </summary>
    public static Gen<WorldCase> ManyChunks { get; } =
        Gen.Select(Gen.Int[1, 2], Gen.ULong[0, 1_000_000], Gen.Int[1957, 1962], Gen.Int[0, int.MaxValue])
            .Select(t =>
            {
                var (count, seed, lastYear, salt) = t;
                var rng = new System.Random(salt);
                var provinces = SmallProvinces.Take(4).OrderBy(_ => rng.Next()).Take(count).ToArray();
                var (scenario, changes) = RandomScenario(rng);
                return new WorldCase(provinces, Resolution.Brigade, seed, lastYear, scenario, changes);
            });

    /// <summary>The default scenario with events dropped, moved and changed, and parameters changed, all within their declared ranges.</summary>
    public static (ResolvedScenario Scenario, string Changes) RandomScenario(System.Random rng)
    {
        var policies = ModuleCatalog.Policies().ToDictionary(p => p.Key, StringComparer.Ordinal);
        var notes = new List<string>();
        var events = new List<PolicyEvent>();
        foreach (var e in Default.Events)
        {
            var ev = e;
            var roll = rng.NextDouble();
            if (roll < 0.1) { ev = ev with { Enabled = false }; notes.Add($"drop {e.Id}"); }
            else if (roll < 0.25)
            {
                var shift = rng.Next(-12, 13);
                var date = new Month(Math.Clamp(e.Date.Index + shift, 0, ScenarioResolver.LastMonth.Index));
                ev = ev with { Date = date };
                notes.Add($"{e.Id} to {date}");
            }
            else if (roll < 0.4 && e.Settings.Count > 0)
            {
                var settings = new Dictionary<string, double>(e.Settings, StringComparer.Ordinal);
                var name = settings.Keys.ElementAt(rng.Next(settings.Count));
                var info = policies[e.Policy].Setting(name)!;
                settings[name] = info.Min + rng.NextDouble() * (info.Max - info.Min);
                ev = ev with { Settings = settings };
                notes.Add($"{e.Id}.{name}={settings[name]:G4}");
            }
            events.Add(ev);
        }
        var parameters = new Dictionary<string, ParameterOverride>(StringComparer.Ordinal);
        foreach (var p in Default.Parameters) parameters[p.Name] = p;
        var declared = ModuleCatalog.AllParameters().Where(p => !SizeParameters.Contains(p.Name)).ToList();
        var changes = rng.Next(0, 6);
        for (var i = 0; i < changes; i++)
        {
            var info = declared[rng.Next(declared.Count)];
            var value = info.Min + rng.NextDouble() * (info.Max - info.Min);
            parameters[info.Name] = new ParameterOverride(info.Name, value, new SourceLocation("<random>", 0, info.Name));
            notes.Add($"{info.Name}={value:G4}");
        }
        var scenario = new ResolvedScenario("random", "random valid scenario", ["default", "random"],
            parameters.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList(), events);
        return (scenario, notes.Count == 0 ? "none" : string.Join(", ", notes));
    }

    /// <summary>A scenario with one more parameter override (or a changed one).</summary>
    public static ResolvedScenario WithParameter(ResolvedScenario s, string name, double value)
    {
        var list = s.Parameters.Where(p => p.Name != name).Append(new ParameterOverride(name, value, new SourceLocation("<test>", 0, name)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        return s with { Parameters = list };
    }
}
