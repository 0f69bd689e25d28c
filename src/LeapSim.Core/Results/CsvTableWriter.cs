using System.Globalization;
using System.Text;

namespace LeapSim.Core.Results;

/// <summary>
/// Writes a <see cref="Table"/> as CSV that R (read.csv, readr) and pandas read without options, byte for byte the
/// same on every machine:
/// <list type="bullet">
/// <item>header line of column names, then one line per row; every line ends in "\n" (never "\r\n");</item>
/// <item>numbers in the invariant culture, shortest round-trip form ("0.1", "-2.5", "1E-07"), so parsing the text
/// gives back the exact double;</item>
/// <item>NaN as an empty field (read as NA), infinities as "Inf" / "-Inf" (both R and pandas read those);</item>
/// <item>a field is quoted (RFC 4180, quotes doubled) only if it holds a comma, a quote, "\r" or "\n";</item>
/// <item>in a one-column table an empty field is written as <c>""</c>, so that the line is not blank (readers skip
/// blank lines, which would drop the row).</item>
/// </list>
/// Text must not be null. Encoding is the caller's: the <see cref="Stream"/> overload writes UTF-8 without a BOM.
/// </summary>
public static class CsvTableWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(Table table, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(writer);
        var columns = table.Columns;
        if (columns.Count == 0) return;
        var single = columns.Count == 1;

        for (var c = 0; c < columns.Count; c++)
        {
            if (c > 0) writer.Write(',');
            WriteText(writer, columns[c].Name, single);
        }
        writer.Write('\n');

        Span<char> buffer = stackalloc char[64];
        for (var r = 0; r < table.RowCount; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                if (c > 0) writer.Write(',');
                var column = columns[c];
                if (column.Numbers is { } numbers)
                    WriteNumber(writer, numbers[r], single, buffer);
                else if (column.Integers is { } integers)
                {
                    integers[r].TryFormat(buffer, out var n, default, CultureInfo.InvariantCulture);
                    writer.Write(buffer[..n]);
                }
                else
                {
                    var text = column.Texts![r]
                        ?? throw new ArgumentException($"table {table.Name}: column {column.Name} row {r} is null");
                    WriteText(writer, text, single);
                }
            }
            writer.Write('\n');
        }
    }

    /// <summary>Writes the table as UTF-8 (no byte-order mark) to <paramref name="stream"/>, leaving it open.</summary>
    public static void Write(Table table, Stream stream)
    {
        using var writer = new StreamWriter(stream, Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true);
        Write(table, writer);
    }

    /// <summary>The CSV text of a table (for tests and small tables).</summary>
    public static string ToCsv(Table table)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(table, writer);
        return writer.ToString();
    }

    private static void WriteNumber(TextWriter writer, double value, bool single, Span<char> buffer)
    {
        if (double.IsNaN(value))
        {
            if (single) writer.Write("\"\"");
        }
        else if (double.IsPositiveInfinity(value)) writer.Write("Inf");
        else if (double.IsNegativeInfinity(value)) writer.Write("-Inf");
        else
        {
            // .NET Core 3.0+ formats a double by default as the shortest string that parses back to the same value.
            value.TryFormat(buffer, out var n, default, CultureInfo.InvariantCulture);
            writer.Write(buffer[..n]);
        }
    }

    private static void WriteText(TextWriter writer, string text, bool single)
    {
        if (text.Length == 0)
        {
            if (single) writer.Write("\"\"");
            return;
        }
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(text);
            return;
        }
        writer.Write('"');
        writer.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }
}
