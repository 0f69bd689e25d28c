namespace LeapSim.Core.Scenarios;

/// <summary>Where a value came from: file, 1-based line and the key path (e.g. "events.lushan.date").</summary>
public readonly record struct SourceLocation(string File, int Line, string Key)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Key}" : $"{File}: {Key}";
}

/// <summary>
/// Bad input: a scenario or data file that cannot be used. The message names the file, the line and the key, and
/// is one line, so that a front end can print it as it is and exit with code 2.
/// </summary>
public sealed class InputException : Exception
{
    public InputException(SourceLocation location, string problem)
        : base($"{location.File}:{(location.Line > 0 ? location.Line.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" : "")} key '{location.Key}': {problem}")
    {
        Location = location;
        Problem = problem;
    }

    public SourceLocation Location { get; }
    public string Problem { get; }
}
