using LeapSim.Core.Time;
using Xunit;

namespace LeapSim.Tests.Time;

public sealed class FarmCalendarTests
{
    // month, harvest, summer harvest, autumn harvest, procurement, lean, months to next harvest — by hand from the
    // calendar's documentation: wheat and early rice in June, rice/maize/sweet potato in October, procurement in
    // the month after each harvest and the one after that for the autumn crop, lean months March-May.
    public static TheoryData<int, bool, bool, bool, bool, bool, int> Table => new()
    {
        { 1, false, false, false, false, false, 5 },
        { 2, false, false, false, false, false, 4 },
        { 3, false, false, false, false, true, 3 },
        { 4, false, false, false, false, true, 2 },
        { 5, false, false, false, false, true, 1 },
        { 6, true, true, false, false, false, 0 },
        { 7, false, false, false, true, false, 3 },
        { 8, false, false, false, false, false, 2 },
        { 9, false, false, false, false, false, 1 },
        { 10, true, false, true, false, false, 0 },
        { 11, false, false, false, true, false, 7 },
        { 12, false, false, false, true, false, 6 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_month_of_the_farm_year(int month, bool harvest, bool summer, bool autumn, bool procurement, bool lean, int toHarvest)
    {
        Assert.Equal(harvest, FarmCalendar.IsHarvestMonth(month));
        Assert.Equal(summer, FarmCalendar.IsSummerHarvest(month));
        Assert.Equal(autumn, FarmCalendar.IsAutumnHarvest(month));
        Assert.Equal(procurement, FarmCalendar.IsProcurementMonth(month));
        Assert.Equal(lean, FarmCalendar.IsLeanMonth(month));
        Assert.Equal(toHarvest, FarmCalendar.MonthsToNextHarvest(month));
    }

    [Fact]
    public void Months_to_next_harvest_counts_down_to_a_harvest_month()
    {
        for (var m = 1; m <= 12; m++)
        {
            var k = FarmCalendar.MonthsToNextHarvest(m);
            var target = (m - 1 + k) % 12 + 1;
            Assert.True(FarmCalendar.IsHarvestMonth(target), $"month {m} + {k} = {target}");
            for (var j = 0; j < k; j++)
                Assert.False(FarmCalendar.IsHarvestMonth((m - 1 + j) % 12 + 1), $"month {m}: harvest before {k} months");
        }
    }

    [Fact]
    public void Field_labour_need_is_twelve_months_summing_to_twelve_and_peaks_at_the_harvests()
    {
        var need = FarmCalendar.FieldLabourNeed.ToArray();
        Assert.Equal(12, need.Length);
        Assert.Equal(12.0, need.Sum(), 12);
        Assert.All(need, x => Assert.True(x > 0));
        Assert.Equal(need.Max(), need[5]);  // June
        Assert.Equal(need.Max(), need[9]);  // October
        Assert.True(need[0] < 1 && need[1] < 1 && need[10] < 1 && need[11] < 1, "winter needs less than the mean");
    }
}
