using System.CommandLine;
using System.Globalization;
using LeapSim.Cli.Output;
using LeapSim.Core.Experiments;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;

namespace LeapSim.Cli.Commands;

/// <summary>
/// `leapsim compare A B [--runs N]`: scenario A against B on the same seeds; the differences A − B in deaths, births,
/// grain, procurement and output by year, over a window of years and in total, with 90 % intervals
/// (comparison.csv, comparison.png), and deaths by province over the window (comparison_provinces.csv).
/// </summary>
public static class CompareCommand
{
    public static Command Create(CliContext ctx)
    {
        var common = new CommonOptions();
        var a = new Argument<string>("a") { Description = "scenario A (built-in name or file)" };
        var b = new Argument<string>("b") { Description = "scenario B (built-in name or file); differences are A − B" };
        var runs = new Option<string>("--runs") { Description = "runs (seeds --seed to --seed + N - 1) of each scenario", DefaultValueFactory = _ => "20" };
        var window = new Option<string>("--window") { Description = "years summed into one extra row (the famine)", DefaultValueFactory = _ => "1958-1961" };
        var output = new Option<string?>("--out", "-o") { Description = "output folder (default out/compare-A-B)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress and no table" };
        var cmd = new Command("compare", "Compare two scenarios on the same seeds: differences in deaths, births, grain, procurement and output with 90 % intervals, and deaths by province");
        cmd.Add(a);
        cmd.Add(b);
        common.AddTo(cmd, withScenario: false);
        cmd.Add(runs);
        cmd.Add(window);
        cmd.Add(output);
        cmd.Add(quiet);
        cmd.SetAction(p =>
        {
            var options = common.Parse(p);
            var n = ExperimentOptions.ParseRuns(p.GetValue(runs)!);
            var windowText = p.GetValue(window)!;
            if (!YearSpan.TryParse(windowText, out var w) || w.FirstYear < options.Years.FirstYear || w.LastYear > options.Years.LastYear)
                throw ExperimentOptions.Bad("--window", $"'{windowText}' is not a span of years within --years {options.Years}");
            var sa = ScenarioLibrary.Resolve(p.GetValue(a)!);
            var sb = ScenarioLibrary.Resolve(p.GetValue(b)!);
            var inputs = common.LoadInputs(p);
            MemoryCheck.Require(inputs.Baseline, sa, options with { Threads = 1 }, common.MemoryBudget(p) / Math.Min(2 * n, options.Threads));
            var outDir = p.GetValue(output) ?? Path.Combine("out", $"compare-{Safe(sa.Name)}-{Safe(sb.Name)}");
            var isQuiet = p.GetValue(quiet);
            if (!isQuiet) ctx.Out.WriteLine($"comparing {sa.Name} with {sb.Name}: {n} runs each at {options.Resolution.Name()} resolution, seeds {options.Seed} to {options.Seed + (ulong)n - 1} (the same for both)");
            var progress = new BatchProgress(ctx, "compare", 2 * n, isQuiet);
            var (ra, rb) = Comparison.Run(sa, sb, new Comparison.Options(options, n, w.FirstYear, w.LastYear, options.Threads), inputs.Baseline, progress, ctx.Cancel);
            var table = Comparison.Summarise(ra, rb, w.FirstYear, w.LastYear);
            var provinces = Comparison.SummariseProvinces(ra, rb, w.FirstYear, w.LastYear, inputs.Baseline.Provinces);

            var parent = Path.GetDirectoryName(Path.GetFullPath(outDir));
            if (!string.IsNullOrEmpty(parent) && Directory.Exists(parent)) AtomicDirectory.CleanStale(parent);
            using (var dir = AtomicDirectory.Begin(outDir))
            {
                TableFiles.Write(dir, table, parquet: false);
                TableFiles.Write(dir, provinces, parquet: false);
                File.WriteAllBytes(dir.PathFor("comparison.png"), ExperimentCharts.Comparison(table, sa.Name, sb.Name, 1400, 1300));
                dir.Commit();
            }
            if (!isQuiet)
            {
                Print(ctx.Out, table, sa.Name, sb.Name, n, progress.Elapsed.TotalSeconds, outDir);
                PrintProvinces(ctx.Out, provinces);
            }
            return Cli.Ok;
        });
        return cmd;
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    public static void Print(TextWriter o, Core.Results.Table t, string a, string b, int runs, double seconds, string outDir)
    {
        string F(double v) => double.IsNaN(v) ? "-" : v.ToString(Math.Abs(v) >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);
        var periods = t["period"].Texts!;
        o.WriteLine($"{a} − {b}, {runs} runs each on the same seeds: the mean difference, the 90 % interval of the mean and the 5-95 % range of the runs'");
        o.WriteLine("differences; 'width' columns: the interval's and the range's width on the same seeds / as they would be on different seeds");
        o.WriteLine($"{"outcome",-16} {"period",-10} {"A",9} {"B",9} {"A − B",9} {"mean 90 % CI",20} {"width",13} {"runs 5-95 %",20} {"width",13}");
        for (var r = 0; r < t.RowCount; r++)
        {
            if (!periods[r].Contains('-') && periods[r] != "total") continue; // the table on screen: window and total; years are in the CSV
            double N(string c) => t[c].Numbers![r];
            o.WriteLine($"{t["outcome"].Texts![r],-16} {periods[r],-10} {F(N("a_mean")),9} {F(N("b_mean")),9} {F(N("difference_mean")),9} "
                + $"{"[" + F(N("difference_mean_ci90_low")) + ", " + F(N("difference_mean_ci90_high")) + "]",20} "
                + $"{F(N("difference_mean_ci90_high") - N("difference_mean_ci90_low")) + " / " + F(N("difference_mean_ci90_high_unpaired") - N("difference_mean_ci90_low_unpaired")),13} "
                + $"{"[" + F(N("difference_q05")) + ", " + F(N("difference_q95")) + "]",20} "
                + $"{F(N("difference_q95") - N("difference_q05")) + " / " + F(N("difference_q95_unpaired") - N("difference_q05_unpaired")),13}");
        }
        o.WriteLine($"units: deaths and births million, grain and procurement Mt, output index points (1957 = 100) summed over the period; by year in comparison.csv");
        o.WriteLine($"wrote {Path.GetFullPath(outDir)} (comparison.csv, comparison_provinces.csv, comparison.png) in {seconds:F0} s");
    }

    /// <summary>The provinces where the difference in deaths per 1,000 of the 1957 population is largest and smallest (all of them in comparison_provinces.csv).</summary>
    public static void PrintProvinces(TextWriter o, Core.Results.Table t)
    {
        var names = t["province"].Texts!;
        var rate = t["difference_per_1000_of_1957_population"].Numbers!;
        var order = Enumerable.Range(0, t.RowCount).Where(r => double.IsFinite(rate[r])).OrderByDescending(r => rate[r]).ToList();
        if (order.Count == 0) return;
        string List(IEnumerable<int> rows) => string.Join(", ", rows.Select(r => $"{names[r]} {rate[r].ToString("F1", CultureInfo.InvariantCulture)}"));
        var shown = Math.Min(3, (order.Count + 1) / 2);
        o.WriteLine($"deaths A − B in {t["period"].Texts![0]} per 1,000 of the 1957 population: highest {List(order.Take(shown))}; lowest {List(order.Skip(shown).TakeLast(shown))}");
    }
}
