using LeapSim.Core.Results;
using Parquet;
using Parquet.Schema;

namespace LeapSim.Cli.Output;

/// <summary>
/// Writes a <see cref="Table"/> as a Parquet file with one row group, through Parquet.Net's low-level column API.
/// Number columns become required DOUBLE (NaN stays NaN, it is not turned into null), whole-number columns required
/// INT32, text columns required UTF-8 strings (text must not be null). Snappy compression. The same table always
/// gives the same bytes (tested).
/// </summary>
public static class ParquetTableWriter
{
    public static async Task WriteAsync(Table table, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(stream);
        if (table.Columns.Count == 0)
            throw new ArgumentException($"table {table.Name} has no columns; a Parquet file needs at least one", nameof(table));

        // Parquet.Net seeks back over what it has written; buffer if the target cannot (a pipe, stdout).
        if (!stream.CanSeek)
        {
            using var buffer = new MemoryStream();
            await WriteAsync(table, buffer).ConfigureAwait(false);
            buffer.Position = 0;
            await buffer.CopyToAsync(stream).ConfigureAwait(false);
            return;
        }

        var fields = new DataField[table.Columns.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            var column = table.Columns[i];
            fields[i] = column.Numbers is not null ? new DataField<double>(column.Name, nullable: false)
                : column.Integers is not null ? new DataField<int>(column.Name, nullable: false)
                : new DataField<string>(column.Name, nullable: false);
        }

        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, options)
            .ConfigureAwait(false);
        using (var group = writer.CreateRowGroup())
        {
            for (var i = 0; i < fields.Length; i++)
            {
                var column = table.Columns[i];
                if (column.Numbers is { } numbers)
                    await group.WriteAsync<double>(fields[i], numbers.AsMemory()).ConfigureAwait(false);
                else if (column.Integers is { } integers)
                    await group.WriteAsync<int>(fields[i], integers.AsMemory()).ConfigureAwait(false);
                else
                {
                    var texts = column.Texts!;
                    var nullRow = Array.IndexOf(texts, null);
                    if (nullRow >= 0)
                        throw new ArgumentException($"table {table.Name}: column {column.Name} row {nullRow} is null");
                    await group.WriteAsync(fields[i], texts).ConfigureAwait(false);
                }
            }
            group.CompleteValidate();
        }
    }
}
