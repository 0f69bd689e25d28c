using System.Diagnostics;
using System.Reflection;
using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Bench;

/// <summary>
/// Two versions of one module's month compared inside one process: the module's code branches on a static bool field
/// named <c>Experiment</c> (added for the comparison, taken out with the losing branch), and this steps the same saved
/// world once with it false (A) and once true (B), alternately, REPS pairs, restoring the unit table before each step.
/// It first checks whether A and B leave the same bits in every column of the unit table (after checking that A
/// stepped twice does: a month that also reads province, city or national state, which is not restored, can differ).
/// Why: this host's speed swings by a third within minutes, so two builds run one after the other cannot show a
/// change of a few percent (scripts/bench-ab.sh needs many pairs for 10 %); alternated steps of ~25 ms inside one
/// process see the same machine. An A/A comparison (both branches the same code) gave a median B/A of 0.99-1.00 with
/// quartiles within ±1.5 % while the host was steady; when it swings, the quartiles widen (0.89-1.36 in one A/A run)
/// and the comparison must be run again. REPS: the pairs (default 20).
/// <code>dotnet run -c Release --project bench/LeapSim.Bench -- ab demography Sichuan,Henan 18 20</code>
/// (module, provinces at team resolution on one thread, months stepped, pairs): the last month stepped is stepped
/// again from the state it left, as ModuleBenchmarks does (18: June 1958, a harvest month; the month is printed).
/// </summary>
public static class ModuleAb
{
    public static int Run(string[] args)
    {
        const string usage = "usage: ab <module> [provinces, comma-separated (Sichuan,Henan)] [months stepped, the last stepped again (18)] [pairs (20)]";
        var months = 18;
        var pairs = 20;
        if (args.Length < 1 || (args.Length > 2 && !int.TryParse(args[2], out months)) || (args.Length > 3 && !int.TryParse(args[3], out pairs))
            || months < 1 || pairs < 1)
        {
            Console.Error.WriteLine(args.Length < 1 ? usage : $"ab: months and pairs are whole numbers of at least 1 (got '{string.Join(' ', args.Skip(2))}')\n{usage}");
            return 2;
        }
        var part = args[0];
        var provinces = (args.Length > 1 ? args[1] : "Sichuan,Henan").Split(',');
        Simulation sim;
        try
        {
            sim = new Simulation(ScenarioLibrary.Resolve("default"), new RunOptions { Resolution = Resolution.Team, Provinces = provinces, Threads = 1 });
        }
        catch (LeapSim.Core.Scenarios.InputException e)
        {
            Console.Error.WriteLine($"ab: {e.Message}");
            return 2;
        }
        var module = sim.Modules.SingleOrDefault(m => m.Name == part);
        if (module is null)
        {
            Console.Error.WriteLine($"ab: no module '{part}' (modules: {string.Join(", ", sim.Modules.Select(m => m.Name))})");
            return 2;
        }
        var toggle = module.GetType().GetField("Experiment", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
        if (toggle is null || toggle.FieldType != typeof(bool))
        {
            Console.Error.WriteLine($"ab: {module.GetType().Name} has no static bool field 'Experiment': add 'internal static bool Experiment;' and branch on it");
            return 2;
        }
        for (var i = 0; i < months; i++) sim.Step();
        var units = sim.World.Units;
        var columns = units.StateColumns.Select(c => c.Data).Concat(units.FlowColumns).Distinct()
            .Select(live => (Live: live, Saved: (float[])live.Clone())).ToArray();
        void Restore() { foreach (var (live, saved) in columns) saved.AsSpan().CopyTo(live); }
        float[][] Step(bool experiment)
        {
            Restore();
            toggle.SetValue(null, experiment);
            module.Step(sim.Context);
            return columns.Select(c => (float[])c.Live.Clone()).ToArray();
        }

        // A twice, then B: the first pair says whether a month depends only on the unit table restored here (a module
        // that also changes province, city or national state, such as the state's granary, sees that state moved by
        // the step before, and then A and B can differ for that reason alone).
        var a = Step(false);
        var again = Step(false);
        var b = Step(true);
        Console.WriteLine($"{part}, {string.Join('+', provinces)} at team resolution ({units.Count:N0} units), {sim.Context.Month} (the last of the {months} months stepped, stepped again), one thread");
        var unrestored = Differ(a, again);
        if (unrestored > 0)
            Console.WriteLine($"  A stepped twice from the same unit table differs in {unrestored:N0} floats: this month also reads state the comparison does not restore, so A against B below says nothing about bits");
        Console.WriteLine($"  floats that differ between A and B: {Differ(a, b):N0}");

        var timesA = new List<double>();
        var timesB = new List<double>();
        var clock = new Stopwatch();
        for (var r = 0; r < pairs; r++)
            foreach (var experiment in r % 2 == 0 ? [false, true] : new[] { true, false })
            {
                Restore();
                toggle.SetValue(null, experiment);
                clock.Restart();
                module.Step(sim.Context);
                (experiment ? timesB : timesA).Add(clock.Elapsed.TotalMilliseconds);
            }
        toggle.SetValue(null, false);
        var ratios = timesA.Zip(timesB, (x, y) => y / x).Order().ToArray();
        Console.WriteLine($"  A {Median(timesA):F3} ms (fastest {timesA.Min():F3}), B {Median(timesB):F3} ms (fastest {timesB.Min():F3})");
        Console.WriteLine($"  B/A of the pairs: median {ratios[ratios.Length / 2]:F3}, quartiles {ratios[ratios.Length / 4]:F3}-{ratios[3 * ratios.Length / 4]:F3}");
        return 0;
    }

    private static long Differ(float[][] a, float[][] b)
    {
        var differ = 0L;
        for (var c = 0; c < a.Length; c++)
            for (var i = 0; i < a[c].Length; i++)
                if (BitConverter.SingleToInt32Bits(a[c][i]) != BitConverter.SingleToInt32Bits(b[c][i])) differ++;
        return differ;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
