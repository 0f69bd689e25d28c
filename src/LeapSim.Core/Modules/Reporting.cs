using LeapSim.Core.Engine;
using LeapSim.Core.Parameters;
using LeapSim.Core.Time;
using LeapSim.Core.World;

namespace LeapSim.Core.Modules;

/// <summary>
/// Reporting: after each harvest every unit reports its harvest upward, inflated by political pressure and its
/// cadres' zeal (mechanisms.md §e, after Kung &amp; Chen 2011): reported = true × (1 + k × zeal × pressure above the 1957 level), and
/// each level above adds its own push toward the plan (here folded into the unit's zeal, which already carries the
/// province leader's and the county's). The statistics bureau adds up what it is told. Reports never fall below the
/// truth: a cadre who reports less than he has is a "rightist".
/// </summary>
public sealed class Reporting : ModuleBase
{
    public override string Name => "reporting";
    public override string Summary => "Harvests reported upward, inflated by pressure and cadre zeal";
    public override IReadOnlyList<string> Reads => ["harvest", "private_output", "zeal", "national: pressure"];
    public override IReadOnlyList<string> Writes => ["reported"];

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("inflation_per_pressure", "share of the harvest at pressure 1 and zeal 1", 0.6, 0, 3, "calibrated (mechanisms.md §e: the 1959 over-reporting ratio was about 1.6-1.7)", "how much a report is inflated per unit of pressure × zeal"),
    ];

    private double _k;

    public override void Initialise(SimContext ctx)
    {
        _k = Value(ctx, "inflation_per_pressure");
    }

    /// <summary>
    /// What a unit really has to report at a harvest: the collective harvest plus half a year of private plots (the
    /// plots yield monthly; each report covers the half-year since the last one).
    /// </summary>
    public static double SeasonTruth(double harvestKg, double privateKgThisMonth) => harvestKg + privateKgThisMonth * 6;

    /// <summary>The reported harvest for a true harvest, zeal and pressure.</summary>
    public static double Reported(double trueKg, double zeal, double excessPressure, double k) =>
        trueKg * (1 + k * zeal * excessPressure);

    private (RuralUnits Units, double Pressure) _month;
    private Action<int, int, int>? _stepUnits;

    public override void Step(SimContext ctx)
    {
        if (!FarmCalendar.IsHarvestMonth(ctx.Month.MonthOfYear)) return;
        _month = (ctx.Units, ctx.World.National.ExcessPressure);
        // The chunk body reads the month's values from a field, so the delegate is made once, not every month.
        ctx.ForEachChunk(_stepUnits ??= (_, a, b) =>
        {
            var (units, pressure) = _month;
            for (var u = a; u < b; u++)
            {
                var truth = SeasonTruth(units.HarvestKg[u], units.PrivateOutputKg[u]);
                units.ReportedKg[u] = (float)Reported(truth, units.Zeal[u], pressure, _k);
            }
        });
    }
}
