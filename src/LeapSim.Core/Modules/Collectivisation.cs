using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LeapSim.Core.Engine;
using LeapSim.Core.Parameters;
using LeapSim.Core.Random;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;
using static LeapSim.Core.Numerics.FourUnits;

namespace LeapSim.Core.Modules;

/// <summary>
/// Collectivisation and incentives. Co-operatives merge into communes while the commune campaign runs: each month a
/// commune forms with probability 1 − exp(−rate × campaign × zeal) (teams of one commune join together; at county
/// or province resolution the expected share moves instead). Joining moves ownership of animals and tools up, and
/// peasants slaughter part of their animals first. Work effort follows Lin (1990, mechanisms.md §d): effort =
/// 1 − shirk, with shirk low in a co-operative with the right to exit, high in a commune with no exit and
/// commune-level accounting, lower again as the accounting unit moves down to brigade (1959) and team (1962);
/// egalitarian free supply adds to shirking. Effort is kept relative to the 1957 co-operative (1 = as in 1957).
/// When the collective has failed to feed its members and the centre tolerates it, households take land back to farm
/// on their own (DIGEST: "1961: communes break down again, individual farming and trade return"): the "responsibility
/// fields" of household contracting, tolerated from March 1961 (Anhui first) and condemned as "going it alone" at the
/// 10th Plenum of September 1962 (Dali L. Yang 1996, Calamity and Reform in China, Stanford UP, ch. 3-4). The share
/// grows with hunger (BMI below the reference) while household_farming.tolerated is on, up to a cap; it is pushed back
/// by campaigns above the 1957 level and, once no longer tolerated, by the campaign against it.
/// </summary>
public sealed class Collectivisation : ModuleBase
{
    public override string Name => "collectivisation";
    public override string Summary => "Commune formation, the accounting unit, and the incentive effect of each regime on effort";
    public override IReadOnlyList<string> Reads => ["levers communes.*, dining_halls.free_supply, household_farming.tolerated", "zeal", "bmi", "national: excess pressure"];
    public override IReadOnlyList<string> Writes => ["commune_share", "effort", "animals", "individual_farming"];

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("formation_rate", "per month at campaign 1 and zeal 1", 1.8, 0.05, 10, "calibrated", "hazard of a commune forming while the campaign runs"),
        P("shirk_cooperative", "share of effort", 0.10, 0, 0.5, "mechanisms.md §d (Lin 1990): shirk ≈ 0.1 before autumn 1958", "shirking in an advanced co-operative with the right to exit"),
        P("shirk_commune_accounting", "share of effort", 0.30, 0, 0.7, "mechanisms.md §d: shirk ≈ 0.25-0.35 in 1958-61 [M]", "shirking in a commune with commune-level accounting and no exit"),
        P("shirk_brigade_accounting", "share of effort", 0.24, 0, 0.7, "assumption between the commune and team values (Second Zhengzhou, 1959)", "shirking with the brigade as accounting unit"),
        P("shirk_team_accounting", "share of effort", 0.16, 0, 0.7, "assumption: partial recovery after 1962 (mechanisms.md §d)", "shirking with the team as accounting unit"),
        P("shirk_free_supply", "share of effort", 0.05, 0, 0.3, "assumption: free meals weaken the link of food to work points (mechanisms.md §d)", "extra shirking under the free supply system"),
        P("individual_farming_rate", "share of the gap per month at full hunger", 0.08, 0, 1, "assumption: the 1961-62 spread of household farming took about a year [M]", "how fast hungry households take land back when tolerated"),
        P("individual_farming_cap", "share of land", 0.25, 0, 0.8, "assumption [M]: household contracting covered a large minority of teams nationally in 1961-62 (far more in Anhui)", "most land that leaves the collective this way"),
        P("individual_farming_hunger_bmi", "kg/m2", 3, 0.5, 8, "assumption: hunger counts in full when BMI is this far below the reference", "BMI shortfall at which the push to farm alone is strongest"),
        P("individual_farming_suppression", "share per month per unit of excess pressure or of intolerance", 0.2, 0, 2, "assumption: campaigns against 'going it alone' (1962 10th Plenum; 1964 Socialist Education)", "how fast campaigns push household farming back"),
        P("slaughter_share", "share of animals", 0.15, 0, 0.6, "assumption: peasants slaughtered animals before pooling them [M]", "animals slaughtered when a unit joins a commune"),
    ];

    public override IReadOnlyList<PolicyInfo> Policies =>
    [
        new("communes", "People's communes: the merger campaign and the accounting unit", "DIGEST; timeline.md",
        [
            new PolicySetting("campaign", "0-1", 0, 0, 1, "intensity of the campaign to merge co-operatives into communes"),
            new PolicySetting("accounting_level", "1 = team, 2 = brigade, 3 = commune", 3, 1, 3, "the level that owns the harvest and pays its members"),
        ]),
        new("household_farming", "Household farming of collective land (responsibility fields, household contracting)", "DIGEST: 1961 individual farming returns; Dali L. Yang 1996",
        [
            new PolicySetting("tolerated", "0-1", 0, 0, 1, "1 = hungry households may take collective land to farm on their own; 0 = not tolerated, and what they hold is pushed back"),
        ]),
    ];

    private int _campaign, _level, _freeSupply, _tolerated;
    private double _rate, _shirk0, _shirkCommune, _shirkBrigade, _shirkTeam, _shirkFree, _slaughter;
    private double _indRate, _indCap, _indHunger, _indSuppress, _refBmi;
    private static readonly ulong Stream = CounterRng.StreamId("collectivisation.formation");

    public override void Initialise(SimContext ctx)
    {
        _campaign = ctx.Levers.Index("communes.campaign");
        _level = ctx.Levers.Index("communes.accounting_level");
        _freeSupply = ctx.Levers.Index("dining_halls.free_supply");
        _tolerated = ctx.Levers.Index("household_farming.tolerated");
        _rate = Value(ctx, "formation_rate");
        _shirk0 = Value(ctx, "shirk_cooperative");
        _shirkCommune = Value(ctx, "shirk_commune_accounting");
        _shirkBrigade = Value(ctx, "shirk_brigade_accounting");
        _shirkTeam = Value(ctx, "shirk_team_accounting");
        _shirkFree = Value(ctx, "shirk_free_supply");
        _slaughter = Value(ctx, "slaughter_share");
        _indRate = Value(ctx, "individual_farming_rate");
        _indCap = Value(ctx, "individual_farming_cap");
        _indHunger = Value(ctx, "individual_farming_hunger_bmi");
        _indSuppress = Value(ctx, "individual_farming_suppression");
        _refBmi = ctx.Parameters["consumption.reference_bmi"];
        var u = ctx.Units;
        Array.Fill(u.Effort, 1f);
        Array.Fill(u.Animals, 1f);
        Array.Fill(u.Tools, 1f);
    }

    /// <summary>Shirking inside a commune for an accounting level (1-3, fractional values interpolate) and free supply.</summary>
    public double CommuneShirk(double level, double freeSupply)
    {
        var s = level >= 2 ? _shirkBrigade + (level - 2) * (_shirkCommune - _shirkBrigade)
                           : _shirkTeam + (level - 1) * (_shirkBrigade - _shirkTeam);
        return Math.Min(0.95, s + freeSupply * _shirkFree);
    }

    /// <summary>
    /// Household farming beyond the plots next month: only inside communes (before them, farming is still the
    /// co-operative's), growing with hunger as far as it is tolerated (0-1), pushed back by campaigns above the 1957
    /// level and by intolerance: next = current + tolerated × rate × hunger × (cap × commune share − current)
    /// − suppression × (excess pressure + 1 − tolerated) × current, within [0, cap].
    /// </summary>
    public double NextIndividualFarming(double current, double communeShare, double bmi, double excessPressure, double tolerated)
    {
        var hunger = Math.Clamp((_refBmi - bmi) / _indHunger, 0, 1);
        var grow = tolerated * _indRate * hunger * (_indCap * communeShare - current);
        var cut = _indSuppress * (excessPressure + 1 - tolerated) * current;
        return Math.Clamp(current + Math.Max(0, grow) - cut, 0, _indCap);
    }

    private (SimContext Context, RuralUnits Units, double Campaign, float EffortCommune, double Excess, double Tolerated, bool Stochastic) _month;
    private Action<int, int, int>? _stepUnits;

    public override void Step(SimContext ctx)
    {
        var campaign = ctx.Levers[_campaign];
        var shirk = CommuneShirk(ctx.Levers[_level], ctx.Levers[_freeSupply]);
        var effortCommune = (float)((1 - shirk) / (1 - _shirk0));
        var excess = ctx.World.National.ExcessPressure;
        _month = (ctx, ctx.Units, campaign, effortCommune, excess, ctx.Levers[_tolerated], ctx.World.Resolution >= Resolution.Commune);
        // The chunk body reads the month's values from a field, so the delegate is made once, not every month.
        ctx.ForEachChunk(_stepUnits ??= (_, a, b) =>
        {
            var (ctx, units, campaign, effortCommune, excess, tolerated, stochastic) = _month;
            var first = Avx.IsSupported && !OneUnitAtATime ? StepFour(ctx, units, a, b, campaign, effortCommune, excess, tolerated, stochastic) : a;
            for (var u = first; u < b; u++) StepOne(ctx, units, u, campaign, effortCommune, excess, tolerated, stochastic);
        });
    }

    /// <summary>One unit's month: it may join a commune, then its effort and its individual farming follow.</summary>
    private void StepOne(SimContext ctx, RuralUnits units, int u, double campaign, float effortCommune, double excess, double tolerated, bool stochastic)
    {
        var before = units.CommuneShare[u];
        if (campaign > 0 && before < 1)
        {
            var p = 1 - Math.Exp(-_rate * campaign * units.Zeal[u]);
            if (stochastic)
            {
                // One draw per commune: all its brigades and teams join in the same month.
                var rng = ctx.Rng(Stream, units.CommuneOf[u]);
                if (rng.NextDouble() < p) units.CommuneShare[u] = 1;
            }
            else units.CommuneShare[u] = (float)(before + (1 - before) * p);
            var joined = units.CommuneShare[u] - before;
            units.Animals[u] *= (float)(1 - _slaughter * joined);
        }
        var share = units.CommuneShare[u];
        units.Effort[u] = 1 - share + share * effortCommune;
        units.IndividualFarming[u] = (float)NextIndividualFarming(units.IndividualFarming[u], share, units.Bmi[u], excess, tolerated);
    }

    /// <summary>For tests: step one unit at a time, as machines without AVX do.</summary>
    internal bool OneUnitAtATime { get; set; }

    /// <summary>
    /// <see cref="StepOne"/> for units <paramref name="a"/> onwards, four at a time where none of the four can join a
    /// commune this month (no campaign, or all four in communes already): their effort and individual farming, in the
    /// same operations, order and precision, so the same bits. Blocks where one may join go one by one. Returns the
    /// first unit not stepped.
    /// </summary>
    // Mirrors, lane by lane, NextIndividualFarming and the effort rule of the scalar loop: a change there must be made
    // here too (the *FourAtATimeTests compare the two bit for bit).
    private int StepFour(SimContext ctx, RuralUnits units, int a, int b, double campaign, float effortCommune, double excess, double tolerated, bool stochastic)
    {
        var oneF = Vector128<float>.One;
        var effort = Vector128.Create(effortCommune);
        var zero = Vector256<double>.Zero;
        var one = Vector256<double>.One;
        var refBmi = Vector256.Create(_refBmi);
        var hungerScale = Vector256.Create(_indHunger);
        var growRate = Vector256.Create(tolerated * _indRate);
        var cap = Vector256.Create(_indCap);
        var cutRate = Vector256.Create(_indSuppress * (excess + 1 - tolerated));
        var u = a;
        for (; u + 4 <= b; u += 4)
        {
            var shareF = Load(units.CommuneShare, u);
            if (campaign > 0 && !Vector128.GreaterThanOrEqualAll(shareF, oneF))
            {
                for (var i = u; i < u + 4; i++) StepOne(ctx, units, i, campaign, effortCommune, excess, tolerated, stochastic);
                continue;
            }
            Store(units.Effort, u, oneF - shareF + shareF * effort);
            // NextIndividualFarming, four at a time.
            var current = Wide(Load(units.IndividualFarming, u));
            var share = Wide(shareF);
            var hunger = Clamp((refBmi - Wide(Load(units.Bmi, u))) / hungerScale, zero, one);
            var grow = growRate * hunger * (cap * share - current);
            var cut = cutRate * current;
            Store(units.IndividualFarming, u, Narrow(Clamp(current + Vector256.Max(zero, grow) - cut, zero, cap)));
        }
        return u;
    }
}
