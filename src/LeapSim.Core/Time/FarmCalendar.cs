namespace LeapSim.Core.Time;

/// <summary>
/// The farm year of the North China plain and the Yangtze valley, simplified to one national calendar
/// (../shared/research/timeline.md, "Notes for implementation"): the summer harvest (wheat, early rice) comes in
/// May-June, the autumn harvest (rice, maize, sweet potato) in September-October; procurement follows each harvest;
/// March-May are the lean months before the wheat harvest (青黄不接).
/// </summary>
public static class FarmCalendar
{
    /// <summary>Months (1-12) in which a crop is brought in.</summary>
    public static bool IsHarvestMonth(int monthOfYear) => monthOfYear is SummerHarvestMonth or AutumnHarvestMonth;

    /// <summary>Month of the summer harvest (wheat, early rice) and of the autumn harvest.</summary>
    public const int SummerHarvestMonth = 6, AutumnHarvestMonth = 10;

    /// <summary>True for the month the summer crop comes in.</summary>
    public static bool IsSummerHarvest(int monthOfYear) => monthOfYear == SummerHarvestMonth;

    /// <summary>True for the month the autumn crop comes in.</summary>
    public static bool IsAutumnHarvest(int monthOfYear) => monthOfYear == AutumnHarvestMonth;

    /// <summary>Procurement is collected in the month after each harvest (and the one after the autumn harvest).</summary>
    public static bool IsProcurementMonth(int monthOfYear) => monthOfYear is 7 or 11 or 12;

    /// <summary>Months in which the summer crop (winter wheat) grows and takes field labour: November to May.</summary>
    public static bool GrowsSummerCrop(int monthOfYear) => monthOfYear is >= 11 or <= 5;

    /// <summary>Months in which the autumn crops (rice, maize, sweet potato) grow: April to September.</summary>
    public static bool GrowsAutumnCrop(int monthOfYear) => monthOfYear is >= 4 and <= 9;

    /// <summary>The lean months before the wheat harvest.</summary>
    public static bool IsLeanMonth(int monthOfYear) => monthOfYear is >= 3 and <= 5;

    /// <summary>
    /// How much field labour a month needs, relative to the yearly mean (sums to 12). Peaks at sowing and the two
    /// harvests; winter needs little, which is why winter labour could go to water works without loss. The values are
    /// an assumption [M]: an ordinal coding of the calendar's shape (timeline.md gives the months, not the hours).
    /// </summary>
    public static ReadOnlySpan<double> FieldLabourNeed => FieldLabourNeedByMonth;

    // An array made once: a span property over a literal list allocates a new array at each call in a debug build.
    private static readonly double[] FieldLabourNeedByMonth = [0.35, 0.45, 1.0, 1.25, 1.35, 1.6, 1.2, 1.05, 1.3, 1.6, 0.5, 0.35];

    /// <summary>
    /// The months a stock must feed from this month on, this month included, until a later harvest arrives: 5 in
    /// January (January-May), 1 in May, 4 in June (the June harvest is in; June-September), 8 in October (October-May).
    /// What rationing and relief plan over. A harvest month counts its own harvest as in hand, so its horizon is the
    /// following harvest, not itself.
    /// </summary>
    public static int MonthsToFeed(int monthOfYear) => monthOfYear switch
    {
        <= 5 => 6 - monthOfYear,
        <= 9 => 10 - monthOfYear,
        _ => 18 - monthOfYear,
    };

    /// <summary>Months until the next harvest (0 in a harvest month itself).</summary>
    public static int MonthsToNextHarvest(int monthOfYear) => monthOfYear switch
    {
        <= 6 => 6 - monthOfYear,
        <= 10 => 10 - monthOfYear,
        _ => 18 - monthOfYear,
    };
}
