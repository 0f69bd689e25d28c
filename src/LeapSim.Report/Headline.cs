using System.Globalization;
using System.Text;
using System.Text.Json;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;

namespace LeapSim.Report;

/// <summary>The summary cards at the top of the report: grain, procurement, steel, deaths, births, population.</summary>
internal static class Headline
{
    public static IEnumerable<string> Cards(Table nat, Table? cf, string cfLabel, TargetData data, IReadOnlyList<Target> targets)
    {
        var years = nat.Ints("year");
        if (years.Length == 0) yield break;
        int first = years.Min(), last = years.Max();
        double V(string c, int y) => nat.Has(c) ? nat.AtYear(c, y) : double.NaN;
        int ArgBest(string c, bool max, int from) =>
            years.Where(y => y >= from && double.IsFinite(V(c, y))).DefaultIfEmpty(first)
                .OrderBy(y => (max ? -1 : 1) * V(c, y)).First();
        double Sum(string c, int from, int to) => TargetData.Sum(nat, c, from, to);
        var famine = (From: Math.Max(first, 1958), To: Math.Min(last, 1961));

        // grain
        var low = ArgBest("grain_output_mt", false, first + 1);
        yield return Card("Grain", $"{Mt(V("grain_output_mt", low))} in {low}",
            $"Real grain output {Mt(V("grain_output_mt", first))} in {first}; lowest {Mt(V("grain_output_mt", low))} in {low} ({Pct(V("grain_output_mt", low) / V("grain_output_mt", first) - 1)} against {first}).",
            $"Reported to the centre in {low}: {Mt(V("grain_reported_mt", low))}. Highest reported harvest: {Mt(V("grain_reported_mt", ArgBest("grain_reported_mt", true, first)))} in {ArgBest("grain_reported_mt", true, first)}.");

        // procurement
        var share = years.ToDictionary(y => y, y => V("procurement_mt", y) / V("grain_output_mt", y));
        var worstShare = years.Where(y => double.IsFinite(share[y])).DefaultIfEmpty(first).OrderByDescending(y => share.GetValueOrDefault(y, double.MinValue)).First();
        var peak = ArgBest("procurement_mt", true, first);
        yield return Card("Procurement", $"{Pct(share[worstShare])} of the harvest in {worstShare}",
            $"The state took {Mt(V("procurement_mt", worstShare))} of a real harvest of {Mt(V("grain_output_mt", worstShare))} in {worstShare}; {Pct(share[first])} in {first}.",
            $"Most taken in one year: {Mt(V("procurement_mt", peak))} in {peak}.");

        // steel
        if (famine.From <= Math.Min(last, 1960))
        {
            var (a, b) = (famine.From, Math.Min(last, 1960));
            double made = Sum("steel_output_mt", a, b), usable = Sum("steel_usable_mt", a, b);
            yield return Card($"Steel {a}-{b}", $"{Mt(made)} made",
                $"Fit for use: {Mt(usable)}; unusable share {Pct(1 - usable / made)}{Band(targets, "steel_unusable_share", "%")}.",
                $"{first}: {Mt(V("steel_output_mt", first))} a year.");
        }

        // deaths and births
        if (famine.From <= famine.To)
        {
            var span = $"{famine.From}-{famine.To}";
            var pt = ArgBest("crude_death_rate_permille", true, first);
            var pr = ArgBest("crude_death_rate_registered_permille", true, first);
            yield return Card($"Deaths {span}", $"{M(Sum("deaths_m", famine.From, famine.To))} true",
                $"Registered: {M(Sum("deaths_registered_m", famine.From, famine.To))}.",
                $"Highest crude death rate: true {Pm(V("crude_death_rate_permille", pt))} in {pt}; registered {Pm(V("crude_death_rate_registered_permille", pr))} in {pr}.");
            yield return Card($"Births {span}", $"{M(Sum("births_m", famine.From, famine.To))} true",
                $"Registered: {M(Sum("births_registered_m", famine.From, famine.To))}.",
                $"Lowest crude birth rate (true): {Pm(V("crude_birth_rate_permille", ArgBest("crude_birth_rate_permille", false, first)))} in {ArgBest("crude_birth_rate_permille", false, first)}.");
            if (cf is not null)
            {
                double Ex(string c) => Sum(c, famine.From, famine.To) - TargetData.Sum(cf, c, famine.From, famine.To);
                yield return Card($"Against the {cfLabel}, {span}", $"{M(Ex("deaths_m"))} excess deaths (true)",
                    $"Excess deaths: true {M(Ex("deaths_m"))}{Band(targets, "excess_deaths_true", "M")}; registered {M(Ex("deaths_registered_m"))}{Band(targets, "excess_deaths_registered", "M")}.",
                    $"Births lost: registered {M(-Ex("births_registered_m"))}{Band(targets, "lost_births", "M")}; true {M(-Ex("births_m"))}.");
            }
            else
                yield return Card($"Excess deaths {span}", "needs a counterfactual",
                    "Deaths and births above or below the no-Leap world need the tables of a no-Leap run with the same seed; none was given to this report.",
                    "Run the no-leap scenario and pass its tables as the counterfactual.");
        }

        // population
        var lowPop = ArgBest("population_yearend_m", false, first);
        yield return Card("Population", $"{M(V("population_yearend_m", last))} at the end of {last}",
            $"{M(V("population_yearend_m", first))} at the end of {first}; lowest {M(V("population_yearend_m", lowPop))} at the end of {lowPop}.",
            cf is null ? "" : $"{cfLabel}: {M(cf.AtYear("population_yearend_m", last))} at the end of {last}.");
    }

    private static string Band(IReadOnlyList<Target> targets, string id, string unit)
    {
        var t = targets.FirstOrDefault(t => t.Id == id);
        return t is null ? "" : $" (source texts: {SvgChart.Num(t.Value)} {unit}, band {SvgChart.Num(t.Low)}-{SvgChart.Num(t.High)})";
    }

    private static string Card(string title, string big, string line1, string line2)
    {
        var sb = new StringBuilder("<div class=\"card\"><h3>").Append(Html.Text(title)).Append("</h3><p class=\"big\">").Append(Html.Text(big)).Append("</p><p>")
            .Append(Html.Text(line1)).Append("</p>");
        if (line2.Length > 0) sb.Append("<p>").Append(Html.Text(line2)).Append("</p>");
        return sb.Append("</div>\n").ToString();
    }

    private static string Mt(double v) => double.IsFinite(v) ? v.ToString("0.0", CultureInfo.InvariantCulture) + " Mt" : "n/a";
    private static string M(double v) => double.IsFinite(v) ? v.ToString("0.0", CultureInfo.InvariantCulture) + " M" : "n/a";
    private static string Pm(double v) => double.IsFinite(v) ? v.ToString("0.0", CultureInfo.InvariantCulture) + " ‰" : "n/a";
    private static string Pct(double ratio) => double.IsFinite(ratio) ? (100 * ratio).ToString("0", CultureInfo.InvariantCulture) + " %" : "n/a";
}

/// <summary>The facts of run.json that the header shows (every field optional).</summary>
internal sealed record RunFacts(ulong? Seed, string? Resolution, string? Version, double? WallSeconds, string? Started, IReadOnlyList<string> Chain)
{
    public static RunFacts Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new RunFacts(null, null, null, null, null, []);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var r = doc.RootElement;
            string? S(string name) => r.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            double? D(string name) => r.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
            ulong? seed = r.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetUInt64(out var u) ? u : null;
            var chain = r.TryGetProperty("scenario_chain", out var c) && c.ValueKind == JsonValueKind.Array
                ? c.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList() : [];
            return new RunFacts(seed, S("resolution"), S("version"), D("wall_time_seconds"), S("started_utc"), chain);
        }
        catch (JsonException)
        {
            return new RunFacts(null, null, null, null, null, []);
        }
    }

    public string Describe(ResolvedScenario scenario, Table national)
    {
        var parts = new List<string> { "scenario chain (base first): " + string.Join(" → ", scenario.Chain) };
        if (Seed is { } seed) parts.Add($"seed {seed}");
        if (Resolution is { } res) parts.Add($"{res} resolution");
        var years = national.RowCount == 0 ? [] : national.Ints("year");
        if (years.Length > 0) parts.Add($"years {years.Min()}-{years.Max()}");
        if (Version is { } v) parts.Add($"LeapSim {v}");
        if (WallSeconds is { } w) parts.Add($"ran in {w.ToString("0.0", CultureInfo.InvariantCulture)} s");
        if (Started is { Length: >= 10 } st) parts.Add($"started {st[..10]}");
        return string.Join(" · ", parts);
    }
}
