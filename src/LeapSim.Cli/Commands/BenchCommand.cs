using System.CommandLine;
using System.Globalization;
using LeapSim.Cli.Output;
using LeapSim.Core.Engine;
using LeapSim.Core.World;

namespace LeapSim.Cli.Commands;

/// <summary>
/// `leapsim bench`: the cost of the monthly step of one run (default scenario, 1957-1966): unit-months per second,
/// bytes of state per month, and the ratio of a month's time to the memory floor measured in the same process
/// (<see cref="StepBenchmark"/>), with each module's share and the allocations of the monthly loop. Writes nothing.
/// </summary>
public static class BenchCommand
{
    public static Command Create(CliContext ctx)
    {
        var common = new CommonOptions();
        var cmd = new Command("bench", "Time the monthly step of one run: unit-months per second, bytes per month, ratio to the memory floor, time by module");
        common.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var options = common.Parse(p);
            var scenario = common.ResolveScenario(p);
            var inputs = common.LoadInputs(p);
            MemoryCheck.Require(inputs.Baseline, scenario, options, common.MemoryBudget(p));
            var r = StepBenchmark.Measure(scenario, options, inputs.Baseline, ctx.Cancel);
            Print(ctx.Out, r, $"{scenario.Name}, {options.Resolution.Name()} resolution, {options.Years.FirstYear}-{options.Years.LastYear}, seed {options.Seed}");
            return Cli.Ok;
        });
        return cmd;
    }

    private static string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);

    public static void Print(TextWriter o, StepBenchmarkResult r, string what)
    {
        o.WriteLine($"bench: {what}");
        o.WriteLine($"  units                  {r.Units:N0} ({F(r.BytesPerUnit, "F0")} bytes a unit), {r.Months} months, {r.Threads} thread(s)");
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
