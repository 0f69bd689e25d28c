using System.Globalization;
using System.Text;
using LeapSim.Core.Results;
using Xunit;

namespace LeapSim.Tests.Output;

public class CsvTableWriterTests
{
    private static Table Sample() => new("sample",
    [
        Column.Of("year", new[] { 1958, 1959, -3 }),
        Column.Of("value", new[] { 0.1, double.NaN, -2.5 }),
        Column.Of("tiny", new[] { 1e-7, 0.0, 1234567.125 }),
        Column.Of("name", new[] { "plain", "a,b", "say \"hi\"\nnext" }),
    ]);

    [Fact]
    public void Bytes_are_exactly_the_expected_text()
    {
        const string expected =
            "year,value,tiny,name\n" +
            "1958,0.1,1E-07,plain\n" +
            "1959,,0,\"a,b\"\n" +
            "-3,-2.5,1234567.125,\"say \"\"hi\"\"\nnext\"\n";

        using var stream = new MemoryStream();
        CsvTableWriter.Write(Sample(), stream);

        Assert.Equal(Encoding.ASCII.GetBytes(expected), stream.ToArray());
    }

    [Fact]
    public void Text_writer_overload_gives_the_same_text_whatever_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            // The project runs with invariant globalisation, so build a "German" culture by hand: decimal comma.
            var german = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            german.NumberFormat.NumberDecimalSeparator = ",";
            german.NumberFormat.NegativeSign = "\u2212";
            CultureInfo.CurrentCulture = german;
            Assert.Equal("0,1", 0.1.ToString(CultureInfo.CurrentCulture));
            var text = CsvTableWriter.ToCsv(Sample());
            Assert.StartsWith("year,value,tiny,name\n1958,0.1,1E-07,plain\n", text, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Header_names_are_quoted_when_needed_and_special_numbers_are_readable()
    {
        var table = new Table("t",
        [
            Column.Of("a,b", new[] { double.PositiveInfinity, double.NegativeInfinity, -0.0 }),
            Column.Of("q\"", new[] { "", "\r", "省" }),
        ]);

        Assert.Equal("\"a,b\",\"q\"\"\"\nInf,\n-Inf,\"\r\"\n-0,省\n", CsvTableWriter.ToCsv(table));

        using var stream = new MemoryStream();
        CsvTableWriter.Write(table, stream);
        Assert.Equal(0xE7, stream.ToArray()[^4]); // UTF-8 for 省, and no byte-order mark at the start
        Assert.Equal((byte)'"', stream.ToArray()[0]);
    }

    [Fact]
    public void Single_column_empty_fields_are_quoted_so_no_line_is_blank()
    {
        var numbers = new Table("n", [Column.Of("x", new[] { 1.5, double.NaN })]);
        var texts = new Table("s", [Column.Of("s", new[] { "", "b" })]);

        Assert.Equal("x\n1.5\n\"\"\n", CsvTableWriter.ToCsv(numbers));
        Assert.Equal("s\n\"\"\nb\n", CsvTableWriter.ToCsv(texts));
    }

    [Fact]
    public void Numbers_round_trip_exactly()
    {
        var values = new[] { 0.1 + 0.2, 1.0 / 3, double.Epsilon, double.MaxValue, -1e300, 5e-324, 123456789012345680.0 };
        var csv = CsvTableWriter.ToCsv(new Table("t", [Column.Of("v", values)]));
        var parsed = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(values, parsed);
    }

    [Fact]
    public void Empty_tables()
    {
        Assert.Equal("", CsvTableWriter.ToCsv(new Table("none", [])));
        Assert.Equal("a,b\n", CsvTableWriter.ToCsv(new Table("header", [Column.Of("a", Array.Empty<int>()), Column.Of("b", Array.Empty<string>())])));
    }

    [Fact]
    public void Null_text_is_rejected()
    {
        var table = new Table("t", [Column.Of("s", new string[] { null! })]);
        Assert.Throws<ArgumentException>(() => CsvTableWriter.ToCsv(table));
    }
}
