using System.Text;
using System.Text.Json;

namespace LeapSim.Report;

/// <summary>
/// Compact JSON for the page's scripts, written field by field with <see cref="Utf8JsonWriter"/>: the reflection
/// serializer (JsonSerializer on anonymous objects) builds its converters at first use, which cost a run's command
/// about a tenth of a second (bench/README.md). Same escaping and number format as JsonSerializer's defaults.
/// </summary>
internal static class JsonText
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>An array of numbers named <paramref name="name"/>, null where a number is absent.</summary>
    public static void Numbers(Utf8JsonWriter w, string name, IEnumerable<double?> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) Number(w, v);
        w.WriteEndArray();
    }

    /// <summary>A number, or null where it is absent.</summary>
    public static void Number(Utf8JsonWriter w, double? v)
    {
        if (v is { } x) w.WriteNumberValue(x);
        else w.WriteNullValue();
    }
}
