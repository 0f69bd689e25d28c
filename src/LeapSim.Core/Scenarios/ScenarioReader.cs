using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using LeapSim.Core.Time;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LeapSim.Core.Scenarios;

/// <summary>
/// Reads a scenario file (YAML) into a <see cref="Scenario"/>. Only the form is checked here; whether parameter
/// names, policies and values make sense is decided later by the resolver.
/// </summary>
/// <remarks>
/// <para>The format, one YAML document, UTF-8, at most 1 MiB:</para>
/// <code>
/// # LeapSim scenario
/// name: no-backyard-steel          # required; letters, digits, '_', '.', '-'
/// description: The steel drive of 1958 never happens.   # optional text
/// extends: default                 # optional: a built-in name, a path relative to this file, or "none"
/// parameters:                      # optional: parameter name -> number
///   farming.harvest_labour_elasticity: 0.6
/// events:                          # optional: event id -> fields, in file order
///   backyard_steel_drive:
///     enabled: false               # switch an inherited event off (true/false)
///   imports_1959:
///     policy: grain_trade          # optional policy key (omitted: the resolver decides)
///     date: 1959-04                # YYYY-MM, 1957-01 to 2100-12, quoted or not
///     description: Imports bought from spring 1959
///     imports_mt_per_year: 3.0     # any other key: a numeric setting of the policy
/// </code>
/// <para>Rules:</para>
/// <list type="bullet">
/// <item>Top-level keys are exactly name, description, extends, parameters and events. Omitting extends gives
/// <see cref="Scenario.Extends"/> = null (the resolver reads that as "default"); "none" is kept as "none".</item>
/// <item>Parameter names, event ids, setting names and policy keys are made of ASCII letters, digits, '_', '.'
/// and '-', like the scenario name.</item>
/// <item>Numbers are plain (unquoted) decimal numbers in the invariant culture: <c>3</c>, <c>-0.5</c>,
/// <c>1.2e-3</c>. Not allowed: quoted numbers, NaN, infinities (<c>.inf</c>, <c>1e400</c>), hex, octal,
/// <c>1_000</c>, text, lists, mappings, an empty value.</item>
/// <item>enabled is plain true or false (also True/TRUE/False/FALSE); yes/no/on/off are errors.</item>
/// <item>An empty "parameters:" or "events:" means none; an event with an empty body is an error. An empty
/// description (top level or event) is "".</item>
/// <item>A key may appear only once in its mapping (event ids are unique in the file).</item>
/// <item>Not allowed: anchors and aliases, tags (<c>!!str</c>), several documents, keys that are lists or
/// mappings, nesting deeper than the format, control characters other than tab and line breaks.</item>
/// </list>
/// <para>Every problem is an <see cref="InputException"/> naming the file, the 1-based line (0 when the problem
/// has no line, e.g. an empty file or a missing name) and the dotted key path: "events.imports_1959.date",
/// "parameters.farming.harvest_labour_elasticity", "&lt;document&gt;" for the file as a whole, "&lt;file&gt;"
/// when it cannot be read. The first problem found is reported: YAML syntax, aliases, tags, duplicate keys and
/// too deep nesting are found in one pass over the whole file before the meaning of values is checked.</para>
/// </remarks>
public static class ScenarioReader
{
    /// <summary>The largest scenario file <see cref="Load"/> accepts, in bytes (1 MiB).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>The key reported for problems with the file as a whole.</summary>
    public const string DocumentKey = "<document>";

    /// <summary>The key reported when the file cannot be read at all.</summary>
    public const string FileKey = "<file>";

    private static readonly string[] TopLevelKeys = ["name", "description", "extends", "parameters", "events"];

    /// <summary>Mappings and lists may nest this deep (top level, events, an event's body); deeper is an error.</summary>
    private const int MaxContainerDepth = 3;

    /// <summary>Reads and parses a scenario file. A missing, unreadable, oversized or non-UTF-8 file is an <see cref="InputException"/>.</summary>
    public static Scenario Load(string path)
    {
        var file = string.IsNullOrEmpty(path) ? "<no file>" : path;
        if (string.IsNullOrWhiteSpace(path))
            throw new InputException(new SourceLocation(file, 0, FileKey), "no file name was given");

        byte[] bytes;
        try
        {
            if (Directory.Exists(path))
                throw new InputException(new SourceLocation(file, 0, FileKey), "this is a directory, not a scenario file");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            bytes = ReadAtMost(stream, MaxFileBytes + 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException
                                      or NotSupportedException or System.Security.SecurityException)
        {
            var problem = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "the file does not exist",
                UnauthorizedAccessException => "the file cannot be read (permission denied)",
                _ => "the file cannot be read: " + OneLine(e.Message, 200),
            };
            throw new InputException(new SourceLocation(file, 0, FileKey), problem);
        }

        if (bytes.Length > MaxFileBytes)
            throw new InputException(new SourceLocation(file, 0, FileKey),
                $"the file is larger than 1 MiB ({MaxFileBytes} bytes); a scenario file should be a few kilobytes");

        return Parse(DecodeUtf8(bytes, file), file);
    }

    /// <summary>
    /// Parses scenario text. <paramref name="fileName"/> is used in error messages and as
    /// <see cref="Scenario.SourceFile"/>. Throws only <see cref="InputException"/>, whatever the text.
    /// </summary>
    public static Scenario Parse(string yamlText, string fileName)
    {
        var file = string.IsNullOrEmpty(fileName) ? "<memory>" : fileName;
        if (yamlText is null)
            throw new InputException(new SourceLocation(file, 0, DocumentKey), "there is no text to read");
        if (yamlText.Length > 0 && yamlText[0] == '\uFEFF') yamlText = yamlText[1..];

        CheckCharacters(yamlText, file);
        var root = new TreeReader(yamlText, file).ReadDocument();
        return new Mapper(file).Map(root);
    }

    // ---------------------------------------------------------------- reading bytes and characters

    private static byte[] ReadAtMost(Stream stream, int limit)
    {
        var buffer = new byte[Math.Min(limit, stream.CanSeek ? (int)Math.Min(stream.Length, limit) : 64 * 1024)];
        var count = 0;
        while (count < limit)
        {
            if (count == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min((long)limit, Math.Max(1024L, 2L * buffer.Length)));
            var read = stream.Read(buffer, count, buffer.Length - count);
            if (read == 0) break;
            count += read;
        }
        if (count != buffer.Length) Array.Resize(ref buffer, count);
        return buffer;
    }

    private static string DecodeUtf8(byte[] bytes, string file)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        var chars = new char[span.Length];
        var status = Utf8.ToUtf16(span, chars, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            var line = 1 + span[..bytesRead].Count((byte)'\n');
            var what = bytesRead < span.Length ? $"byte 0x{span[bytesRead]:X2}" : "an incomplete character at the end";
            throw new InputException(new SourceLocation(file, line, DocumentKey),
                $"the file is not UTF-8 text ({what}); save it as UTF-8");
        }
        return new string(chars, 0, charsWritten);
    }

    /// <summary>Rejects characters YAML does not allow (controls, lone surrogates, U+FFFE/U+FFFF), usually binary junk.</summary>
    private static void CheckCharacters(string text, string file)
    {
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))) { line++; continue; }
            bool bad;
            if (char.IsHighSurrogate(c))
            {
                bad = i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
                if (!bad) { i++; continue; }
            }
            else
            {
                bad = (c < 0x20 && c != '\t' && c != '\r') || c == 0x7F || (c >= 0x80 && c <= 0x9F && c != 0x85)
                      || char.IsLowSurrogate(c) || c == '\uFFFE' || c == '\uFFFF';
            }
            if (bad)
                throw new InputException(new SourceLocation(file, line, DocumentKey),
                    $"the file contains a character that is not allowed in YAML text (U+{(int)c:X4}); is it a text file?");
        }
    }

    // ---------------------------------------------------------------- YAML events -> a small tree with lines

    private abstract class Node(int line)
    {
        public int Line { get; } = line;
    }

    private sealed class ScalarNode(int line, string value, bool plain) : Node(line)
    {
        public string Value { get; } = value;
        public bool Plain { get; } = plain;
        public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";
    }

    private sealed class MapNode(int line, List<KeyValuePair<ScalarNode, Node>> entries) : Node(line)
    {
        public List<KeyValuePair<ScalarNode, Node>> Entries { get; } = entries;
    }

    private sealed class SeqNode(int line) : Node(line);

    /// <summary>
    /// Pulls events from YamlDotNet's parser and builds the tree, rejecting what the format never allows: syntax
    /// errors, several documents, aliases, anchors, tags, non-scalar or empty keys, duplicate keys, deep nesting.
    /// </summary>
    private sealed class TreeReader(string text, string file)
    {
        private readonly Parser _parser = new(new StringReader(text));
        private string? _lastKey;

        public Node ReadDocument()
        {
            Expect<StreamStart>();
            var first = Next();
            if (first is StreamEnd) throw Empty();
            if (first is not DocumentStart) throw Unexpected(first);

            var root = ReadNode(Next(), 1, "");
            var end = Next();
            if (end is not DocumentEnd) throw Unexpected(end);
            var after = Next();
            if (after is DocumentStart)
                throw new InputException(Loc(after, DocumentKey),
                    "a scenario file holds one YAML document; found the start of a second one ('---')");
            if (after is not StreamEnd) throw Unexpected(after);
            if (root is ScalarNode { IsNull: true }) throw Empty();
            return root;
        }

        private InputException Empty() => new(new SourceLocation(file, 0, DocumentKey), "the file is empty");

        private Node ReadNode(ParsingEvent e, int depth, string path)
        {
            if (e is AnchorAlias)
                throw new InputException(Loc(e, KeyOr(path)), "anchors and aliases are not allowed (write the value out)");
            if (e is NodeEvent n)
            {
                if (!n.Anchor.IsEmpty)
                    throw new InputException(Loc(e, KeyOr(path)), "anchors and aliases are not allowed (write the value out)");
                if (!n.Tag.IsEmpty && !n.Tag.IsNonSpecific)
                    throw new InputException(Loc(e, KeyOr(path)), "tags (such as !!str) are not allowed");
            }

            switch (e)
            {
                case Scalar s:
                    return new ScalarNode(Line(e), s.Value, s.Style == ScalarStyle.Plain);
                case MappingStart:
                {
                    if (depth > MaxContainerDepth) throw TooDeep(e, path, "a mapping");
                    var entries = new List<KeyValuePair<ScalarNode, Node>>();
                    var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                    while (true)
                    {
                        var k = Next();
                        if (k is MappingEnd) break;
                        var key = ReadKey(k, path);
                        var keyPath = path.Length == 0 ? Show(key.Value) : path + "." + Show(key.Value);
                        if (seen.TryGetValue(key.Value, out var firstLine))
                            throw new InputException(new SourceLocation(file, key.Line, keyPath),
                                $"duplicate key '{Show(key.Value)}' (first written on line {firstLine})");
                        seen.Add(key.Value, key.Line);
                        _lastKey = keyPath;
                        var value = ReadNode(Next(), depth + 1, keyPath);
                        entries.Add(new(key, value));
                    }
                    return new MapNode(Line(e), entries);
                }
                case SequenceStart:
                {
                    if (depth > MaxContainerDepth) throw TooDeep(e, path, "a list");
                    // No list is part of the format; read it through so that errors inside come in file order,
                    // and let the mapper say what was expected instead.
                    while (true)
                    {
                        var item = Next();
                        if (item is SequenceEnd) break;
                        ReadNode(item, depth + 1, path);
                    }
                    return new SeqNode(Line(e));
                }
                default:
                    throw Unexpected(e);
            }
        }

        private ScalarNode ReadKey(ParsingEvent e, string path)
        {
            if (e is MappingStart or SequenceStart)
                throw new InputException(Loc(e, KeyOr(path)), "a key must be a single name, not a list or mapping");
            var node = ReadNode(e, MaxContainerDepth + 1, path);
            if (node is not ScalarNode key) throw Unexpected(e);
            if (key.Value.Length == 0)
                throw new InputException(Loc(e, KeyOr(path)), "a key is empty (a line starts with ':'?)");
            return key;
        }

        private InputException TooDeep(ParsingEvent e, string path, string what) =>
            new(Loc(e, KeyOr(path)), $"nesting deeper than the format allows: expected a single value here, found {what}");

        private InputException Unexpected(ParsingEvent e) =>
            new(Loc(e, _lastKey ?? DocumentKey), $"unexpected YAML structure ({e.GetType().Name})");

        private void Expect<T>() where T : ParsingEvent
        {
            var e = Next();
            if (e is not T) throw Unexpected(e);
        }

        private ParsingEvent Next()
        {
            bool moved;
            try
            {
                moved = _parser.MoveNext();
            }
            catch (YamlException ex)
            {
                throw new InputException(new SourceLocation(file, ToLine(ex.Start.Line), _lastKey ?? DocumentKey),
                    "YAML syntax error: " + OneLine(ex.Message, 200));
            }
            catch (Exception ex) when (ex is not InputException)
            {
                // YamlDotNet should only throw YamlException; anything else is still bad input to us.
                throw new InputException(new SourceLocation(file, 0, _lastKey ?? DocumentKey),
                    "the file could not be read as YAML: " + OneLine(ex.Message, 200));
            }
            if (!moved || _parser.Current is null)
                throw new InputException(new SourceLocation(file, 0, _lastKey ?? DocumentKey), "unexpected end of the file");
            return _parser.Current;
        }

        private SourceLocation Loc(ParsingEvent e, string key) => new(file, Line(e), key);

        private static int Line(ParsingEvent e) => ToLine(e.Start.Line);

        private static string KeyOr(string path) => path.Length == 0 ? DocumentKey : path;
    }

    private static int ToLine(long line) => line < 0 ? 0 : line > int.MaxValue ? int.MaxValue : (int)line;

    // ---------------------------------------------------------------- tree -> Scenario

    private sealed class Mapper(string file)
    {
        public Scenario Map(Node root)
        {
            if (root is not MapNode top)
                throw new InputException(new SourceLocation(file, root.Line, DocumentKey),
                    $"the top level must be a mapping of keys ({string.Join(", ", TopLevelKeys)}), found {Kind(root)}");

            string? name = null, extends = null;
            var description = "";
            var parameters = new List<ParameterOverride>();
            var events = new List<EventPatch>();

            foreach (var (keyNode, value) in top.Entries)
            {
                var key = keyNode.Value;
                switch (key)
                {
                    case "name":
                        name = Text(value, "name", required: true)!;
                        if (!IsIdentifier(name))
                            throw new InputException(At(value, "name"),
                                $"the name '{Show(name)}' may contain only letters, digits, '_', '.' and '-'");
                        break;
                    case "description":
                        description = Text(value, "description", required: false) ?? "";
                        break;
                    case "extends":
                        extends = Text(value, "extends", required: true, emptyHint: " (omit it to extend default, or write none)");
                        break;
                    case "parameters":
                        ReadParameters(value, parameters);
                        break;
                    case "events":
                        ReadEvents(value, events);
                        break;
                    default:
                        throw new InputException(At(keyNode, Show(key)),
                            $"unknown key '{Show(key)}' (allowed at the top level: {string.Join(", ", TopLevelKeys)})");
                }
            }

            if (name is null)
                throw new InputException(new SourceLocation(file, 0, "name"), "the scenario has no name (add a line 'name: my-scenario')");

            return new Scenario
            {
                Name = name,
                Description = description,
                Extends = extends,
                SourceFile = file,
                Parameters = parameters,
                Events = events,
            };
        }

        private void ReadParameters(Node value, List<ParameterOverride> into)
        {
            if (value is ScalarNode { IsNull: true }) return;
            if (value is not MapNode map)
                throw new InputException(At(value, "parameters"),
                    $"parameters must be a mapping of parameter name to number, found {Kind(value)}");
            foreach (var (keyNode, v) in map.Entries)
            {
                var path = "parameters." + Show(keyNode.Value);
                RequireIdentifier(keyNode, path, "a parameter name");
                into.Add(new ParameterOverride(keyNode.Value, Number(v, path), At(v, path)));
            }
        }

        private void ReadEvents(Node value, List<EventPatch> into)
        {
            if (value is ScalarNode { IsNull: true }) return;
            if (value is not MapNode map)
                throw new InputException(At(value, "events"),
                    $"events must be a mapping of event id to event fields, found {Kind(value)}");
            foreach (var (idNode, body) in map.Entries)
                into.Add(ReadEvent(idNode, body));
        }

        private EventPatch ReadEvent(ScalarNode idNode, Node body)
        {
            var id = idNode.Value;
            var path = "events." + Show(id);
            RequireIdentifier(idNode, path, "an event id");
            if (body is ScalarNode { IsNull: true })
                throw new InputException(At(body, path),
                    "the event has no fields (give at least one, e.g. 'enabled: false' or 'date: 1959-04')");
            if (body is not MapNode map)
                throw new InputException(At(body, path),
                    $"an event must be a mapping of fields (policy, date, description, enabled, settings), found {Kind(body)}");

            string? policy = null, description = null;
            Month? date = null;
            bool? enabled = null;
            SourceLocation? dateLocation = null, policyLocation = null;
            var settings = new Dictionary<string, double>(StringComparer.Ordinal);
            var settingLocations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);

            foreach (var (keyNode, v) in map.Entries)
            {
                var key = keyNode.Value;
                var keyPath = path + "." + Show(key);
                switch (key)
                {
                    case "policy":
                        policy = Text(v, keyPath, required: true)!;
                        if (!IsIdentifier(policy))
                            throw new InputException(At(v, keyPath),
                                $"the policy key '{Show(policy)}' may contain only letters, digits, '_', '.' and '-'");
                        policyLocation = At(v, keyPath);
                        break;
                    case "date":
                    {
                        var text = Text(v, keyPath, required: true)!;
                        if (!Month.TryParse(text, out var month))
                            throw new InputException(At(v, keyPath),
                                $"expected a month as YYYY-MM between 1957-01 and 2100-12, found '{Show(text)}'");
                        date = month;
                        dateLocation = At(v, keyPath);
                        break;
                    }
                    case "description":
                        description = Text(v, keyPath, required: false) ?? "";
                        break;
                    case "enabled":
                        enabled = Bool(v, keyPath);
                        break;
                    default:
                        RequireIdentifier(keyNode, keyPath, "a setting name");
                        settings.Add(key, Number(v, keyPath));
                        settingLocations.Add(key, At(v, keyPath));
                        break;
                }
            }

            return new EventPatch(id, policy, date, settings, settingLocations, enabled, description,
                At(idNode, path), dateLocation, policyLocation);
        }

        /// <summary>A scalar's text; null for an empty value unless <paramref name="required"/>.</summary>
        private string? Text(Node value, string path, bool required, string emptyHint = "")
        {
            if (value is not ScalarNode s)
                throw new InputException(At(value, path), $"expected a single value, found {Kind(value)}");
            if (s.IsNull || (required && s.Value.Trim().Length == 0))
            {
                if (required) throw new InputException(At(value, path), "the value is empty" + emptyHint);
                return null;
            }
            return s.Value;
        }

        private double Number(Node value, string path)
        {
            if (value is not ScalarNode s)
                throw new InputException(At(value, path), $"expected a number, found {Kind(value)}");
            if (s.IsNull)
                throw new InputException(At(value, path), "expected a number, found an empty value");
            if (!s.Plain)
                throw new InputException(At(value, path), $"expected a number, found quoted text '{Show(s.Value)}' (remove the quotes)");
            var text = s.Value;
            const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
            double x = 0;
            var yamlSpecial = text.TrimStart('+', '-').ToLowerInvariant() is ".inf" or ".nan";
            if (!yamlSpecial && !double.TryParse(text, style, CultureInfo.InvariantCulture, out x))
                throw new InputException(At(value, path), $"expected a decimal number such as 0.6 or 3, found '{Show(text)}'");
            if (yamlSpecial || !double.IsFinite(x))
                throw new InputException(At(value, path), $"expected a finite number, found '{Show(text)}'");
            return x;
        }

        private bool Bool(Node value, string path)
        {
            if (value is ScalarNode { Plain: true } s)
            {
                if (s.Value is "true" or "True" or "TRUE") return true;
                if (s.Value is "false" or "False" or "FALSE") return false;
            }
            var found = value is ScalarNode sc ? $"'{Show(sc.Value)}'" : Kind(value);
            throw new InputException(At(value, path), $"expected true or false, found {found}");
        }

        private void RequireIdentifier(ScalarNode key, string path, string what)
        {
            if (!IsIdentifier(key.Value))
                throw new InputException(At(key, path),
                    $"{what} may contain only letters, digits, '_', '.' and '-', found '{Show(key.Value)}'");
        }

        private SourceLocation At(Node node, string path) => new(file, node.Line, path);
    }

    private static string Kind(Node node) => node switch
    {
        MapNode => "a mapping",
        SeqNode => "a list",
        ScalarNode { IsNull: true } => "an empty value",
        ScalarNode s => $"the value '{Show(s.Value)}'",
        _ => "something else",
    };

    /// <summary>Whether <paramref name="s"/> may be a scenario name, parameter name, event id, setting name or policy key.</summary>
    public static bool IsIdentifier(string s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')) return false;
        return true;
    }

    /// <summary>User text for a message: one line, control characters escaped, at most 60 characters.</summary>
    private static string Show(string s) => OneLine(s, 60);

    private static string OneLine(string s, int max)
    {
        var sb = new StringBuilder(Math.Min(s.Length, max) + 8);
        foreach (var c in s)
        {
            if (sb.Length >= max) { sb.Append('…'); break; }
            if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029')
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
