using System.CommandLine;
using System.Globalization;
using LeapSim.Core.Engine;
using LeapSim.Core.Scenarios;

namespace LeapSim.Cli.Commands;

/// <summary>`leapsim explain`, `leapsim params`, `leapsim scenarios`: what the model is made of.</summary>
public static class InfoCommands
{
    public static Command Explain(CliContext ctx)
    {
        var cmd = new Command("explain", "Print the monthly step order: each module, what it reads and writes, its policies");
        cmd.SetAction(_ =>
        {
            var o = ctx.Out;
            o.WriteLine("Each month: 0. policy events dated this month set their levers; then, in order:");
            var i = 1;
            foreach (var m in ModuleCatalog.Modules)
            {
                o.WriteLine($"{i++,2}. {m.Name}: {m.Summary}");
                o.WriteLine($"      reads:  {string.Join(", ", m.Reads)}");
                o.WriteLine($"      writes: {string.Join(", ", m.Writes)}");
                foreach (var p in m.Policies)
                    o.WriteLine($"      policy {p.Key}: {p.Description} — settings: {string.Join(", ", p.Settings.Select(s => $"{s.Name} [{Fmt(s.Min)}, {Fmt(s.Max)}] default {Fmt(s.Default)}"))}");
            }
            o.WriteLine($"{i}. results: the collector sums the month's state and flows by province and nation");
            return Cli.Ok;
        });
        return cmd;
    }

    public static Command Params(CliContext ctx)
    {
        var markdown = new Option<bool>("--markdown") { Description = "print a Markdown table (the parameter dictionary)" };
        var cmd = new Command("params", "Print every parameter: name, unit, default, range, source");
        cmd.Add(markdown);
        cmd.SetAction(p =>
        {
            var all = ModuleCatalog.AllParameters().ToList();
            if (p.GetValue(markdown))
            {
                ctx.Out.WriteLine("| name | unit | default | range | source | meaning |");
                ctx.Out.WriteLine("|---|---|---|---|---|---|");
                foreach (var x in all)
                    ctx.Out.WriteLine($"| `{x.Name}` | {x.Unit} | {Fmt(x.Default)} | {Fmt(x.Min)} – {Fmt(x.Max)} | {x.Source.Replace("|", "/")} | {x.Description} |");
                return Cli.Ok;
            }
            foreach (var x in all)
                ctx.Out.WriteLine($"{x.Name} = {Fmt(x.Default)} {x.Unit} [{Fmt(x.Min)}, {Fmt(x.Max)}] — {x.Description}. Source: {x.Source}");
            ctx.Out.WriteLine($"{all.Count} parameters, {all.Count(x => x.IsCalibrated)} calibrated");
            return Cli.Ok;
        });
        return cmd;
    }

    public static Command Scenarios(CliContext ctx)
    {
        var cmd = new Command("scenarios", "List the built-in scenarios");
        cmd.SetAction(_ =>
        {
            foreach (var name in ScenarioLibrary.BuiltinNames)
            {
                var s = ScenarioLibrary.LoadBuiltin(name);
                ctx.Out.WriteLine($"{name,-22} {s.Description}");
            }
            return Cli.Ok;
        });
        return cmd;
    }

    public static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
