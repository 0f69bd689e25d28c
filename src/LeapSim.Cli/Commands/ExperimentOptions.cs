using System.Globalization;
using LeapSim.Core.Scenarios;

namespace LeapSim.Cli.Commands;

/// <summary>Parsing of the options the experiment commands share (--runs, --shard, fractions).</summary>
public static class ExperimentOptions
{
    public static InputException Bad(string key, string problem) => new(new SourceLocation("<command line>", 0, key), problem);

    public static int ParseRuns(string text, string key = "--runs") =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 10_000 ? n
            : throw Bad(key, $"'{text}' is not a whole number from 1 to 10000");

    public static int ParseCount(string text, string key, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
            : throw Bad(key, $"'{text}' is not a whole number from {min} to {max}");

    public static double ParseNumber(string text, string key, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v
            : throw Bad(key, $"'{text}' is not a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
}
