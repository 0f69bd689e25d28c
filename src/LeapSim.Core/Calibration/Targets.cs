using LeapSim.Core.Inputs;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;

namespace LeapSim.Core.Calibration;

/// <summary>A training target of targets.csv: a value with a tolerance band, and how to measure it from a run.</summary>
public sealed record Target(string Id, string Quantity, string Year, double Value, double Low, double High, string Unit, string HowMeasured);

/// <summary>
/// The training targets (targets.csv, embedded beside the inputs) and how each is measured from a historical run and
/// its no-Leap counterfactual with the same seed. Targets are for judging and for the calibration command; the model
/// never reads them while it runs.
/// </summary>
public static class Targets
{
    public static IReadOnlyList<Target> Load(Func<string, Stream>? open = null)
    {
        open ??= BaselineInputs.OpenEmbedded;
        using var r = new StreamReader(open("targets.csv"));
        var csv = CsvText.Parse(r, "targets.csv");
        csv.Require("id", "quantity", "year", "value", "low", "high", "unit", "how_measured");
        return csv.Rows.Select(row => new Target(csv.Text(row, "id"), csv.Text(row, "quantity"), csv.Text(row, "year"),
            csv.Number(row, "value"), csv.Number(row, "low"), csv.Number(row, "high"), csv.Text(row, "unit"),
            csv.Text(row, "how_measured"))).ToList();
    }

    /// <summary>
    /// The simulated value of every target from one historical run and its no-Leap counterfactual (same seed).
    /// A target this code does not know how to measure is an error (the list must be kept complete).
    /// </summary>
    public static IReadOnlyDictionary<string, double> Measure(MonthlySeries run, MonthlySeries noLeap, IEnumerable<Target> targets)
    {
        var n = run.National;
        double Year(MonthlySeries s, string series, int year) => s.Yearly(series, n)[year - s.First.Year];
        double Mid(MonthlySeries s, string series, int year) => s.YearlyMean(series, n)[year - s.First.Year];
        double Month(MonthlySeries s, string series, int year, int month) => s[series, (year - s.First.Year) * 12 + month - 1, n];
        double Change(string series, int year) => 100 * (Year(run, series, year) / Year(run, series, year - 1) - 1);
        double Cdr(int year) => 1000 * Year(run, "deaths_registered", year) / Mid(run, "population", year);
        double Sum(MonthlySeries s, string series, int a, int b) => Enumerable.Range(a, b - a + 1).Sum(y => Year(s, series, y));
        double PeakMonths(string series, int fromYear, int fromMonth, int toYear, int toMonth)
        {
            var a = (fromYear - run.First.Year) * 12 + fromMonth - 1;
            var b = (toYear - run.First.Year) * 12 + toMonth - 1;
            var best = double.NegativeInfinity;
            for (var m = a; m <= b; m++) best = Math.Max(best, run[series, m, n]);
            return best;
        }

        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var t in targets)
        {
            result[t.Id] = t.Id switch
            {
                "natural_increase_1957" => 100 * (Year(run, "births_registered", 1957) - Year(run, "deaths_registered", 1957)) / Mid(run, "population", 1957),
                "commune_share_1958" => 100 * Month(run, "commune_members", 1958, 9) / Month(run, "rural_population", 1958, 9),
                "industry_growth_1958" => Change("industrial_output", 1958),
                "agri_change_1958" => Change("agricultural_output", 1958),
                "agri_change_1959" => Change("agricultural_output", 1959),
                "agri_change_1960" => Change("agricultural_output", 1960),
                "agri_change_1961" => Change("agricultural_output", 1961),
                "industry_growing_1959_1960" => Year(run, "industrial_output", 1959) > Year(run, "industrial_output", 1958)
                                                && Year(run, "industrial_output", 1960) > Year(run, "industrial_output", 1959) ? 1 : 0,
                "industry_change_1961" => Change("industrial_output", 1961),
                "industry_change_1962" => Change("industrial_output", 1962),
                "cdr_registered_1958" => Cdr(1958),
                "cdr_registered_1959" => Cdr(1959),
                "cdr_registered_1960" => Cdr(1960),
                "cdr_registered_1961" => Cdr(1961),
                "excess_deaths_registered" => 1e-6 * (Sum(run, "deaths_registered", 1958, 1961) - Sum(noLeap, "deaths_registered", 1958, 1961)),
                "excess_deaths_true" => 1e-6 * (Sum(run, "deaths", 1958, 1961) - Sum(noLeap, "deaths", 1958, 1961)),
                "lost_births" => 1e-6 * (Sum(noLeap, "births_registered", 1958, 1961) - Sum(run, "births_registered", 1958, 1961)),
                "grain_reported_1959" => 1e-9 * Year(run, "grain_reported", 1959),
                "grain_real_1959" => 1e-9 * Year(run, "grain_output", 1959),
                "backyard_labour_peak" => 1e-6 * PeakMonths("labour_backyard", 1958, 1, 1958, 12),
                "water_works_labour_1959_60" => 1e-6 * PeakMonths("labour_water_works", 1959, 10, 1960, 3),
                "steel_unusable_share" => 100 * (1 - Sum(run, "steel_usable", 1958, 1960) / Sum(run, "steel_output", 1958, 1960)),
                "private_share_1962" => 100 * Year(run, "private_agricultural_output", 1962) / Year(run, "agricultural_output", 1962),
                "gnp_1962_vs_1957" => Year(run, "national_output", 1962) / Year(run, "national_output", 1957),
                "gnp_1965_vs_1958" => Year(run, "national_output", 1965) / Year(run, "national_output", 1958),
                "population_growth_1963_66" => 1e-6 * (Year(run, "population", 1966) - Year(run, "population", 1962)) / 4,
                _ => throw new InputException(new SourceLocation("targets.csv", 0, t.Id), "no measurement is defined for this target"),
            };
        }
        return result;
    }
}
