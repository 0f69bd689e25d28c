using System.CommandLine;
using System.Globalization;
using LeapSim.Cli.Output;
using LeapSim.Core.Engine;
using LeapSim.Core.Experiments;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using Table = LeapSim.Core.Results.Table;

namespace LeapSim.Cli.Commands;

/// <summary>
/// `leapsim sensitivity`: Morris screening of the headline outcomes over the calibrated and uncertain parameters
/// (sensitivity.csv ranked by μ*, points.csv with every point's parameters and outcomes, sensitivity.png).
/// </summary>
public static class SensitivityCommand
{
    /// <summary>The outcomes printed on screen (all are in the CSV).</summary>
    public static readonly string[] Shown = ["excess_deaths_true", "excess_deaths_registered", "lost_births", "grain_real_1959"];

    public static Command Create(CliContext ctx)
    {
        var common = new CommonOptions();
        var parameters = new Option<string?>("--parameters") { Description = "parameters to study, comma-separated (default: every calibrated and 'assumption' parameter)" };
        var span = new Option<string>("--span") { Description = "each parameter moves over its value ± this share of it, within its declared range", DefaultValueFactory = _ => "0.25" };
        var trajectories = new Option<string>("--trajectories") { Description = "Morris trajectories (each is one run per parameter + 1, twice with the counterfactual)", DefaultValueFactory = _ => "4" };
        var levels = new Option<string>("--levels") { Description = "grid levels of each parameter's range (even)", DefaultValueFactory = _ => "4" };
        var runs = new Option<string>("--runs") { Description = "seeds per point (the same seeds at every point)", DefaultValueFactory = _ => "1" };
        var counterfactual = new Option<string>("--counterfactual") { Description = "scenario the excess deaths and lost births are measured against ('none': leave them out)", DefaultValueFactory = _ => "no-leap" };
        var output = new Option<string>("--out", "-o") { Description = "output folder", DefaultValueFactory = _ => Path.Combine("out", "sensitivity") };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress and no table" };
        var cmd = new Command("sensitivity", "Global sensitivity (Morris screening) of the headline outcomes to the calibrated and uncertain parameters");
        common.AddTo(cmd);
        foreach (var o in new Option[] { parameters, span, trajectories, levels, runs, counterfactual, output, quiet }) cmd.Add(o);
        cmd.SetAction(p =>
        {
            var options = common.Parse(p);
            if (options.Years != Core.Time.YearSpan.Default)
                throw ExperimentOptions.Bad("--years", "the headline outcomes need 1957-1966; leave --years out");
            var scenario = common.ResolveScenario(p);
            var cfName = p.GetValue(counterfactual)!;
            var cf = cfName == "none" ? null : ScenarioLibrary.Resolve(cfName);
            var s = ExperimentOptions.ParseNumber(p.GetValue(span)!, "--span", 0.001, 10);
            var r = ExperimentOptions.ParseCount(p.GetValue(trajectories)!, "--trajectories", 2, 10_000);
            var lv = ExperimentOptions.ParseCount(p.GetValue(levels)!, "--levels", 2, 100);
            if (lv % 2 != 0) throw ExperimentOptions.Bad("--levels", $"{lv} is odd; Morris's design needs an even number of levels");
            var n = ExperimentOptions.ParseRuns(p.GetValue(runs)!);
            var names = p.GetValue(parameters)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var factors = Sensitivity.Factors(scenario, names, s);
            if (factors.Count == 0) throw ExperimentOptions.Bad("--parameters", "no parameter has a range to move over");
            var design = Morris.Create(factors.Count, r, lv, options.Seed);
            var outcomes = Headlines.Names(cf is not null);
            var inputs = common.LoadInputs(p);
            MemoryCheck.Require(inputs.Baseline, scenario, options with { Threads = 1 }, common.MemoryBudget(p) / options.Threads);
            var isQuiet = p.GetValue(quiet);
            var jobs = design.Points.Length * n;
            if (!isQuiet)
                ctx.Out.WriteLine($"Morris screening of {factors.Count} parameters (value ± {s:P0}): {r} trajectories × {factors.Count + 1} points × {n} seed(s) = {jobs} points{(cf is null ? "" : $", each with its {cf.Name} run")}, at {options.Resolution.Name()} resolution");
            var where = new SourceLocation("<sensitivity>", 0, "parameters");
            var factorNames = factors.Select(f => f.Name).ToList();
            var y = new double[design.Points.Length][];
            var perSeed = new double[jobs][];
            var progress = new BatchProgress(ctx, "sensitivity", jobs, isQuiet);
            RunBatch.ForEach(jobs, (j, threads) =>
            {
                var values = Sensitivity.Values(factors, design.Points[j / n]);
                var o = options with { Seed = options.Seed + (ulong)(j % n), Threads = threads };
                perSeed[j] = PointEvaluation.Evaluate(PointEvaluation.WithParameters(scenario, factorNames, values, where),
                    cf is null ? null : PointEvaluation.WithParameters(cf, factorNames, values, where), o, inputs.Baseline, ctx.Cancel).ToArray();
            }, options.Threads, progress, ctx.Cancel);
            for (var i = 0; i < design.Points.Length; i++)
                y[i] = Enumerable.Range(0, outcomes.Count).Select(k => Enumerable.Range(0, n).Average(sd => perSeed[i * n + sd][k])).ToArray();
            var table = Sensitivity.Table(factors, outcomes, design, y);
            var points = PointsTable(factors, outcomes, design, y);

            var outDir = p.GetValue(output)!;
            var parent = Path.GetDirectoryName(Path.GetFullPath(outDir));
            if (!string.IsNullOrEmpty(parent) && Directory.Exists(parent)) AtomicDirectory.CleanStale(parent);
            using (var dir = AtomicDirectory.Begin(outDir))
            {
                TableFiles.Write(dir, table, parquet: false);
                TableFiles.Write(dir, points, parquet: false);
                File.WriteAllBytes(dir.PathFor("sensitivity.png"), ExperimentCharts.Sensitivity(table, Shown.Where(outcomes.Contains).ToList(), 12, 1400, 1300));
                dir.Commit();
            }
            if (!isQuiet) Print(ctx.Out, table, outcomes, progress.Elapsed.TotalSeconds, outDir);
            return Cli.Ok;
        });
        return cmd;
    }

    private static Table PointsTable(IReadOnlyList<Factor> factors, IReadOnlyList<string> outcomes, Morris.Design design, double[][] y)
    {
        var cols = new List<Column>
        {
            Column.Of("point", Enumerable.Range(0, design.Points.Length).ToArray()),
            Column.Of("trajectory", Enumerable.Range(0, design.Points.Length).Select(i => i / (factors.Count + 1)).ToArray()),
        };
        for (var f = 0; f < factors.Count; f++)
            cols.Add(Column.Of(factors[f].Name, design.Points.Select(p => factors[f].Low + (factors[f].High - factors[f].Low) * p[f]).ToArray()));
        for (var o = 0; o < outcomes.Count; o++) cols.Add(Column.Of(outcomes[o], y.Select(v => v[o]).ToArray()));
        return new Table("points", cols);
    }

    private static void Print(TextWriter o, Table t, IReadOnlyList<string> outcomes, double seconds, string outDir)
    {
        string F(double v) => v.ToString(Math.Abs(v) >= 100 ? "F0" : "F3", CultureInfo.InvariantCulture);
        foreach (var outcome in Shown.Where(outcomes.Contains))
        {
            o.WriteLine();
            o.WriteLine($"{outcome}: the parameters that move it most (μ* = mean |change| over the parameter's range; σ: non-linearity and interactions)");
            for (var r = 0; r < t.RowCount; r++)
            {
                if (t["outcome"].Texts![r] != outcome || t["rank"].Integers![r] > 8) continue;
                o.WriteLine($"  {t["rank"].Integers![r],2}. {t["parameter"].Texts![r],-44} μ* {F(t["mu_star"].Numbers![r]),8} [{F(t["mu_star_ci90_low"].Numbers![r])}, {F(t["mu_star_ci90_high"].Numbers![r])}]  μ {F(t["mu"].Numbers![r]),8}  σ {F(t["sigma"].Numbers![r]),8}  range {F(t["low"].Numbers![r])}-{F(t["high"].Numbers![r])}");
            }
        }
        o.WriteLine();
        o.WriteLine($"wrote {Path.GetFullPath(outDir)} (sensitivity.csv, points.csv, sensitivity.png) in {seconds:F0} s");
    }
}
