namespace LeapSim.Core.Numerics;

/// <summary>Powers in the monthly loops, where the base is often exactly 1 (a well-fed body, a 1957 herd, full tools).</summary>
public static class Power
{
    /// <summary>
    /// <paramref name="x"/>^<paramref name="y"/>, the same number as <see cref="Math.Pow"/> (which returns exactly 1 for
    /// a base of 1, IEEE 754 pow), without calling it when the base is 1.
    /// </summary>
    public static double Of(double x, double y) => x == 1 ? 1 : Math.Pow(x, y);
}
