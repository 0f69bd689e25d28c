using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;

namespace LeapSim.Core.Experiments;

/// <summary>
/// An outcome the attribution decomposes: a sum over a span of years of one national series, in a unit, counted as
/// what the switched-on mechanisms add (sign +1: deaths) or take away (sign −1: births, grain) against the world with
/// every switch off.
/// </summary>
public sealed record AttributedOutcome(string Name, string Unit, string Description, string Series, int FirstYear, int LastYear, double Scale, int Sign)
{
    public double Measure(MonthlySeries s)
    {
        var yearly = s.Yearly(Series, s.National);
        double sum = 0;
        for (var y = FirstYear; y <= LastYear; y++) sum += yearly[y - s.First.Year];
        return sum * Scale;
    }
}

public enum AttributionMethod { Auto, Exact, Sampled }

/// <summary>
/// Decomposes the famine's outcomes among mechanisms that can be switched off, by Shapley values over the switch
/// combinations (<see cref="Shapley"/>). A coalition S (switches on) is the baseline with the other switches off; its
/// value for an outcome is what S adds against the world with every switch off, on the same seed (common random
/// numbers). Exact: every one of the 2^n coalitions on every seed; Shapley values and pair interactions per seed, then
/// their mean and 90 % interval (Student's t over the seeds). Sampled: random orders of the switches with their
/// reverses, on every seed; the mean and 90 % interval over the (pair of orders, seed) samples. Either way the values
/// of each seed and each order sum to the seed's total exactly, so the mean shares sum to the mean total.
/// </summary>
public static class Attribution
{
    public static readonly IReadOnlyList<AttributedOutcome> Outcomes =
    [
        new("excess_deaths", "million", "deaths 1958-1961 above the all-off world (true deaths)", "deaths", 1958, 1961, 1e-6, +1),
        new("lost_births", "million", "births 1958-1961 below the all-off world (true births)", "births", 1958, 1961, 1e-6, -1),
        new("grain_shortfall", "Mt", "grain output 1959-1961 below the all-off world (real, unhusked)", "grain_output", 1959, 1961, 1e-9, -1),
    ];

    /// <summary>The last year any outcome reads: runs stop there.</summary>
    public static int LastYear => Outcomes.Max(o => o.LastYear);

    /// <summary>Auto chooses exact up to this many switches.</summary>
    public const int AutoExactMaxSwitches = 10;

    public sealed record Options(RunOptions Run, int Runs, AttributionMethod Method = AttributionMethod.Auto, int OrderPairs = 8,
        ulong OrderSeed = 1, int Parallelism = 0, ResolvedScenario? Reference = null);

    public sealed record Result(
        SwitchSet Switches,
        bool Exact,
        int Runs,
        IReadOnlyList<int> Masks,
        /// <summary>Measure[outcome][mask index][run]: the raw outcome of each coalition and seed.</summary>
        double[][][] Measures,
        /// <summary>Measure[outcome][run] of the reference scenario (null when none).</summary>
        double[][]? Reference,
        int[][]? Orders);

    /// <summary>The coalitions to run: all of them (exact), or the prefixes of the orders plus each switch alone and each left out.</summary>
    public static IReadOnlyList<int> Plan(int n, bool exact, int[][]? orders)
    {
        if (exact) return Enumerable.Range(0, 1 << n).ToList();
        var set = new SortedSet<int>(Shapley.CoalitionsFor(n, orders!));
        for (var i = 0; i < n; i++)
        {
            set.Add(1 << i);
            set.Add(Shapley.Full(n) & ~(1 << i));
        }
        return set.ToList();
    }

    public static bool IsExact(Options o, int n) => o.Method switch
    {
        AttributionMethod.Exact => n <= Shapley.MaxExactPlayers
            ? true : throw new InputException(new SourceLocation("<command line>", 0, "--method"), $"exact Shapley values of {n} switches need 2^{n} coalitions; use --method sampled"),
        AttributionMethod.Sampled => false,
        _ => n <= AutoExactMaxSwitches,
    };

    /// <summary>Runs every coalition needed on every seed (seeds Run.Seed …), in parallel, keeping only the outcomes.</summary>
    public static Result Run(SwitchSet switches, Options o, BaselineInputs? inputs = null, IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        var n = switches.Count;
        var exact = IsExact(o, n);
        var orders = exact ? null : Shapley.SampleOrders(n, o.OrderPairs, o.OrderSeed);
        var masks = Plan(n, exact, orders);
        var run = o.Run with { Years = new YearSpan(Month.BaseYear, LastYear) };
        var jobs = new List<RunJob>();
        foreach (var mask in masks)
        {
            var scenario = switches.Scenario(mask);
            for (var r = 0; r < o.Runs; r++) jobs.Add(new RunJob(scenario, run with { Seed = o.Run.Seed + (ulong)r }));
        }
        if (o.Reference is { } reference)
            for (var r = 0; r < o.Runs; r++) jobs.Add(new RunJob(reference, run with { Seed = o.Run.Seed + (ulong)r }));
        var measures = Outcomes.Select(_ => masks.Select(_ => new double[o.Runs]).ToArray()).ToArray();
        var refs = o.Reference is null ? null : Outcomes.Select(_ => new double[o.Runs]).ToArray();
        var coalitionJobs = masks.Count * o.Runs;
        RunBatch.Run(jobs, (j, sim) =>
        {
            for (var k = 0; k < Outcomes.Count; k++)
            {
                var value = Outcomes[k].Measure(sim.Results);
                if (j < coalitionJobs) measures[k][j / o.Runs][j % o.Runs] = value;
                else refs![k][j - coalitionJobs] = value;
            }
        }, o.Parallelism, inputs, progress, cancel);
        return new Result(switches, exact, o.Runs, masks, measures, refs, orders);
    }

    /// <summary>One switch's part of one outcome.</summary>
    public sealed record Share(string Outcome, string Switch, double Mean, double Low, double High, double SharePct, double Alone, double Last);

    /// <summary>The interaction index of a pair of switches for one outcome (exact method only).</summary>
    public sealed record Interaction(string Outcome, string A, string B, double Mean, double Low, double High);

    /// <summary>The coalition values v(S) of run r for outcome k, indexed by mask (NaN for coalitions not run).</summary>
    public static Func<int, double> Values(Result result, int k, int r)
    {
        var sign = Outcomes[k].Sign;
        var index = new Dictionary<int, int>();
        for (var i = 0; i < result.Masks.Count; i++) index[result.Masks[i]] = i;
        var zero = result.Measures[k][index[0]][r];
        return mask => index.TryGetValue(mask, out var i) ? sign * (result.Measures[k][i][r] - zero) : double.NaN;
    }

    /// <summary>Every switch's Shapley value per outcome with its interval, then a "total" row (the all-on value) and,
    /// when a reference was run, a "reference" row (baseline against the reference scenario).</summary>
    public static IReadOnlyList<Share> Shares(Result result)
    {
        var n = result.Switches.Count;
        var full = Shapley.Full(n);
        var list = new List<Share>();
        for (var k = 0; k < Outcomes.Count; k++)
        {
            var perRun = Enumerable.Range(0, result.Runs).Select(r => Values(result, k, r)).ToList();
            // samples[i] = the draws of switch i's Shapley value
            var samples = Enumerable.Range(0, n).Select(_ => new List<double>()).ToArray();
            foreach (var v in perRun)
            {
                if (result.Exact)
                {
                    var table = Enumerable.Range(0, 1 << n).Select(v).ToArray();
                    var phi = Shapley.Exact(n, table);
                    for (var i = 0; i < n; i++) samples[i].Add(phi[i]);
                }
                else
                {
                    var rows = Shapley.MarginalContributions(n, result.Orders!, v);
                    for (var p = 0; p + 1 < rows.Length; p += 2)
                        for (var i = 0; i < n; i++) samples[i].Add((rows[p][i] + rows[p + 1][i]) / 2);
                }
            }
            var totals = perRun.Select(v => v(full)).ToArray();
            var total = Statistics.Mean(totals);
            for (var i = 0; i < n; i++)
            {
                var xs = samples[i].ToArray();
                var (lo, hi) = Statistics.MeanInterval(xs);
                var mean = Statistics.Mean(xs);
                var bit = 1 << i;
                list.Add(new Share(Outcomes[k].Name, result.Switches.Switches[i].Name, mean, lo, hi, 100 * mean / total,
                    perRun.Average(v => v(bit)), perRun.Average(v => v(full) - v(full & ~bit))));
            }
            var (tlo, thi) = Statistics.MeanInterval(totals);
            list.Add(new Share(Outcomes[k].Name, "total", total, tlo, thi, 100, double.NaN, double.NaN));
            if (result.Reference is { } reference)
            {
                var fullIndex = result.Masks.ToList().IndexOf(full);
                var diffs = Enumerable.Range(0, result.Runs)
                    .Select(r => Outcomes[k].Sign * (result.Measures[k][fullIndex][r] - reference[k][r])).ToArray();
                var (rlo, rhi) = Statistics.MeanInterval(diffs);
                list.Add(new Share(Outcomes[k].Name, "reference", Statistics.Mean(diffs), rlo, rhi, 100 * Statistics.Mean(diffs) / total, double.NaN, double.NaN));
            }
        }
        return list;
    }

    /// <summary>The pair interaction indices (exact method only; empty otherwise), with their intervals over the seeds.</summary>
    public static IReadOnlyList<Interaction> Interactions(Result result)
    {
        if (!result.Exact) return [];
        var n = result.Switches.Count;
        var list = new List<Interaction>();
        for (var k = 0; k < Outcomes.Count; k++)
        {
            var perRun = Enumerable.Range(0, result.Runs)
                .Select(r => { var v = Values(result, k, r); return Shapley.Interactions(n, Enumerable.Range(0, 1 << n).Select(v).ToArray()); }).ToList();
            for (var i = 0; i < n; i++)
                for (var j = i + 1; j < n; j++)
                {
                    var xs = perRun.Select(m => m[i, j]).ToArray();
                    var (lo, hi) = Statistics.MeanInterval(xs);
                    list.Add(new Interaction(Outcomes[k].Name, result.Switches.Switches[i].Name, result.Switches.Switches[j].Name, Statistics.Mean(xs), lo, hi));
                }
        }
        return list;
    }

    public static Table SharesTable(IReadOnlyList<Share> shares, SwitchSet switches)
    {
        string Scenario(string name) => switches.Switches.FirstOrDefault(s => s.Name == name)?.Scenario ?? "";
        return new Table("attribution",
        [
            Column.Of("outcome", shares.Select(s => s.Outcome).ToArray()),
            Column.Of("unit", shares.Select(s => Outcomes.First(o => o.Name == s.Outcome).Unit).ToArray()),
            Column.Of("switch", shares.Select(s => s.Switch).ToArray()),
            Column.Of("switched_off_by", shares.Select(s => Scenario(s.Switch)).ToArray()),
            Column.Of("shapley", shares.Select(s => s.Mean).ToArray()),
            Column.Of("ci90_low", shares.Select(s => s.Low).ToArray()),
            Column.Of("ci90_high", shares.Select(s => s.High).ToArray()),
            Column.Of("share_pct", shares.Select(s => s.SharePct).ToArray()),
            Column.Of("alone", shares.Select(s => s.Alone).ToArray()),
            Column.Of("last", shares.Select(s => s.Last).ToArray()),
        ]);
    }

    public static Table InteractionsTable(IReadOnlyList<Interaction> interactions) => new("interactions",
    [
        Column.Of("outcome", interactions.Select(s => s.Outcome).ToArray()),
        Column.Of("switch_a", interactions.Select(s => s.A).ToArray()),
        Column.Of("switch_b", interactions.Select(s => s.B).ToArray()),
        Column.Of("interaction", interactions.Select(s => s.Mean).ToArray()),
        Column.Of("ci90_low", interactions.Select(s => s.Low).ToArray()),
        Column.Of("ci90_high", interactions.Select(s => s.High).ToArray()),
    ]);

    /// <summary>Every coalition run: which switches were on and the mean of each outcome's value over the seeds.</summary>
    public static Table CoalitionsTable(Result result)
    {
        var cols = new List<Column>
        {
            Column.Of("mask", result.Masks.ToArray()),
            Column.Of("switches_on", result.Masks.Select(result.Switches.Label).ToArray()),
        };
        for (var k = 0; k < Outcomes.Count; k++)
        {
            var values = Enumerable.Range(0, result.Runs).Select(r => Values(result, k, r)).ToList();
            cols.Add(Column.Of(Outcomes[k].Name, result.Masks.Select(m => values.Average(v => v(m))).ToArray()));
        }
        return new Table("coalitions", cols);
    }
}
