using System.CommandLine;
using System.Globalization;
using LeapSim.Cli.Output;
using LeapSim.Core.Engine;
using LeapSim.Core.World;

namespace LeapSim.Cli.Commands;

/// <summary>
/// `leapsim bench`: the cost of the monthly step of one run (default scenario, 1957-1966): unit-months per second,
/// bytes of state per month, and the ratio of a month's time to the memory floor measured in the same process
/// (<see cref="StepBenchmark"/>), with each module's share and the allocations of the monthly loop. With
/// <c>--whole-runs N</c> it first times whole runs as <c>leapsim run</c> does them, in this process: the first pays the
/// JIT's compiling, the N after it show what a run costs without the process start (as calibration, ensembles and the
/// web page pay it). Writes nothing that it keeps.
/// </summary>
public static class BenchCommand
{
    public static Command Create(CliContext ctx)
    {
        var common = new CommonOptions();
        var wholeRuns = new Option<string>("--whole-runs")
        {
            Description = "also time this many whole runs in this process first, as 'leapsim run' does them (world built, months stepped, " +
                          "tables, run.json and report.html written to a temporary folder and removed), after one that pays the JIT's compiling",
            DefaultValueFactory = _ => "0",
        };
        var cmd = new Command("bench", "Time the monthly step of one run: unit-months per second, bytes per month, ratio to the memory floor, time by module");
        common.AddTo(cmd);
        cmd.Add(wholeRuns);
        cmd.SetAction(p =>
        {
            var options = common.Parse(p);
            var scenario = common.ResolveScenario(p);
            var inputs = common.LoadInputs(p);
            var whole = ExperimentOptions.ParseCount(p.GetValue(wholeRuns)!, "--whole-runs", 0, 100);
            MemoryCheck.Require(inputs.Baseline, scenario, options, common.MemoryBudget(p));
            var runs = whole > 0 ? TimeWholeRuns(ctx, scenario, options, inputs, whole) : null;
            var r = StepBenchmark.Measure(scenario, options, inputs.Baseline, ctx.Cancel);
            Print(ctx.Out, r, $"{scenario.Name}, {options.Resolution.Name()} resolution, {options.Years.FirstYear}-{options.Years.LastYear}, seed {options.Seed}");
            if (runs is not null) PrintWholeRuns(ctx.Out, runs);
            return Cli.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// Wall seconds of 1 + <paramref name="count"/> whole runs, one after the other in this process, each what
    /// <c>leapsim run --quiet</c> does after reading its command line and inputs (<see cref="RunCommand.Execute"/>):
    /// world built, months stepped, every table as CSV and Parquet, run.json and report.html written, into a
    /// temporary folder that is removed.
    /// </summary>
    private static double[] TimeWholeRuns(CliContext ctx, Core.Scenarios.ResolvedScenario scenario, RunOptions options, RunInputs inputs, int count)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"leapsim-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var seconds = new double[1 + count];
            for (var i = 0; i < seconds.Length; i++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                RunCommand.Execute(ctx, scenario, options, Path.Combine(folder, $"run-{i}"), quiet: true,
                    new RunPlan { Inputs = inputs, CommandLine = ctx.Args });
                seconds[i] = clock.Elapsed.TotalSeconds;
            }
            return seconds;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static void PrintWholeRuns(TextWriter o, double[] seconds)
    {
        var again = seconds[1..].Order().ToArray();
        var median = again.Length % 2 == 1 ? again[again.Length / 2] : (again[again.Length / 2 - 1] + again[again.Length / 2]) / 2;
        o.WriteLine($"  whole run, first       {F(seconds[0], "F3")} s (as 'leapsim run --quiet' after its inputs, the JIT compiling the model and the writers)");
        o.WriteLine($"  whole run, again       {F(median, "F3")} s median of {again.Length} ({F(again[0], "F3")}-{F(again[^1], "F3")}): world, months, tables, run.json, report.html");
    }

    private static string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>How the unit table's pages were mapped (<see cref="LeapSim.Core.Memory.Prefault"/>).</summary>
    private static string PagesNote =>
        !LeapSim.Core.Memory.Prefault.Enabled ? "pages faulted at first touch (LEAPSIM_PREFAULT=0)"
        : LeapSim.Core.Memory.Prefault.Available ? "pages mapped at allocation"
        : "pages faulted at first touch (this system cannot map them at once)";

    public static void Print(TextWriter o, StepBenchmarkResult r, string what)
    {
        o.WriteLine($"bench: {what}");
        o.WriteLine($"  units                  {r.Units:N0} ({F(r.BytesPerUnit, "F0")} bytes a unit), {r.Months} months, {r.Threads} thread(s), {PagesNote}");
        if (r.WarmUpProvince is not null)
            o.WriteLine($"  warm-up                {F(r.WarmUpSeconds, "F2")} s ({r.WarmUpProvince} alone, 1957-1958, not counted)");
        o.WriteLine($"  world built in         {F(r.BuildSeconds, "F2")} s");
        o.WriteLine($"  months stepped in      {F(r.StepSeconds, "F2")} s ({F(r.SecondsPerMonth * 1e3, "F2")} ms a month; processor time {F(r.StepCpuSeconds, "F2")} s on all threads)");
        o.WriteLine($"  unit-months per second {F(r.UnitMonthsPerSecond, "N0")}");
        o.WriteLine($"  bytes of state a month {F(r.BytesPerMonth / 1e6, "F1")} MB");
        o.WriteLine($"  memory floor           {F(r.FloorSeconds * 1e3, "F2")} ms a month (copying those bytes once: {F(2 * r.BytesPerMonth / r.FloorSeconds / 1e9, "F1")} GB/s read + write)");
        o.WriteLine($"  ratio to the floor     {F(r.FloorRatio, "F2")}");
        o.WriteLine($"  allocated in the loop  {r.AllocatedBytes:N0} bytes ({F((double)r.AllocatedBytes / r.Months, "F0")} a month), {r.Gen0Collections} gen0 / {r.Gen2Collections} gen2 collections");
        o.WriteLine($"  peak memory            {F(RunInfo.CurrentPeakMemoryMb(), "F0")} MB");
        o.WriteLine("  a month by part:          time  share  allocated");
        foreach (var (part, seconds, bytes) in r.Parts)
            o.WriteLine($"    {part,-18} {F(seconds * 1e3, "F3"),10} ms {F(100 * seconds / r.SecondsPerMonth, "F1"),5} % {F(bytes, "F0"),6} B");
    }
}
