namespace LeapSim.Core.Results;

/// <summary>
/// The run's output tables, with units in the column names: national.csv (one row a year), national_monthly.csv
/// (one row a month, flows and rates at a yearly rate), provinces.csv (one row per province and year). Rates are
/// per mille of the mean of the twelve month-end populations (the mid-year population); urban and rural death
/// rates are registered rates; indices have the 1957 year = 100. Procurement is gross (quotas and any emergency levy);
/// resales are the grain sold back to the villages (fixed sales and relief); net procurement is the difference.
/// </summary>
public static class OutputTables
{
    public static readonly string[] NationalColumns =
    [
        "year", "population_yearend_m", "births_m", "deaths_m", "births_registered_m", "deaths_registered_m",
        "crude_birth_rate_permille", "crude_death_rate_permille", "crude_birth_rate_registered_permille",
        "crude_death_rate_registered_permille", "urban_population_m", "rural_population_m",
        "urban_crude_death_rate_permille", "rural_crude_death_rate_permille", "grain_output_mt", "grain_reported_mt",
        "procurement_mt", "resales_mt", "net_procurement_mt", "grain_exports_mt", "grain_imports_mt", "rural_food_per_capita_kg", "steel_output_mt",
        "steel_usable_mt", "agricultural_output_index", "industrial_output_index", "national_output_index",
        "labour_farming_m", "labour_backyard_m", "labour_water_works_m", "labour_industry_m", "commune_share_pct",
        "private_share_pct",
    ];

    public static readonly string[] ProvinceColumns =
    [
        "year", "province", "population_yearend_m", "births_m", "deaths_m", "crude_birth_rate_permille",
        "crude_death_rate_permille", "crude_death_rate_registered_permille", "grain_output_mt", "procurement_mt",
        "resales_mt", "net_procurement_mt", "rural_food_per_capita_kg",
    ];

    /// <summary>The three tables a run writes, in file order: national, national_monthly, provinces.</summary>
    public static IReadOnlyList<Table> All(MonthlySeries s, int firstYear) =>
        [National(s, firstYear), NationalMonthly(s, firstYear), Provinces(s, firstYear)];

    /// <summary>The yearly national table for the years <paramref name="firstYear"/>..last of the run.</summary>
    public static Table National(MonthlySeries s, int firstYear)
    {
        var n = s.National;
        var skip = firstYear - s.First.Year;
        var years = Enumerable.Range(s.First.Year + skip, s.MonthCount / 12 - skip).ToArray();
        var cols = new List<Column> { Column.Of("year", years) };
        cols.AddRange(NationalSeries(
            (name, scale) => s.Yearly(name, n).Skip(skip).Select(v => v * scale).ToArray(),
            name => s.YearlyMean(name, n).Skip(skip).ToArray(),
            perYear: 1));
        return new Table("national", cols);
    }

    /// <summary>The monthly national table: stocks at month end; flows and rates at a yearly rate (×12).</summary>
    public static Table NationalMonthly(MonthlySeries s, int firstYear)
    {
        var n = s.National;
        var start = (firstYear - s.First.Year) * 12;
        var months = s.MonthCount - start;
        double[] M(string name, double scale = 1) => s.Path(name, n).Skip(start).Select(v => v * scale).ToArray();
        var cols = new List<Column>
        {
            Column.Of("year", Enumerable.Range(start, months).Select(m => s.First.Year + m / 12).ToArray()),
            Column.Of("month", Enumerable.Range(start, months).Select(m => m % 12 + 1).ToArray()),
        };
        cols.AddRange(NationalSeries((name, scale) => M(name, scale), name => M(name), perYear: 12));
        cols.AddRange(
        [
            Column.Of("rural_intake_kcal", M("rural_intake")),
            Column.Of("rural_bmi", M("rural_bmi")),
            Column.Of("political_pressure", M("political_pressure")),
            Column.Of("state_grain_stock_mt", M("state_grain_stock", 1e-9)),
            Column.Of("rural_grain_stock_mt", M("rural_grain_stock", 1e-9)),
        ]);
        return new Table("national_monthly", cols);
    }

    /// <summary>
    /// The national columns after year (and month), defined once for both tables. <paramref name="flow"/> gives a
    /// series summed over each period (times a scale), <paramref name="stock"/> the mean population over the period;
    /// <paramref name="perYear"/> turns a period's flow into a yearly rate (1 for years, 12 for months). Index
    /// series are flows of index points, so a month's value × 12 is the yearly level it runs at.
    /// </summary>
    private static IEnumerable<Column> NationalSeries(Func<string, double, double[]> flow, Func<string, double[]> stock, double perYear)
    {
        double[] F(string name, double scale = 1) => flow(name, scale);
        double[] Ratio(double[] a, double[] b, double scale) => a.Zip(b, (x, y) => y > 0 ? scale * x / y : double.NaN).ToArray();
        double[] Rate(string name, string population) => Ratio(F(name), stock(population), 1000 * perYear);
        var grain = F("grain_output");
        var procured = F("procurement", 1e-9);
        var resold = F("resales", 1e-9);
        return
        [
            Column.Of("population_yearend_m", F("population", 1e-6)),
            Column.Of("births_m", F("births", 1e-6)),
            Column.Of("deaths_m", F("deaths", 1e-6)),
            Column.Of("births_registered_m", F("births_registered", 1e-6)),
            Column.Of("deaths_registered_m", F("deaths_registered", 1e-6)),
            Column.Of("crude_birth_rate_permille", Rate("births", "population")),
            Column.Of("crude_death_rate_permille", Rate("deaths", "population")),
            Column.Of("crude_birth_rate_registered_permille", Rate("births_registered", "population")),
            Column.Of("crude_death_rate_registered_permille", Rate("deaths_registered", "population")),
            Column.Of("urban_population_m", F("urban_population", 1e-6)),
            Column.Of("rural_population_m", F("rural_population", 1e-6)),
            Column.Of("urban_crude_death_rate_permille", Rate("urban_deaths_registered", "urban_population")),
            Column.Of("rural_crude_death_rate_permille", Rate("rural_deaths_registered", "rural_population")),
            Column.Of("grain_output_mt", F("grain_output", 1e-9)),
            Column.Of("grain_reported_mt", F("grain_reported", 1e-9)),
            Column.Of("procurement_mt", procured),
            Column.Of("resales_mt", resold),
            Column.Of("net_procurement_mt", procured.Zip(resold, (p, r) => p - r).ToArray()),
            Column.Of("grain_exports_mt", F("grain_exports", 1e-9)),
            Column.Of("grain_imports_mt", F("grain_imports", 1e-9)),
            Column.Of("rural_food_per_capita_kg", Ratio(F("rural_food"), stock("rural_population"), perYear)),
            Column.Of("steel_output_mt", F("steel_output", 1e-6)),
            Column.Of("steel_usable_mt", F("steel_usable", 1e-6)),
            Column.Of("agricultural_output_index", F("agricultural_output", perYear)),
            Column.Of("industrial_output_index", F("industrial_output", perYear)),
            Column.Of("national_output_index", F("national_output", perYear)),
            Column.Of("labour_farming_m", F("labour_farming", 1e-6)),
            Column.Of("labour_backyard_m", F("labour_backyard", 1e-6)),
            Column.Of("labour_water_works_m", F("labour_water_works", 1e-6)),
            Column.Of("labour_industry_m", F("labour_industry", 1e-6)),
            Column.Of("commune_share_pct", Ratio(F("commune_members"), F("rural_population"), 100)),
            Column.Of("private_share_pct", Ratio(F("private_agricultural_output"), F("agricultural_output"), 100)),
        ];
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
                var procured = Y("procurement");
                var resold = Y("resales");
                values["procurement_mt"][i] = procured * 1e-9;
                values["resales_mt"][i] = resold * 1e-9;
                values["net_procurement_mt"][i] = (procured - resold) * 1e-9;
                var rural = Mid("rural_population");
                values["rural_food_per_capita_kg"][i] = rural > 0 ? Y("rural_food") / rural : double.NaN;
            }
        var cols = new List<Column> { Column.Of("year", year), Column.Of("province", name) };
        cols.AddRange(ProvinceColumns.Skip(2).Select(c => Column.Of(c, values[c])));
        return new Table("provinces", cols);
    }
}
