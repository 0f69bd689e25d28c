using LeapSim.Core.Engine;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;

namespace LeapSim.Core.Modules;

/// <summary>
/// Politics: the pressure on cadres. The scenario's dated campaigns set a national campaign intensity (an ordinal
/// coding of timeline.md: the anti-rightist campaign, Nanning, the General Line, Beidaihe, the Zhengzhou corrections,
/// Lushan and the anti-right-tilt campaign, the Twelve Articles, the Seven Thousand Cadres Conference). Cadres
/// respond with a lag: pressure moves a share of the way toward the campaign level each month. What pressure does
/// (inflated reports, harder procurement, mobilised labour) is in the modules that read it, scaled there by each
/// unit's cadre zeal.
/// </summary>
public sealed class Politics : ModuleBase
{
    public override string Name => "politics";
    public override string Summary => "Political pressure on cadres from dated campaigns, with a lag";
    public override IReadOnlyList<string> Reads => ["lever politics.campaign"];
    public override IReadOnlyList<string> Writes => ["national: pressure"];

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("baseline_pressure", "pressure", 0.35, 0, 1, "assumption: the climate after the 1957 anti-rightist campaign is the baseline under which 1957's reports, procurement and factories ran", "pressure that counts as normal; the modules respond to pressure above it"),
        P("response_rate", "share per month", 0.5, 0.05, 1, "assumption: cadres follow a new line within a few months (timeline.md shows shifts taking 1-3 months)", "how fast pressure moves toward the campaign level"),
    ];

    public override IReadOnlyList<PolicyInfo> Policies =>
    [
        new("politics", "The political campaign climate (0 = none, 1 = the 1958 high tide)", "timeline.md",
        [
            new PolicySetting("campaign", "0-1", 0.3, 0, 1.5, "campaign intensity: how hard the centre pushes cadres"),
        ]),
    ];

    private int _campaign;
    private double _rate, _baseline;

    public override void Initialise(SimContext ctx)
    {
        _campaign = ctx.Levers.Index("politics.campaign");
        _rate = Value(ctx, "response_rate");
        _baseline = Value(ctx, "baseline_pressure");
        ctx.World.National.Pressure = ctx.Levers[_campaign];
        ctx.World.National.ExcessPressure = Math.Max(0, ctx.World.National.Pressure - Value(ctx, "baseline_pressure"));
    }

    public override void Step(SimContext ctx)
    {
        var n = ctx.World.National;
        n.Pressure += _rate * (ctx.Levers[_campaign] - n.Pressure);
        n.ExcessPressure = Math.Max(0, n.Pressure - _baseline);
    }
}
