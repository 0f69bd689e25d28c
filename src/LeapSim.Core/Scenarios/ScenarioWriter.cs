using System.Globalization;
using System.Text;

namespace LeapSim.Core.Scenarios;

/// <summary>
/// Writes a <see cref="Scenario"/> (as written: parent, parameter overrides, event patches) as a scenario file in the
/// format <see cref="ScenarioReader"/> reads, so that reading the text back gives the same scenario. Names that the
/// format does not allow, settings that would be read as event fields, and numbers that are not finite are refused
/// with an <see cref="InputException"/> naming the key, as the reader would name it.
/// </summary>
public static class ScenarioWriter
{
    /// <summary>Event fields of the format; a setting cannot have one of these names.</summary>
    public static readonly IReadOnlySet<string> EventFields = new HashSet<string>(StringComparer.Ordinal) { "policy", "date", "description", "enabled" };

    /// <param name="header">Comment lines written first, each after "# " (one line each, no line breaks).</param>
    /// <param name="file">The name errors are reported against.</param>
    public static string Write(Scenario scenario, IEnumerable<string>? header = null, string file = "<scenario>")
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var w = new StringBuilder();
        foreach (var line in header ?? [])
        {
            if (line.AsSpan().IndexOfAny('\r', '\n') >= 0) throw new ArgumentException("a header line holds a line break", nameof(header));
            w.Append("# ").Append(line).Append('\n');
        }
        w.Append("name: ").Append(Identifier(scenario.Name, new SourceLocation(file, 0, "name"), "the name")).Append('\n');
        if (scenario.Description.Length > 0) w.Append("description: ").Append(Text(scenario.Description)).Append('\n');
        if (scenario.Extends is { } parent)
        {
            if (parent.Trim().Length == 0) throw new InputException(new SourceLocation(file, 0, "extends"), "the value is empty (omit it to extend default, or write none)");
            w.Append("extends: ").Append(ScenarioReader.IsIdentifier(parent) ? Identifier(parent, default, "") : Text(parent)).Append('\n');
        }
        if (scenario.Parameters.Count > 0)
        {
            w.Append("parameters:\n");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in scenario.Parameters)
            {
                var loc = new SourceLocation(file, 0, "parameters." + p.Name);
                if (!seen.Add(p.Name)) throw new InputException(loc, $"parameter '{p.Name}' is given twice");
                w.Append("  ").Append(Key(p.Name, loc, "a parameter name")).Append(": ").Append(Number(p.Value, loc)).Append('\n');
            }
        }
        if (scenario.Events.Count > 0)
        {
            w.Append("events:\n");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in scenario.Events)
            {
                var path = "events." + e.Id;
                var loc = new SourceLocation(file, 0, path);
                if (!seen.Add(e.Id)) throw new InputException(loc, $"event '{e.Id}' is given twice");
                w.Append("  ").Append(Key(e.Id, loc, "an event id")).Append(":\n");
                var fields = 0;
                if (e.Policy is { } policy)
                {
                    w.Append("    policy: ").Append(Identifier(policy, new SourceLocation(file, 0, path + ".policy"), "the policy key")).Append('\n');
                    fields++;
                }
                if (e.Date is { } date)
                {
                    if (date < Time.Month.Of(Time.Month.BaseYear, 1) || date > Time.Month.Of(2100, 12))
                        throw new InputException(new SourceLocation(file, 0, path + ".date"), $"expected a month between 1957-01 and 2100-12, found {date}");
                    w.Append("    date: ").Append(date.ToString()).Append('\n');
                    fields++;
                }
                if (e.Enabled is { } enabled)
                {
                    w.Append("    enabled: ").Append(enabled ? "true" : "false").Append('\n');
                    fields++;
                }
                if (e.Description is { } description)
                {
                    w.Append("    description: ").Append(description.Length == 0 ? "\"\"" : Text(description)).Append('\n');
                    fields++;
                }
                foreach (var (name, value) in e.Settings)
                {
                    var sloc = new SourceLocation(file, 0, path + "." + name);
                    if (EventFields.Contains(name)) throw new InputException(sloc, $"'{name}' is an event field, not a setting name");
                    w.Append("    ").Append(Key(name, sloc, "a setting name")).Append(": ").Append(Number(value, sloc)).Append('\n');
                    fields++;
                }
                if (fields == 0)
                    throw new InputException(loc, "the event has no fields (give at least one, e.g. 'enabled: false' or 'date: 1959-04')");
            }
        }
        return w.ToString();
    }

    private static string Number(double value, SourceLocation loc) =>
        double.IsFinite(value)
            ? value.ToString("R", CultureInfo.InvariantCulture)
            : throw new InputException(loc, $"expected a finite number, found {value.ToString(CultureInfo.InvariantCulture)}");

    private static string Key(string name, SourceLocation loc, string what) =>
        ScenarioReader.IsIdentifier(name) ? Identifier(name, loc, what)
            : throw new InputException(loc, $"{what} may contain only letters, digits, '_', '.' and '-', found '{Show(name)}'");

    /// <summary>An identifier, plain when YAML reads it as that text, otherwise double-quoted.</summary>
    private static string Identifier(string name, SourceLocation loc, string what)
    {
        if (!ScenarioReader.IsIdentifier(name))
            throw new InputException(loc, $"{what} '{Show(name)}' may contain only letters, digits, '_', '.' and '-'");
        return IsPlainSafe(name) ? name : Quote(name);
    }

    /// <summary>Free text (descriptions, paths): plain when it is ordinary words, otherwise a double-quoted YAML string.</summary>
    private static string Text(string text) => IsPlainSafe(text) ? text : Quote(text);

    /// <summary>
    /// True when the text, written unquoted, reads back as the same string: it starts with a letter, holds only
    /// letters, digits, spaces and harmless punctuation, has no ": " or " #", no space at its end, and is none of the
    /// words YAML reads as null or a boolean.
    /// </summary>
    private static bool IsPlainSafe(string s)
    {
        if (s.Length == 0 || !char.IsAsciiLetter(s[0]) || s[^1] == ' ') return false;
        foreach (var c in s)
            if (!(char.IsAsciiLetterOrDigit(c) || c is ' ' or '_' or '.' or '-' or ',' or '(' or ')' or '/' or '%' or '+' or ';')) return false;
        if (s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal)) return false;
        return s.ToLowerInvariant() is not ("null" or "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n");
    }

    private static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsSurrogate(c)) sb.Append(c); // pairs are kept; lone halves are replaced below
                    else if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF' or '\uFFFE' or '\uFFFF')
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
        for (var i = 0; i < sb.Length; i++)
        {
            if (char.IsHighSurrogate(sb[i]) && i + 1 < sb.Length && char.IsLowSurrogate(sb[i + 1])) { i++; continue; }
            if (char.IsSurrogate(sb[i])) sb[i] = '\uFFFD';
        }
        return sb.ToString();
    }

    private static string Show(string s) => s.Length <= 60 ? s.ReplaceLineEndings(" ") : s[..60].ReplaceLineEndings(" ") + "…";
}
