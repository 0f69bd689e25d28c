using System.Globalization;
using LeapSim.Core.Inputs;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;

namespace LeapSim.Cli.Output;

/// <summary>
/// Reads a table that <see cref="CsvTableWriter"/> wrote (national.csv, provinces.csv, …) back into a <see cref="Table"/>.
/// A column is whole numbers if every field is an integer, numbers if every field is a number, empty (NaN), "Inf" or
/// "-Inf", and text otherwise. Problems are <see cref="InputException"/>s naming file, line and column.
/// </summary>
public static class CsvTableReader
{
    public static Table Read(string path, string? name = null)
    {
        try
        {
            using var reader = new StreamReader(path);
            return Read(reader, Path.GetFileName(path), name ?? Path.GetFileNameWithoutExtension(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(new SourceLocation(path, 0, "<file>"), e.Message);
        }
    }

    public static Table Read(TextReader reader, string file, string name)
    {
        var csv = CsvText.Parse(reader, file);
        if (csv.Header.Length == 0) throw new InputException(new SourceLocation(file, 1, "<header>"), "no header line");
        foreach (var (line, fields) in csv.Rows)
            if (fields.Length != csv.Header.Length)
                throw new InputException(new SourceLocation(file, line, "<row>"), $"{fields.Length} fields, expected {csv.Header.Length}");
        var columns = new List<Column>();
        for (var c = 0; c < csv.Header.Length; c++)
            columns.Add(Infer(csv.Header[c], csv.Rows.Select(r => r.Fields[c]).ToArray()));
        return new Table(name, columns);
    }

    private static Column Infer(string name, string[] texts)
    {
        var ints = new int[texts.Length];
        var allInts = texts.Length > 0;
        for (var i = 0; i < texts.Length && allInts; i++)
            allInts = int.TryParse(texts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out ints[i]);
        if (allInts) return Column.Of(name, ints);
        var numbers = new double[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            var t = texts[i];
            if (t.Length == 0) numbers[i] = double.NaN;
            else if (t == "Inf") numbers[i] = double.PositiveInfinity;
            else if (t == "-Inf") numbers[i] = double.NegativeInfinity;
            else if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
                return Column.Of(name, texts);
        }
        return Column.Of(name, numbers);
    }
}
