using LeapSim.Cli.Output;
using LeapSim.Core.Results;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace LeapSim.Tests.Output;

public class ParquetTableWriterTests
{
    private static Table Sample() => new("sample",
    [
        Column.Of("year", new[] { 1958, 1959, -3, int.MaxValue }),
        Column.Of("value", new[] { 0.1, double.NaN, -2.5, -0.0 }),
        Column.Of("tiny", new[] { 1e-7, double.PositiveInfinity, 1234567.125, double.Epsilon }),
        Column.Of("name", new[] { "plain", "a,b", "say \"hi\"\nnext", "四川" }),
    ]);

    private static async Task<byte[]> WriteAsync(Table table)
    {
        using var stream = new MemoryStream();
        await ParquetTableWriter.WriteAsync(table, stream);
        return stream.ToArray();
    }

    private static async Task<(DataField[] Fields, object[] Columns, long Rows, int Groups, Parquet.Meta.SchemaElement[] Elements)> ReadAsync(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        using var group = reader.OpenRowGroupReader(0);
        var n = checked((int)group.RowCount);
        var columns = new object[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i].ClrType == typeof(double))
            {
                var values = new double[n];
                await group.ReadAsync<double>(fields[i], values.AsMemory());
                columns[i] = values;
            }
            else if (fields[i].ClrType == typeof(int))
            {
                var values = new int[n];
                await group.ReadAsync<int>(fields[i], values.AsMemory());
                columns[i] = values;
            }
            else
            {
                var values = new string?[n];
                await group.ReadAsync(fields[i], values.AsMemory());
                columns[i] = values;
            }
        }
        return (fields, columns, group.RowCount, reader.RowGroupCount, reader.Metadata!.Schema.Skip(1).ToArray());
    }

    [Fact]
    public async Task Values_read_back_exactly()
    {
        var table = Sample();
        var (fields, columns, rows, groups, elements) = await ReadAsync(await WriteAsync(table));

        Assert.Equal(1, groups);
        Assert.Equal(4, rows);
        Assert.Equal(["year", "value", "tiny", "name"], fields.Select(f => f.Name));
        // Parquet.Net 6 reports text columns as ReadOnlyMemory<char>; what matters to other readers is the UTF-8 annotation.
        Assert.Equal([typeof(int), typeof(double), typeof(double), typeof(ReadOnlyMemory<char>)], fields.Select(f => f.ClrType));
        Assert.Equal(["INT32", "DOUBLE", "DOUBLE", "BYTE_ARRAY"], elements.Select(e => e.Type.ToString()));
        Assert.NotNull(elements[3].LogicalType?.STRING);
        Assert.All(fields, f => Assert.False(f.IsNullable));

        Assert.Equal(table["year"].Integers, (int[])columns[0]);
        // Compare bit patterns: NaN must stay NaN (not null) and -0 must stay -0.
        Assert.Equal(table["value"].Numbers!.Select(BitConverter.DoubleToInt64Bits), ((double[])columns[1]).Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(table["tiny"].Numbers!.Select(BitConverter.DoubleToInt64Bits), ((double[])columns[2]).Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(table["name"].Texts, (string[])columns[3]);
    }

    [Fact]
    public async Task Two_writes_give_identical_bytes()
    {
        var first = await WriteAsync(Sample());
        var second = await WriteAsync(Sample());
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Larger_table_with_repeated_text_writes_identical_bytes_and_reads_back()
    {
        const int n = 20_000;
        var table = new Table("big",
        [
            Column.Of("i", Enumerable.Range(0, n).ToArray()),
            Column.Of("x", Enumerable.Range(0, n).Select(i => i % 97 == 0 ? double.NaN : Math.Sin(i)).ToArray()),
            Column.Of("province", Enumerable.Range(0, n).Select(i => "p" + (i % 29)).ToArray()),
        ]);

        var first = await WriteAsync(table);
        Assert.Equal(first, await WriteAsync(table));
        var (_, columns, rows, _, _) = await ReadAsync(first);
        Assert.Equal(n, rows);
        Assert.Equal(table["x"].Numbers, (double[])columns[1]);
        Assert.Equal(table["province"].Texts, (string[])columns[2]);
    }

    [Fact]
    public async Task Empty_table_and_non_seekable_stream()
    {
        var empty = new Table("empty", [Column.Of("a", Array.Empty<double>()), Column.Of("b", Array.Empty<string>())]);
        var (fields, _, rows, _, _) = await ReadAsync(await WriteAsync(empty));
        Assert.Equal(2, fields.Length);
        Assert.Equal(0, rows);

        using var target = new MemoryStream();
        await ParquetTableWriter.WriteAsync(Sample(), new ForwardOnlyStream(target));
        Assert.Equal(await WriteAsync(Sample()), target.ToArray());
    }

    [Fact]
    public async Task Tables_without_columns_or_with_null_text_are_rejected()
    {
        using var stream = new MemoryStream();
        await Assert.ThrowsAsync<ArgumentException>(() => ParquetTableWriter.WriteAsync(new Table("none", []), stream));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            ParquetTableWriter.WriteAsync(new Table("t", [Column.Of("s", new string[] { "a", null! })]), stream));
    }

    /// <summary>A write-only, non-seekable wrapper (like a pipe).</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
