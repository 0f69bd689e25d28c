using System.Globalization;
using LeapSim.Core.Scenarios;

namespace LeapSim.Core.Inputs;

/// <summary>
/// A minimal RFC 4180 reader for the input tables: a header row, then rows; quoted fields may hold commas, quotes
/// and newlines. Every problem is an <see cref="InputException"/> naming file, line and column.
/// </summary>
public sealed class CsvText
{
    private readonly string _file;
    private readonly Dictionary<string, int> _index;

    private CsvText(string file, string[] header, List<(int Line, string[] Fields)> rows)
    {
        _file = file;
        Header = header;
        Rows = rows;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
            if (!_index.TryAdd(header[i], i))
                throw new InputException(new SourceLocation(file, 1, header[i]), "duplicate column");
    }

    public string[] Header { get; }
    public List<(int Line, string[] Fields)> Rows { get; }

    public static CsvText Parse(TextReader reader, string file)
    {
        var records = new List<(int, string[])>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var afterQuote = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            if (ch == '\0') throw new InputException(new SourceLocation(file, line, "<content>"), "binary data (NUL byte) in a text table");
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else { inQuotes = false; afterQuote = true; }
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when field.Length == 0 && !afterQuote:
                    inQuotes = true;
                    break;
                case ',':
                    fields.Add(field.ToString()); field.Clear(); afterQuote = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear(); afterQuote = false;
                    if (!(fields.Count == 1 && fields[0].Length == 0)) records.Add((recordLine, fields.ToArray()));
                    fields.Clear();
                    line++;
                    recordLine = line;
                    break;
                default:
                    if (afterQuote) throw new InputException(new SourceLocation(file, line, "<content>"), "text after a closing quote");
                    field.Append(ch);
                    break;
            }
        }
        if (inQuotes) throw new InputException(new SourceLocation(file, recordLine, "<content>"), "a quoted field is never closed");
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields.ToArray()));
        }
        if (records.Count == 0) throw new InputException(new SourceLocation(file, 1, "<header>"), "the file is empty");
        var header = records[0].Item2.Select(h => h.Trim()).ToArray();
        var rows = records.Skip(1).ToList();
        foreach (var (l, f) in rows)
            if (f.Length != header.Length)
                throw new InputException(new SourceLocation(file, l, "<row>"), $"{f.Length} fields where the header has {header.Length}");
        return new CsvText(file, header, rows);
    }

    public void Require(params string[] columns)
    {
        foreach (var c in columns)
            if (!_index.ContainsKey(c))
                throw new InputException(new SourceLocation(_file, 1, c), "required column is missing");
    }

    public string Text((int Line, string[] Fields) row, string column) => row.Fields[_index[column]].Trim();

    /// <summary>A number, or null when the field is empty. Anything else that is not a finite number is an error.</summary>
    public double? OptionalNumber((int Line, string[] Fields) row, string column, double min = double.MinValue, double max = double.MaxValue)
    {
        var s = Text(row, column);
        if (s.Length == 0) return null;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw new InputException(new SourceLocation(_file, row.Line, column), $"'{s}' is not a number");
        if (v < min || v > max)
            throw new InputException(new SourceLocation(_file, row.Line, column), $"{s} is outside [{min}, {max}]");
        return v;
    }

    public double Number((int Line, string[] Fields) row, string column, double min = double.MinValue, double max = double.MaxValue) =>
        OptionalNumber(row, column, min, max)
        ?? throw new InputException(new SourceLocation(_file, row.Line, column), "a value is required");

    public string File => _file;
}
