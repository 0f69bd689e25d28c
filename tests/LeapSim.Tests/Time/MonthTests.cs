using LeapSim.Core.Time;
using Xunit;

namespace LeapSim.Tests.Time;

public sealed class MonthTests
{
    [Fact]
    public void Every_month_from_1957_to_2100_formats_and_parses_back()
    {
        var count = 0;
        for (var y = 1957; y <= 2100; y++)
            for (var m = 1; m <= 12; m++)
            {
                var month = Month.Of(y, m);
                var text = month.ToString();
                Assert.Equal($"{y:D4}-{m:D2}", text);
                Assert.True(Month.TryParse(text, out var back), text);
                Assert.Equal(month, back);
                Assert.Equal(y, back.Year);
                Assert.Equal(m, back.MonthOfYear);
                count++;
            }
        Assert.Equal((2100 - 1957 + 1) * 12, count);
    }

    [Theory]
    [InlineData(0, 1957, 1)]
    [InlineData(11, 1957, 12)]
    [InlineData(12, 1958, 1)]
    [InlineData(119, 1966, 12)]
    [InlineData(-1, 1956, 12)]
    [InlineData(-11, 1956, 2)]
    [InlineData(-12, 1956, 1)]
    [InlineData(-13, 1955, 12)]
    [InlineData(-24, 1955, 1)]
    [InlineData(-25, 1954, 12)]
    public void Year_and_month_of_year_for_negative_and_positive_indices(int index, int year, int monthOfYear)
    {
        var m = new Month(index);
        Assert.Equal(year, m.Year);
        Assert.Equal(monthOfYear, m.MonthOfYear);
        Assert.Equal(index, Month.Of(year, monthOfYear).Index);
        Assert.Equal($"{year:D4}-{monthOfYear:D2}", m.ToString());
    }

    [Fact]
    public void Of_inverts_year_and_month_of_year_around_the_base_year()
    {
        for (var i = -1000; i <= 1000; i++)
        {
            var m = new Month(i);
            Assert.InRange(m.MonthOfYear, 1, 12);
            Assert.Equal(m, Month.Of(m.Year, m.MonthOfYear));
            Assert.Equal(i + 1, m.Next.Index);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1957")]
    [InlineData("1957-1")]
    [InlineData("1957-001")]
    [InlineData("1956-12")]   // before the base year
    [InlineData("2101-01")]   // after 2100
    [InlineData("1957-00")]
    [InlineData("1957-13")]
    [InlineData("1957/01")]
    [InlineData(" 1957-01")]
    [InlineData("1957-01 ")]
    [InlineData("+957-01")]
    [InlineData("1957-+1")]
    [InlineData("57-01-01")]
    [InlineData("abcd-ef")]
    public void Parse_rejects_anything_but_YYYY_MM_in_range(string? text)
    {
        Assert.False(Month.TryParse(text, out var m));
        Assert.Equal(default, m);
    }

    [Fact]
    public void Comparison_and_difference_follow_the_index()
    {
        var a = Month.Of(1958, 8);
        var b = Month.Of(1960, 11);
        var a2 = Month.Of(1958, 8);
        Assert.True(a < b && b > a && a <= b && b >= a && a <= a2 && a >= a2 && !(a < a2));
        Assert.Equal(27, b - a);
        Assert.True(a.CompareTo(b) < 0);
    }
}

public sealed class YearSpanTests
{
    [Theory]
    [InlineData("1957-1966", 1957, 1966)]
    [InlineData("1960-1960", 1960, 1960)]
    [InlineData("1958-2000", 1958, 2000)]
    public void Parses_a_span(string text, int first, int last)
    {
        Assert.True(YearSpan.TryParse(text, out var s));
        Assert.Equal(new YearSpan(first, last), s);
        Assert.Equal(text, s.ToString());
        Assert.Equal(last - first + 1, s.YearCount);
        Assert.Equal(12 * (last - first + 1), s.MonthCount);
        Assert.Equal(Month.Of(first, 1), s.First);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1957")]
    [InlineData("1957-")]
    [InlineData("-1966")]
    [InlineData("1966-1957")]   // reversed
    [InlineData("1956-1966")]   // before the base year
    [InlineData("1957-2001")]   // after 2000
    [InlineData("1957-1960-1962")]
    [InlineData("a-b")]
    [InlineData("1957–1966")]   // en dash
    [InlineData("1957..1966")]
    public void Rejects_malformed_or_out_of_range_spans(string text)
    {
        Assert.False(YearSpan.TryParse(text, out var s));
        Assert.Equal(default, s);
    }

    [Fact]
    public void Default_is_1957_to_1966()
    {
        Assert.Equal(new YearSpan(1957, 1966), YearSpan.Default);
        Assert.Equal(120, YearSpan.Default.MonthCount);
    }
}
