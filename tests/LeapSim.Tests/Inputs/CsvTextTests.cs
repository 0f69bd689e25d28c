using LeapSim.Core.Inputs;
using LeapSim.Core.Scenarios;
using Xunit;

namespace LeapSim.Tests.Inputs;

public sealed class CsvTextTests
{
    private const string File = "table.csv";

    private static CsvText Parse(string text) => CsvText.Parse(new StringReader(text), File);

    private static InputException Fails(string text, int line, string key, string fragment)
    {
        var e = Assert.Throws<InputException>(() => Parse(text));
        Assert.Equal(File, e.Location.File);
        Assert.Equal(line, e.Location.Line);
        Assert.Equal(key, e.Location.Key);
        Assert.Contains(fragment, e.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"{File}:{line}:", e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void Reads_quoted_fields_with_commas_quotes_and_newlines_and_keeps_record_lines()
    {
        var csv = Parse("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n\n3,,\n");
        Assert.Equal(["a", "b", "c"], csv.Header);
        Assert.Equal(3, csv.Rows.Count);
        Assert.Equal(2, csv.Rows[0].Line);
        Assert.Equal(["1", "x, y", "say \"hi\""], csv.Rows[0].Fields);
        Assert.Equal(3, csv.Rows[1].Line);
        Assert.Equal("two\nlines", csv.Rows[1].Fields[1]);
        Assert.Equal(6, csv.Rows[2].Line); // line 5 is blank and skipped
        Assert.Null(csv.OptionalNumber(csv.Rows[2], "b"));
        Assert.Equal(3.0, csv.Number(csv.Rows[2], "a"));
    }

    [Fact]
    public void A_last_line_without_newline_is_read()
    {
        var csv = Parse("a,b\n1,2");
        Assert.Single(csv.Rows);
        Assert.Equal(2.0, csv.Number(csv.Rows[0], "b"));
    }

    [Fact]
    public void Unclosed_quote_names_the_line_where_the_field_starts()
    {
        Fails("a,b\n1,2\n3,\"never closed\n4,5\n", 3, "<content>", "never closed");
    }

    [Fact]
    public void Wrong_field_count_names_the_row()
    {
        Fails("a,b,c\n1,2,3\n4,5\n", 3, "<row>", "2 fields where the header has 3");
        Fails("a,b\n\"multi\nline\",1\n2,3,4\n", 4, "<row>", "3 fields where the header has 2");
    }

    [Fact]
    public void NUL_byte_names_its_line()
    {
        Fails("a,b\n1,2\n3,\0\n", 3, "<content>", "NUL");
    }

    [Fact]
    public void Text_after_a_closing_quote_is_an_error()
    {
        Fails("a,b\n\"x\"y,1\n", 2, "<content>", "after a closing quote");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1,5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e999")]
    [InlineData("0x10")]
    public void A_non_number_in_a_numeric_column_names_file_line_and_column(string value)
    {
        var csv = Parse($"name,value\nfirst,1\nsecond,\"{value}\"\n");
        Assert.Equal(1.0, csv.Number(csv.Rows[0], "value"));
        var e = Assert.Throws<InputException>(() => csv.Number(csv.Rows[1], "value"));
        Assert.Equal(new SourceLocation(File, 3, "value"), e.Location);
        Assert.Contains("is not a number", e.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"{File}:3:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_and_missing_numbers_name_the_column()
    {
        var csv = Parse("name,value\nfirst,-1\nsecond,\n");
        var e = Assert.Throws<InputException>(() => csv.Number(csv.Rows[0], "value", 0, 10));
        Assert.Equal(new SourceLocation(File, 2, "value"), e.Location);
        Assert.Contains("outside", e.Problem, StringComparison.Ordinal);
        e = Assert.Throws<InputException>(() => csv.Number(csv.Rows[1], "value"));
        Assert.Equal(new SourceLocation(File, 3, "value"), e.Location);
        Assert.Contains("required", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\r\n\n")]
    public void Empty_file_is_an_error(string text)
    {
        Fails(text, 1, "<header>", "empty");
    }

    [Fact]
    public void Duplicate_and_missing_columns_are_named()
    {
        var e = Assert.Throws<InputException>(() => Parse("a,b,a\n1,2,3\n"));
        Assert.Equal(new SourceLocation(File, 1, "a"), e.Location);
        var csv = Parse("a,b\n1,2\n");
        e = Assert.Throws<InputException>(() => csv.Require("a", "zz"));
        Assert.Equal(new SourceLocation(File, 1, "zz"), e.Location);
    }
}
