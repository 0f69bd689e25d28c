namespace LeapSim.Core.Results;

/// <summary>
/// The run's output tables, with units in the column names: national.csv (one row a year), national_monthly.csv
/// (one row a month, flows and rates at a yearly rate), provinces.csv (one row per province and year). Rates are
/// per mille of the mean of the twelve month-end populations (the mid-year population); urban and rural death
/// rates are registered rates; indices have the 1957 year = 100.
/// </summary>
public static class OutputTables
{
    public static readonly string[] NationalColumns =
    [
        "year", "population_yearend_m", "births_m", "deaths_m", "births_registered_m", "deaths_registered_m",
        "crude_birth_rate_permille", "crude_death_rate_permille", "crude_birth_rate_registered_permille",
        "crude_death_rate_registered_permille", "urban_population_m", "rural_population_m",
        "urban_crude_death_rate_permille", "rural_crude_death_rate_permille", "grain_output_mt", "grain_reported_mt",
        "procurement_mt", "grain_exports_mt", "grain_imports_mt", "rural_food_per_capita_kg", "steel_output_mt",
        "steel_usable_mt", "agricultural_output_index", "industrial_output_index", "national_output_index",
        "labour_farming_m", "labour_backyard_m", "labour_water_works_m", "labour_industry_m", "commune_share_pct",
        "private_share_pct",
    ];

    public static readonly string[] ProvinceColumns =
    [
        "year", "province", "population_yearend_m", "births_m", "deaths_m", "crude_birth_rate_permille",
        "crude_death_rate_permille", "crude_death_rate_registered_permille", "grain_output_mt", "procurement_mt",
        "rural_food_per_capita_kg",
    ];

    /// <summary>The yearly national table for the years <paramref name="firstYear"/>..last of the run.</summary>
    public static Table National(MonthlySeries s, int firstYear)
    {
        var n = s.National;
        var years = s.MonthCount / 12;
        var skip = firstYear - s.First.Year;
        int[] Years() => Enumerable.Range(s.First.Year + skip, years - skip).ToArray();
        double[] Y(string name, double scale = 1) => s.Yearly(name, n).Skip(skip).Select(v => v * scale).ToArray();
        double[] Mid(string name) => s.YearlyMean(name, n).Skip(skip).ToArray();
        double[] Rate(string flow, string stock) => Y(flow).Zip(Mid(stock), (f, p) => p > 0 ? 1000 * f / p : double.NaN).ToArray();
        double[] Ratio(double[] a, double[] b, double scale) => a.Zip(b, (x, y) => y > 0 ? scale * x / y : double.NaN).ToArray();

        var agri = Y("agricultural_output");
        var priv = Y("private_output");
        var grain = Y("grain_output");
        var cols = new List<Column>
        {
            Column.Of("year", Years()),
            Column.Of("population_yearend_m", Y("population", 1e-6)),
            Column.Of("births_m", Y("births", 1e-6)),
            Column.Of("deaths_m", Y("deaths", 1e-6)),
            Column.Of("births_registered_m", Y("births_registered", 1e-6)),
            Column.Of("deaths_registered_m", Y("deaths_registered", 1e-6)),
            Column.Of("crude_birth_rate_permille", Rate("births", "population")),
            Column.Of("crude_death_rate_permille", Rate("deaths", "population")),
            Column.Of("crude_birth_rate_registered_permille", Rate("births_registered", "population")),
            Column.Of("crude_death_rate_registered_permille", Rate("deaths_registered", "population")),
            Column.Of("urban_population_m", Y("urban_population", 1e-6)),
            Column.Of("rural_population_m", Y("rural_population", 1e-6)),
            Column.Of("urban_crude_death_rate_permille", Rate("urban_deaths_registered", "urban_population")),
            Column.Of("rural_crude_death_rate_permille", Rate("rural_deaths_registered", "rural_population")),
            Column.Of("grain_output_mt", Y("grain_output", 1e-9)),
            Column.Of("grain_reported_mt", Y("grain_reported", 1e-9)),
            Column.Of("procurement_mt", Y("procurement", 1e-9)),
            Column.Of("grain_exports_mt", Y("grain_exports", 1e-9)),
            Column.Of("grain_imports_mt", Y("grain_imports", 1e-9)),
            Column.Of("rural_food_per_capita_kg", Ratio(Y("rural_food"), Mid("rural_population"), 1)),
            Column.Of("steel_output_mt", Y("steel_output", 1e-6)),
            Column.Of("steel_usable_mt", Y("steel_usable", 1e-6)),
            Column.Of("agricultural_output_index", agri),
            Column.Of("industrial_output_index", Y("industrial_output")),
            Column.Of("national_output_index", Y("national_output")),
            Column.Of("labour_farming_m", Y("labour_farming", 1e-6)),
            Column.Of("labour_backyard_m", Y("labour_backyard", 1e-6)),
            Column.Of("labour_water_works_m", Y("labour_water_works", 1e-6)),
            Column.Of("labour_industry_m", Y("labour_industry", 1e-6)),
            Column.Of("commune_share_pct", Ratio(Y("commune_members"), Y("rural_population"), 100)),
            Column.Of("private_share_pct", Ratio(priv, grain, 100)),
        };
        return new Table("national", cols);
    }

    /// <summary>The monthly national table: stocks at month end; flows and rates at a yearly rate (×12).</summary>
    public static Table NationalMonthly(MonthlySeries s, int firstYear)
    {
        var n = s.National;
        var start = (firstYear - s.First.Year) * 12;
        var months = s.MonthCount - start;
        double[] M(string name, double scale = 1) => s.Path(name, n).Skip(start).Select(v => v * scale).ToArray();
        double[] Rate(string flow, string stock) => M(flow).Zip(M(stock), (f, p) => p > 0 ? 12000 * f / p : double.NaN).ToArray();
        double[] Ratio(double[] a, double[] b, double scale) => a.Zip(b, (x, y) => y > 0 ? scale * x / y : double.NaN).ToArray();
        var grain = M("grain_output");
        var cols = new List<Column>
        {
            Column.Of("year", Enumerable.Range(start, months).Select(m => s.First.Year + m / 12).ToArray()),
            Column.Of("month", Enumerable.Range(start, months).Select(m => m % 12 + 1).ToArray()),
            Column.Of("population_yearend_m", M("population", 1e-6)),
            Column.Of("births_m", M("births", 1e-6)),
            Column.Of("deaths_m", M("deaths", 1e-6)),
            Column.Of("births_registered_m", M("births_registered", 1e-6)),
            Column.Of("deaths_registered_m", M("deaths_registered", 1e-6)),
            Column.Of("crude_birth_rate_permille", Rate("births", "population")),
            Column.Of("crude_death_rate_permille", Rate("deaths", "population")),
            Column.Of("crude_birth_rate_registered_permille", Rate("births_registered", "population")),
            Column.Of("crude_death_rate_registered_permille", Rate("deaths_registered", "population")),
            Column.Of("urban_population_m", M("urban_population", 1e-6)),
            Column.Of("rural_population_m", M("rural_population", 1e-6)),
            Column.Of("urban_crude_death_rate_permille", Rate("urban_deaths_registered", "urban_population")),
            Column.Of("rural_crude_death_rate_permille", Rate("rural_deaths_registered", "rural_population")),
            Column.Of("grain_output_mt", M("grain_output", 1e-9)),
            Column.Of("grain_reported_mt", M("grain_reported", 1e-9)),
            Column.Of("procurement_mt", M("procurement", 1e-9)),
            Column.Of("grain_exports_mt", M("grain_exports", 1e-9)),
            Column.Of("grain_imports_mt", M("grain_imports", 1e-9)),
            Column.Of("rural_food_per_capita_kg", Ratio(M("rural_food"), M("rural_population"), 12)),
            Column.Of("steel_output_mt", M("steel_output", 1e-6)),
            Column.Of("steel_usable_mt", M("steel_usable", 1e-6)),
            Column.Of("agricultural_output_index", M("agricultural_output", 12)),
            Column.Of("industrial_output_index", M("industrial_output", 12)),
            Column.Of("national_output_index", M("national_output", 12)),
            Column.Of("labour_farming_m", M("labour_farming", 1e-6)),
            Column.Of("labour_backyard_m", M("labour_backyard", 1e-6)),
            Column.Of("labour_water_works_m", M("labour_water_works", 1e-6)),
            Column.Of("labour_industry_m", M("labour_industry", 1e-6)),
            Column.Of("commune_share_pct", Ratio(M("commune_members"), M("rural_population"), 100)),
            Column.Of("private_share_pct", Ratio(M("private_output"), grain, 100)),
            Column.Of("rural_intake_kcal", M("rural_intake")),
            Column.Of("rural_bmi", M("rural_bmi")),
            Column.Of("political_pressure", M("political_pressure")),
            Column.Of("state_grain_stock_mt", M("state_grain_stock", 1e-9)),
            Column.Of("rural_grain_stock_mt", M("rural_grain_stock", 1e-9)),
        };
        return new Table("national_monthly", cols);
    }

    public static Table Provinces(MonthlySeries s, int firstYear)
    {
        var years = s.MonthCount / 12;
        var skip = firstYear - s.First.Year;
        var rows = (years - skip) * s.Provinces.Count;
        var year = new int[rows];
        var name = new string[rows];
        var values = ProvinceColumns.Skip(2).ToDictionary(c => c, _ => new double[rows]);
        var i = 0;
        for (var y = skip; y < years; y++)
            for (var p = 0; p < s.Provinces.Count; p++, i++)
            {
                double Y(string series) => s.Yearly(series, p)[y];
                double Mid(string series) => s.YearlyMean(series, p)[y];
                year[i] = s.First.Year + y;
                name[i] = s.Provinces[p];
                var pop = Mid("population");
                values["population_yearend_m"][i] = Y("population") * 1e-6;
                values["births_m"][i] = Y("births") * 1e-6;
                values["deaths_m"][i] = Y("deaths") * 1e-6;
                values["crude_birth_rate_permille"][i] = pop > 0 ? 1000 * Y("births") / pop : double.NaN;
                values["crude_death_rate_permille"][i] = pop > 0 ? 1000 * Y("deaths") / pop : double.NaN;
                values["crude_death_rate_registered_permille"][i] = pop > 0 ? 1000 * Y("deaths_registered") / pop : double.NaN;
                values["grain_output_mt"][i] = Y("grain_output") * 1e-9;
                values["procurement_mt"][i] = Y("procurement") * 1e-9;
                var rural = Mid("rural_population");
                values["rural_food_per_capita_kg"][i] = rural > 0 ? Y("rural_food") / rural : double.NaN;
            }
        var cols = new List<Column> { Column.Of("year", year), Column.Of("province", name) };
        cols.AddRange(ProvinceColumns.Skip(2).Select(c => Column.Of(c, values[c])));
        return new Table("provinces", cols);
    }
}
