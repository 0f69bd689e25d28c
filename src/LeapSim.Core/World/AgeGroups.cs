namespace LeapSim.Core.World;

/// <summary>
/// The age-sex groups every population carries: single years 0-4, five-year groups 5-9 … 75-79, and 80+, for each
/// sex. A unit's cohorts are a contiguous block of <see cref="Cohorts"/> numbers: males first, then females.
/// </summary>
public static class AgeGroups
{
    public const int PerSex = 21;
    public const int Cohorts = 2 * PerSex;
    public const int Male = 0;
    public const int Female = 1;

    /// <summary>Lower bound of each age group in years.</summary>
    public static ReadOnlySpan<int> LowerAge => [0, 1, 2, 3, 4, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80];

    /// <summary>Width of each age group in years (the open 80+ group is given 20 for life-table purposes).</summary>
    public static ReadOnlySpan<int> Width => [1, 1, 1, 1, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 20];

    public static int Index(int sex, int group) => sex * PerSex + group;

    public static string Label(int group) =>
        group < 5 ? $"{LowerAge[group]}" : group == PerSex - 1 ? "80+" : $"{LowerAge[group]}-{LowerAge[group] + 4}";

    /// <summary>First and last group of women of reproductive age (15-49).</summary>
    public const int FirstFertileGroup = 7;
    public const int LastFertileGroup = 13;

    /// <summary>Working ages 15-59: the labour force a unit can send to fields, furnaces or dams.</summary>
    public const int FirstWorkingGroup = 7;
    public const int LastWorkingGroup = 15;
}
