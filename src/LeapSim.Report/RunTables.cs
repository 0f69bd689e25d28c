using LeapSim.Core.Results;

namespace LeapSim.Report;

/// <summary>
/// The three tables one run writes (OutputTables): national.csv (a row a year), national_monthly.csv (a row a
/// month) and provinces.csv (a row per province and year).
/// </summary>
public sealed record RunTables(Table National, Table Monthly, Table Provinces)
{
    public const string NationalName = "national", MonthlyName = "national_monthly", ProvincesName = "provinces";

    /// <summary>Picks the tables by name (as OutputTables names them); throws naming a missing one.</summary>
    public static RunTables From(IEnumerable<Table> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var byName = tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Table Get(string name) => byName.TryGetValue(name, out var t) ? t
            : throw new ArgumentException($"the run's tables have no '{name}' table (have: {string.Join(", ", byName.Keys)})", nameof(tables));
        return new RunTables(Get(NationalName), Get(MonthlyName), Get(ProvincesName));
    }
}

/// <summary>Column access that does not care whether a column was stored as whole numbers or as doubles.</summary>
public static class TableData
{
    public static bool Has(this Table t, string column) => t.Columns.Any(c => c.Name == column);

    /// <summary>The column as doubles (whole-number columns converted); throws if it is text or missing.</summary>
    public static double[] Values(this Table t, string column)
    {
        var c = t[column];
        if (c.Numbers is { } n) return n;
        if (c.Integers is { } i) return i.Select(v => (double)v).ToArray();
        throw new ArgumentException($"table {t.Name}: column {column} holds text, not numbers");
    }

    /// <summary>The column as whole numbers (a double column must hold whole values).</summary>
    public static int[] Ints(this Table t, string column)
    {
        var c = t[column];
        if (c.Integers is { } i) return i;
        if (c.Numbers is { } n && n.All(v => v == Math.Floor(v) && Math.Abs(v) < int.MaxValue)) return n.Select(v => (int)v).ToArray();
        throw new ArgumentException($"table {t.Name}: column {column} does not hold whole numbers");
    }

    public static string[] Texts(this Table t, string column) =>
        t[column].Texts ?? throw new ArgumentException($"table {t.Name}: column {column} holds numbers, not text");

    /// <summary>The value of <paramref name="column"/> in the row whose year is <paramref name="year"/>, or NaN.</summary>
    public static double AtYear(this Table t, string column, int year)
    {
        var years = t.Ints("year");
        var i = Array.IndexOf(years, year);
        return i < 0 ? double.NaN : t.Values(column)[i];
    }
}
