using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LeapSim.Cli.Output;
using LeapSim.Core.Calibration;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Cli.Commands;

/// <summary>
/// `leapsim validate`: the scorecard of the historical run against targets.csv (mean of N runs; excess deaths and
/// lost births against the no-Leap run with the same seeds). `leapsim calibrate`: fit the calibrated parameters.
/// </summary>
public static class ValidateCommand
{
    public static Command Create(CliContext ctx)
    {
        var runs = new Option<string>("--runs") { Description = "runs (seeds 1..N) to average", DefaultValueFactory = _ => "20" };
        var resolution = new Option<string>("--resolution", "-r") { Description = "province, county, commune, brigade or team", DefaultValueFactory = _ => "commune" };
        var json = new Option<bool>("--json") { Description = "print an array of {id, simulated, low, high, pass}" };
        var scenario = new Option<string>("--scenario", "-s") { Description = "historical scenario", DefaultValueFactory = _ => "default" };
        var counterfactual = new Option<string>("--counterfactual") { Description = "the no-Leap counterfactual", DefaultValueFactory = _ => "no-leap" };
        var cmd = new Command("validate", "Score the historical run against the training targets (targets.csv)");
        cmd.Add(runs); cmd.Add(resolution); cmd.Add(json); cmd.Add(scenario); cmd.Add(counterfactual);
        cmd.SetAction(p =>
        {
            var n = ParseRuns(p.GetValue(runs)!);
            var res = ParseResolution(p.GetValue(resolution)!);
            var hist = ScenarioLibrary.Resolve(p.GetValue(scenario)!);
            var cf = ScenarioLibrary.Resolve(p.GetValue(counterfactual)!);
            var score = Validation.Score(hist, cf, new Validation.Options(res, n), cancel: ctx.Cancel);
            if (p.GetValue(json)) ctx.Out.WriteLine(ToJson(score));
            else Print(ctx.Out, score, $"{hist.Name} vs {cf.Name}, {n} run(s) at {res.Name()} resolution");
            return Cli.Ok;
        });
        return cmd;
    }

    public static Command Calibrate(CliContext ctx)
    {
        var runs = new Option<string>("--runs") { Description = "runs per evaluation", DefaultValueFactory = _ => "1" };
        var resolution = new Option<string>("--resolution", "-r") { Description = "resolution of the fitting runs", DefaultValueFactory = _ => "commune" };
        var evaluations = new Option<string>("--evaluations") { Description = "most loss evaluations", DefaultValueFactory = _ => "200" };
        var output = new Option<string>("--out", "-o") { Description = "parameter file to write", DefaultValueFactory = _ => "calibrated.yaml" };
        var version = new Option<string>("--version-label") { Description = "version written in the file", DefaultValueFactory = _ => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        var cmd = new Command("calibrate", "Fit the parameters marked 'calibrated' to targets.csv with the Nelder-Mead simplex; write a parameter file");
        cmd.Add(runs); cmd.Add(resolution); cmd.Add(evaluations); cmd.Add(output); cmd.Add(version);
        cmd.SetAction(p =>
        {
            var n = ParseRuns(p.GetValue(runs)!);
            var res = ParseResolution(p.GetValue(resolution)!);
            if (!int.TryParse(p.GetValue(evaluations), NumberStyles.None, CultureInfo.InvariantCulture, out var maxEval) || maxEval < 1)
                throw new InputException(new SourceLocation("<command line>", 0, "--evaluations"), "not a whole number ≥ 1");
            var hist = ScenarioLibrary.Resolve("default");
            var cf = ScenarioLibrary.Resolve("no-leap");
            var path = p.GetValue(output)!;
            void Save(Calibrator.Result r) => AtomicDirectory.WriteFileAtomically(path, s =>
            {
                using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), 4096, leaveOpen: true);
                w.Write(Calibrator.ToScenarioYaml(r, p.GetValue(version)!, res.Name(), n));
            });
            var calibrator = new Calibrator(hist, cf, new Validation.Options(res, n), line => ctx.Out.WriteLine(line)) { OnImprovement = Save };
            ctx.Out.WriteLine($"fitting {calibrator.Free.Count} parameters to {Targets.Load().Count} targets: {string.Join(", ", calibrator.Free.Select(f => f.Name))}");
            var result = calibrator.Run(maxEval, ctx.Cancel);
            Save(result);
            Print(ctx.Out, result.Score, $"best fit after {result.Evaluations} evaluations (loss {result.Loss:F3})");
            foreach (var (name, value) in result.Parameters) ctx.Out.WriteLine($"  {name} = {value.ToString("G6", CultureInfo.InvariantCulture)}");
            ctx.Out.WriteLine($"wrote {Path.GetFullPath(path)}");
            return Cli.Ok;
        });
        return cmd;
    }

    private static int ParseRuns(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 10_000 ? n
            : throw new InputException(new SourceLocation("<command line>", 0, "--runs"), $"'{text}' is not a whole number from 1 to 10000");

    private static Resolution ParseResolution(string text) =>
        ResolutionNames.TryParse(text, out var r) ? r
            : throw new InputException(new SourceLocation("<command line>", 0, "--resolution"), $"'{text}' is not one of province, county, commune, brigade, team");

    public static string ToJson(IReadOnlyList<ScoreRow> score) =>
        JsonSerializer.Serialize(score.Select(r => new { id = r.Id, simulated = r.Simulated, low = r.Low, high = r.High, pass = r.Pass }),
            new JsonSerializerOptions { WriteIndented = true });

    public static void Print(TextWriter o, IReadOnlyList<ScoreRow> score, string title)
    {
        o.WriteLine(title);
        o.WriteLine($"{"target",-28} {"simulated",10} {"sd",7} {"band",17}  result");
        foreach (var r in score)
            o.WriteLine($"{r.Id,-28} {F(r.Simulated),10} {F(r.StdDev),7} {("[" + F(r.Low) + ", " + F(r.High) + "]"),17}  {(r.Pass ? "pass" : "FAIL")}");
        o.WriteLine($"{score.Count(r => r.Pass)} of {score.Count} targets in band");
    }

    private static string F(double v) => v.ToString(Math.Abs(v) >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);
}
