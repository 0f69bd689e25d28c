namespace LeapSim.Core.Time;

/// <summary>
/// A calendar month as a count of months since January of <see cref="BaseYear"/>.
/// The model steps monthly; every dated thing (events, results, random streams) uses this index.
/// </summary>
public readonly record struct Month(int Index) : IComparable<Month>
{
    /// <summary>The first year the model can represent (the 1957 baseline).</summary>
    public const int BaseYear = 1957;

    public int Year => BaseYear + (Index >= 0 ? Index / 12 : (Index - 11) / 12);

    /// <summary>1 = January … 12 = December.</summary>
    public int MonthOfYear => ((Index % 12) + 12) % 12 + 1;

    public static Month Of(int year, int monthOfYear) => new((year - BaseYear) * 12 + monthOfYear - 1);

    public Month Next => new(Index + 1);

    public int CompareTo(Month other) => Index.CompareTo(other.Index);

    public static bool operator <(Month a, Month b) => a.Index < b.Index;
    public static bool operator >(Month a, Month b) => a.Index > b.Index;
    public static bool operator <=(Month a, Month b) => a.Index <= b.Index;
    public static bool operator >=(Month a, Month b) => a.Index >= b.Index;
    public static int operator -(Month a, Month b) => a.Index - b.Index;

    /// <summary>Parses "YYYY-MM" (and only that).</summary>
    public static bool TryParse(string? text, out Month month)
    {
        month = default;
        if (text is null || text.Length != 7 || text[4] != '-') return false;
        if (!int.TryParse(text.AsSpan(0, 4), System.Globalization.NumberStyles.None, null, out var y)) return false;
        if (!int.TryParse(text.AsSpan(5, 2), System.Globalization.NumberStyles.None, null, out var m)) return false;
        if (m < 1 || m > 12 || y < BaseYear || y > 2100) return false;
        month = Of(y, m);
        return true;
    }

    public override string ToString() => $"{Year:D4}-{MonthOfYear:D2}";
}

/// <summary>A closed span of whole years, e.g. 1957-1966.</summary>
public readonly record struct YearSpan(int FirstYear, int LastYear)
{
    public static readonly YearSpan Default = new(1957, 1966);

    public Month First => Month.Of(FirstYear, 1);
    public int MonthCount => (LastYear - FirstYear + 1) * 12;
    public int YearCount => LastYear - FirstYear + 1;

    public static bool TryParse(string text, out YearSpan span)
    {
        span = default;
        var parts = text.Split('-');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var a) || !int.TryParse(parts[1], out var b)) return false;
        if (a < Month.BaseYear || b < a || b > 2000) return false;
        span = new YearSpan(a, b);
        return true;
    }

    public override string ToString() => $"{FirstYear}-{LastYear}";
}
