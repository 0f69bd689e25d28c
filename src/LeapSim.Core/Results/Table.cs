namespace LeapSim.Core.Results;

/// <summary>A column of a <see cref="Table"/>: a name and either numbers, whole numbers or text.</summary>
public sealed class Column
{
    private Column(string name, double[]? numbers, int[]? integers, string[]? texts)
    {
        Name = name;
        Numbers = numbers;
        Integers = integers;
        Texts = texts;
    }

    public string Name { get; }
    public double[]? Numbers { get; }
    public int[]? Integers { get; }
    public string[]? Texts { get; }

    public int Length => Numbers?.Length ?? Integers?.Length ?? Texts!.Length;

    public static Column Of(string name, double[] values) => new(name, values, null, null);
    public static Column Of(string name, int[] values) => new(name, null, values, null);
    public static Column Of(string name, string[] values) => new(name, null, null, values);
}

/// <summary>
/// A rectangular result table (e.g. national.csv): named columns of equal length. Front ends write it as CSV or
/// Parquet; the core knows nothing of file formats.
/// </summary>
public sealed class Table
{
    public Table(string name, IReadOnlyList<Column> columns)
    {
        Name = name;
        Columns = columns;
        var n = columns.Count == 0 ? 0 : columns[0].Length;
        foreach (var c in columns)
            if (c.Length != n) throw new ArgumentException($"table {name}: column {c.Name} has {c.Length} rows, expected {n}");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in columns)
            if (!seen.Add(c.Name)) throw new ArgumentException($"table {name}: duplicate column {c.Name}");
        RowCount = n;
    }

    public string Name { get; }
    public IReadOnlyList<Column> Columns { get; }
    public int RowCount { get; }

    public Column this[string name] => Columns.FirstOrDefault(c => c.Name == name)
        ?? throw new KeyNotFoundException($"table {Name} has no column {name}");
}
