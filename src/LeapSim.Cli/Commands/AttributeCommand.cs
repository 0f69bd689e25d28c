using System.CommandLine;
using System.Globalization;
using LeapSim.Cli.Output;
using LeapSim.Core.Experiments;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Cli.Commands;

/// <summary>
/// `leapsim attribute [--runs N]`: the famine's excess deaths, lost births and 1959-61 grain shortfall decomposed
/// among the mechanisms that can be switched off, by Shapley values over the switch combinations (attribution.csv,
/// interactions.csv, coalitions.csv, attribution.png).
/// </summary>
public static class AttributeCommand
{
    public static Command Create(CliContext ctx)
    {
        var common = new CommonOptions();
        var runs = new Option<string>("--runs") { Description = "seeds each combination is run on (common random numbers)", DefaultValueFactory = _ => "2" };
        var baseline = new Option<string>("--baseline") { Description = "the scenario whose outcomes are decomposed", DefaultValueFactory = _ => "default" };
        var switches = new Option<string?>("--switches") { Description = "switches as NAME=SCENARIO (or SCENARIO), comma-separated; the scenario switches the mechanism off (default: " + string.Join(",", SwitchSet.Defaults.Select(d => d.Name + "=" + d.Scenario)) + ")" };
        var rest = new Option<string>("--rest") { Description = $"a scenario whose remaining changes form one more switch, '{SwitchSet.RestName}' ('none': no such switch)", DefaultValueFactory = _ => "no-leap" };
        var reference = new Option<string>("--reference") { Description = "also measure the baseline against this scenario on the same seeds ('none': skip)", DefaultValueFactory = _ => "no-leap" };
        var method = new Option<string>("--method") { Description = $"exact (all 2^n combinations), sampled (random orders of the switches) or auto (exact up to {Attribution.AutoExactMaxSwitches} switches)", DefaultValueFactory = _ => "auto" };
        var orders = new Option<string>("--orders") { Description = "sampled method: pairs of random orders (each order and its reverse)", DefaultValueFactory = _ => "8" };
        var output = new Option<string>("--out", "-o") { Description = "output folder", DefaultValueFactory = _ => Path.Combine("out", "attribution") };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress and no table" };
        var cmd = new Command("attribute", "Decompose the famine's excess deaths, lost births and grain shortfall among the mechanisms that can be switched off (Shapley values)");
        common.AddTo(cmd, withScenario: false);
        foreach (var o in new Option[] { runs, baseline, switches, rest, reference, method, orders, output, quiet }) cmd.Add(o);
        cmd.SetAction(p =>
        {
            var options = common.Parse(p);
            if (p.GetValue(common.Years) is { } y && y != "1957-1966")
                throw ExperimentOptions.Bad("--years", $"the attribution always runs 1957-{Attribution.LastYear} (its outcomes are 1958-1961); leave --years out");
            var n = ExperimentOptions.ParseRuns(p.GetValue(runs)!);
            var m = p.GetValue(method)!.ToLowerInvariant() switch
            {
                "auto" => AttributionMethod.Auto,
                "exact" => AttributionMethod.Exact,
                "sampled" => AttributionMethod.Sampled,
                var other => throw ExperimentOptions.Bad("--method", $"'{other}' is not exact, sampled or auto"),
            };
            var pairs = ExperimentOptions.ParseCount(p.GetValue(orders)!, "--orders", 1, 10_000);
            var baseScenario = ScenarioLibrary.Resolve(p.GetValue(baseline)!);
            var named = p.GetValue(switches) is { } list ? ParseSwitches(list) : SwitchSet.Defaults;
            var restName = p.GetValue(rest)!;
            var set = SwitchSet.Create(baseScenario, named, restName == "none" ? null : restName, ScenarioLibrary.Resolve);
            var referenceName = p.GetValue(reference)!;
            var refScenario = referenceName == "none" ? null : ScenarioLibrary.Resolve(referenceName);
            var inputs = common.LoadInputs(p);
            MemoryCheck.Require(inputs.Baseline, baseScenario, options with { Threads = 1 }, common.MemoryBudget(p) / options.Threads);
            var o = new Attribution.Options(options, n, m, pairs, options.Seed, options.Threads, refScenario);
            var exact = Attribution.IsExact(o, set.Count);
            var masks = Attribution.Plan(set.Count, exact, exact ? null : Shapley.SampleOrders(set.Count, pairs, options.Seed));
            var total = masks.Count * n + (refScenario is null ? 0 : n);
            var isQuiet = p.GetValue(quiet);
            if (!isQuiet)
            {
                ctx.Out.WriteLine($"attributing {baseScenario.Name} among {set.Count} switches ({(exact ? "exact" : $"sampled, {2 * pairs} orders")}): {masks.Count} combinations × {n} seeds{(refScenario is null ? "" : $" + {n} runs of {refScenario.Name}")} = {total} runs of 1957-{Attribution.LastYear} at {options.Resolution.Name()} resolution");
                for (var i = 0; i < set.Count; i++) ctx.Out.WriteLine($"  {set.Switches[i].Name,-24} off = {set.Switches[i].Scenario}: {set.Switches[i].Description}");
            }
            var progress = new BatchProgress(ctx, "attribute", total, isQuiet);
            var result = Attribution.Run(set, o, inputs.Baseline, progress, ctx.Cancel);
            var shares = Attribution.Shares(result);
            var interactions = Attribution.Interactions(result);

            var outDir = p.GetValue(output)!;
            var parent = Path.GetDirectoryName(Path.GetFullPath(outDir));
            if (!string.IsNullOrEmpty(parent) && Directory.Exists(parent)) AtomicDirectory.CleanStale(parent);
            using (var dir = AtomicDirectory.Begin(outDir))
            {
                TableFiles.Write(dir, Attribution.SharesTable(shares, set), parquet: false);
                if (interactions.Count > 0) TableFiles.Write(dir, Attribution.InteractionsTable(interactions), parquet: false);
                TableFiles.Write(dir, Attribution.CoalitionsTable(result), parquet: false);
                File.WriteAllBytes(dir.PathFor("attribution.png"), ExperimentCharts.Attribution(shares, 1400, 1500));
                dir.Commit();
            }
            if (!isQuiet) Print(ctx.Out, shares, interactions, set, n, exact, progress.Elapsed.TotalSeconds, outDir);
            return Cli.Ok;
        });
        return cmd;
    }

    private static IReadOnlyList<(string Name, string Scenario)> ParseSwitches(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(item =>
        {
            var eq = item.IndexOf('=');
            var (name, scenario) = eq < 0 ? (Path.GetFileNameWithoutExtension(item), item) : (item[..eq].Trim(), item[(eq + 1)..].Trim());
            if (name.Length == 0 || scenario.Length == 0) throw ExperimentOptions.Bad("--switches", $"'{item}' is not NAME=SCENARIO");
            return (name, scenario);
        }).ToList();

    public static void Print(TextWriter o, IReadOnlyList<Attribution.Share> shares, IReadOnlyList<Attribution.Interaction> interactions,
        SwitchSet set, int runs, bool exact, double seconds, string outDir)
    {
        string F(double v) => double.IsNaN(v) ? "" : v.ToString("F2", CultureInfo.InvariantCulture);
        foreach (var outcome in Attribution.Outcomes)
        {
            o.WriteLine();
            o.WriteLine($"{outcome.Name} ({outcome.Unit}): {outcome.Description}");
            o.WriteLine($"  {"switch",-24} {"Shapley",8} {"90 % interval",18} {"share",7} {"alone",8} {"last",8}");
            foreach (var s in shares.Where(s => s.Outcome == outcome.Name))
                o.WriteLine($"  {s.Switch,-24} {F(s.Mean),8} {"[" + F(s.Low) + ", " + F(s.High) + "]",18} {F(s.SharePct) + "%",7} {F(s.Alone),8} {F(s.Last),8}");
            var rows = shares.Where(s => s.Outcome == outcome.Name && s.Switch is not "total" and not "reference").ToList();
            var total = shares.First(s => s.Outcome == outcome.Name && s.Switch == "total").Mean;
            o.WriteLine($"  the shares sum to {F(rows.Sum(s => s.Mean))} (total {F(total)}); each switch alone adds {F(rows.Sum(s => s.Alone))} together, each switched off last removes {F(rows.Sum(s => s.Last))}: the rest is interaction");
            foreach (var x in interactions.Where(x => x.Outcome == outcome.Name).OrderByDescending(x => Math.Abs(x.Mean)).Take(3))
                o.WriteLine($"  interaction {x.A} × {x.B}: {F(x.Mean)} [{F(x.Low)}, {F(x.High)}]");
        }
        o.WriteLine();
        o.WriteLine($"intervals: 90 % of the mean over {runs} seed(s){(exact ? "" : " and the sampled orders")}; 'alone' = the switch on with all others off, 'last' = all on less all on but this one");
        o.WriteLine($"wrote {Path.GetFullPath(outDir)} (attribution.csv, {(interactions.Count > 0 ? "interactions.csv, " : "")}coalitions.csv, attribution.png) in {seconds:F0} s");
    }
}
