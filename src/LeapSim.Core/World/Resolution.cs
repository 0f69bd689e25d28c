namespace LeapSim.Core.World;

/// <summary>
/// The level whose units carry the rural state. Coarser resolutions run the same model on fewer, larger units.
/// </summary>
public enum Resolution { Province = 0, County = 1, Commune = 2, Brigade = 3, Team = 4 }

public static class ResolutionNames
{
    public static bool TryParse(string text, out Resolution r) =>
        Enum.TryParse(text, ignoreCase: true, out r) && Enum.IsDefined(r) && !int.TryParse(text, out _);

    public static string Name(this Resolution r) => r.ToString().ToLowerInvariant();
}
