using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Core.Modules;

/// <summary>
/// Weather: each January, the year's harvest multiplier for every province, from the recorded crop disasters.
/// Form (mechanisms.md §c): yield loss = 0.1 × (affected − stricken share) + s × stricken share, where "affected"
/// means a yield loss of 10 % or more and "stricken" 30 % or more (disasters.csv definitions), s ≈ 0.3-0.5. The
/// multiplier is (1 − loss_year) / (1 − loss_1957): 1957's weather is already in the 1957 baseline output.
/// National shares by year (disasters.csv, sown area ≈ 150 Mha, the area that makes the 1960 absolute and share
/// figures agree): 1959 the mean of the two quotations; 1960-61 the shares of sown area; 1958 the 24-province
/// drought area; 1957 and other years without a figure the 1950-59 decade mean (22.3 Mha), 1962-66 the rest of
/// the 1960-66 mean once 1960-61 are taken out (26.7 Mha); stricken = affected × the mean stricken ratio of
/// 1959-61 where only affected is known. Spatial pattern: the provinces a year's drought rows name (regional fragments,
/// province rows, and the provinces a national drought row lists; rivers and areas by the provinces they cross) bear
/// more of the loss, and every province-year gets log-normal noise; the result is rescaled so
/// the output-weighted national loss equals the recorded one.
/// With county_disasters = 1 (off in the default), the loss within a province is not spread evenly: a disaster strikes some places and spares others (disasters.csv
/// counts the land that lost 10 % or more, "affected", and 30 % or more, "stricken"). Each county draws each year
/// whether it is stricken, affected or spared, with the province's shares of the two (the national shares scaled to
/// the province's loss), and loses stricken_loss, affected_loss or nothing: the province's loss in expectation, and
/// near it over a province's many counties. Every unit of a county has its county's weather (a drought or flood
/// covers a district, not a field); at province resolution the province's mean loss applies everywhere.
/// </summary>
public sealed class Weather : ModuleBase
{
    public override string Name => "weather";
    public override string Summary => "Yearly harvest multipliers by province and county from the recorded crop disasters (disasters.csv)";
    public override IReadOnlyList<string> Reads => ["inputs: disasters.csv", "province grain output 1957", "the province of each county"];
    public override IReadOnlyList<string> Writes => ["province: weather yield factor", "county: weather yield factor"];

    public override IReadOnlyList<ParameterInfo> Parameters =>
    [
        P("sown_area_mha", "Mha", 150, 100, 200, "disasters.csv: the 1960 absolute and share figures agree at about 150.6 Mha of sown area", "sown area used to turn disaster areas into shares"),
        P("stricken_loss", "share of yield", 0.4, 0.3, 0.7, "mechanisms.md §c: 0.3-0.5 on 'stricken' (成灾) land", "mean yield loss on stricken land"),
        P("affected_loss", "share of yield", 0.1, 0.05, 0.3, "mechanisms.md §c and disasters.csv definition: affected = loss of 10 % or more", "mean yield loss on land affected but not stricken"),
        P("drought_region_weight", "multiplier", 1.6, 1, 4, "assumption: provinces a year's drought rows name bear more of the national loss", "relative loss in the provinces a year's drought rows name"),
        P("province_noise_cv", "coefficient of variation", 0.3, 0, 1.5, "assumption: year-to-year spread of provincial disaster losses", "random spread of provincial losses"),
        P("county_disasters", "0 or 1", 0, 0, 1, "design choice (disasters.csv: the affected and stricken shares are shares of the sown area, the rest lost nothing); off in the default, whose calibration (version 10) was fitted without it: refitted with it on, the loss was no lower (26.77 against 26.75)", "1 = each county is stricken, affected or spared; 0 = every county of a province loses the province's mean"),
    ];

    public override IReadOnlyList<PolicyInfo> Policies =>
    [
        new("weather", "The weather the world gets: the recorded disasters, or the 1950s mean every year", "disasters.csv; counterfactual 'normal-weather'",
        [
            new PolicySetting("historical", "0-1", 1, 0, 1, "1 = the recorded disasters of each year; 0 = the 1950-59 mean every year; in between, a mix"),
        ]),
    ];

    private int _historical;
    private double _sown, _stricken, _affected, _regionWeight, _noise;
    private bool _countyDisasters;
    private int[] _countyProvince = [];
    private double[] _provinceScale = [];  // each province's loss over the national loss (this year)
    private readonly Dictionary<int, (double Affected, double Stricken)> _national = new();
    private (double Affected, double Stricken) _normal;
    private readonly HashSet<(int Year, string Province)> _droughtProvinces = new();
    private double[] _weights = [];

    public override void Initialise(SimContext ctx)
    {
        _historical = ctx.Levers.Index("weather.historical");
        _sown = Value(ctx, "sown_area_mha");
        _stricken = Value(ctx, "stricken_loss");
        _affected = Value(ctx, "affected_loss");
        _regionWeight = Value(ctx, "drought_region_weight");
        _noise = Value(ctx, "province_noise_cv");
        _countyDisasters = Value(ctx, "county_disasters") >= 0.5;
        var np = ctx.World.Provinces.Count;
        _provinceScale = new double[np];
        _countyProvince = ctx.World.Hierarchy.CountyProvince;
        BuildNational(ctx.Inputs);
    }

    /// <summary>National affected and stricken shares of sown area for every year 1957-1966.</summary>
    public IReadOnlyDictionary<int, (double Affected, double Stricken)> NationalShares => _national;

    private void BuildNational(BaselineInputs inputs)
    {
        var byYear = inputs.Disasters.GroupBy(d => d.Year).ToDictionary(g => g.Key, g =>
        {
            var a = g.Average(d => d.Basis == "Mha" ? d.AffectedShare / _sown : d.AffectedShare);
            var s = g.Average(d => d.Basis == "Mha" ? d.StrickenShare / _sown : d.StrickenShare);
            return (a, s);
        });
        var ratios = byYear.Where(kv => kv.Key is >= 1959 and <= 1961).Select(kv => kv.Value.s / kv.Value.a).ToList();
        var ratio = ratios.Count > 0 ? ratios.Average() : 0.386;
        // disasters.csv: the 1950-59 and 1960-66 annual mean affected areas and the 1958 drought in 24 provinces, Mha.
        var decadeMean1950s = inputs.NationalArea(1950, 1959, "all", "the normal year is the 1950s mean");
        var mean1960to66 = inputs.NationalArea(1960, 1966, "all", "the years 1962-66 share what 1960-61 leave of the 1960s mean");
        var drought1958 = inputs.NationalArea(1958, 1958, "drought", "1958's weather");
        _normal = (decadeMean1950s / _sown, decadeMean1950s / _sown * ratio);
        var a60 = byYear.TryGetValue(1960, out var y60) ? y60.a * _sown : mean1960to66;
        var a61 = byYear.TryGetValue(1961, out var y61) ? y61.a * _sown : mean1960to66;
        var later = Math.Max(0, (mean1960to66 * 7 - a60 - a61) / 5) / _sown;
        for (var year = 1957; year <= 1966; year++)
        {
            if (byYear.TryGetValue(year, out var v)) _national[year] = v;
            else if (year == 1958) _national[year] = (Math.Max(decadeMean1950s, drought1958) / _sown, Math.Max(decadeMean1950s, drought1958) / _sown * ratio);
            else if (year >= 1962) _national[year] = (later, later * ratio);
            else _national[year] = _normal;
        }
        foreach (var d in inputs.Droughts)
            foreach (var name in ProvincesNamed(d.Region))
                _droughtProvinces.Add((d.Year, name));
    }

    /// <summary>
    /// The provinces a drought fragment's place description names (disasters.csv, the region column): provinces by
    /// name, and the rivers and areas of the fragments by the provinces they cross (standard geography). A part of a
    /// province ("southern Sichuan", "NE Hebei") names the province.
    /// </summary>
    public static IReadOnlySet<string> ProvincesNamed(string text)
    {
        var t = text.ToLowerInvariant();
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var province in ProvinceNames)
            if (t.Contains(province.ToLowerInvariant(), StringComparison.Ordinal)) named.Add(province);
        // A place is taken out of the text once matched, so the rivers that bound a belt do not also name their own provinces.
        foreach (var (place, provinces) in Places)
        {
            if (!t.Contains(place, StringComparison.Ordinal)) continue;
            named.UnionWith(provinces);
            t = t.Replace(place, " ", StringComparison.Ordinal);
        }
        return named;
    }

    private static readonly string[] ProvinceNames =
    [
        "Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia", "Liaoning", "Jilin", "Heilongjiang", "Shanghai",
        "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi", "Shandong", "Henan", "Hubei", "Hunan", "Guangdong",
        "Guangxi", "Sichuan", "Guizhou", "Yunnan", "Tibet", "Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang",
    ];

    // Places of the fragments that are not provinces (lower case), and the provinces they cover, matched in this order
    // (a matched place is taken out of the text, so "upper yellow river" is not also the whole basin). The belt "south
    // of the Wei River and lower Yellow River to the Nanling" is the land between the Qinling-Yellow River line and the
    // Nanling mountains (southern Shaanxi and Shandong to Hunan and Jiangxi); "yellow river" alone is the whole basin;
    // the Huang-Huai area is the plain between the Yellow River and the Huai.
    private static readonly (string Place, string[] Provinces)[] Places =
    [
        ("south of the wei river and lower yellow river to the nanling", ["Shaanxi", "Henan", "Shandong", "Anhui", "Jiangsu", "Shanghai", "Zhejiang", "Hubei", "Hunan", "Jiangxi"]),
        ("north china", ["Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia"]),
        ("ne china", ["Liaoning", "Jilin", "Heilongjiang"]),
        ("upper yellow river", ["Qinghai", "Gansu", "Ningxia", "Inner Mongolia"]),
        ("middle and lower yellow river", ["Shanxi", "Shaanxi", "Henan", "Shandong"]),
        ("yellow river", ["Qinghai", "Gansu", "Ningxia", "Inner Mongolia", "Shaanxi", "Shanxi", "Henan", "Shandong"]),
        ("huang-huai", ["Henan", "Anhui", "Shandong", "Jiangsu"]),
        ("wei river", ["Shaanxi", "Gansu"]),
        ("hai river", ["Beijing", "Tianjin", "Hebei"]),
        ("lower yangtze", ["Shanghai", "Jiangsu", "Anhui", "Zhejiang"]),
        ("middle yangtze", ["Hubei", "Hunan", "Jiangxi"]),
        ("south china", ["Guangdong", "Guangxi", "Fujian"]),
        ("hainan", ["Guangdong"]),
    ];

    /// <summary>Yield loss share for given affected and stricken shares of sown area.</summary>
    public static double Loss(double affected, double stricken, double affectedLoss, double strickenLoss) =>
        affectedLoss * Math.Max(0, affected - stricken) + strickenLoss * stricken;

    public override void Step(SimContext ctx)
    {
        if (ctx.Month.MonthOfYear != 1 && ctx.MonthIndex != 0) return;
        var year = ctx.Month.Year;
        var h = ctx.Levers[_historical];
        var rec = _national.TryGetValue(year, out var r) ? r : _normal;
        var affected = h * rec.Affected + (1 - h) * _normal.Affected;
        var stricken = h * rec.Stricken + (1 - h) * _normal.Stricken;
        var loss = Loss(affected, stricken, _affected, _stricken);
        var base1957 = Loss(_national[1957].Affected, _national[1957].Stricken, _affected, _stricken);

        var pr = ctx.World.Provinces;
        var factor = ctx.World.ProvinceState.WeatherYieldFactor;
        var weights = _weights.Length == pr.Count ? _weights : _weights = new double[pr.Count];
        double wsum = 0, gsum = 0;
        for (var p = 0; p < pr.Count; p++)
        {
            var rng = ctx.Rng(CounterRng_Stream, p);
            var w = (h > 0 && _droughtProvinces.Contains((year, pr.Name[p])) ? 1 + h * (_regionWeight - 1) : 1)
                    * rng.MeanOneLogNormal(_noise * h);
            weights[p] = w;
            wsum += w * pr.GrainOutput1957Kg[p];
            gsum += pr.GrainOutput1957Kg[p];
        }
        for (var p = 0; p < pr.Count; p++)
        {
            var provLoss = Math.Min(0.9, loss * weights[p] * gsum / wsum);
            // 1957 is the base year: its weather is already in each province's recorded 1957 output.
            factor[p] = year == 1957 ? 1 : (1 - provLoss) / (1 - base1957);
            _provinceScale[p] = loss > 0 ? provLoss / loss : 0;
        }
        CountyFactors(ctx, year, affected, stricken, base1957);
    }

    /// <summary>
    /// Each county stricken, affected or spared with the province's shares (the national shares × the province's
    /// loss over the national loss), losing stricken_loss, affected_loss or nothing: in expectation the province's loss.
    /// Not rescaled to it: a worse year can then only move a county to a worse category, never lighten its loss.
    /// </summary>
    private void CountyFactors(SimContext ctx, int year, double affected, double stricken, double base1957)
    {
        var county = ctx.World.ProvinceState.CountyWeatherFactor;
        if (county.Length == 0) return;
        var provinceFactor = ctx.World.ProvinceState.WeatherYieldFactor;
        if (year == 1957 || !_countyDisasters)
        {
            for (var c = 0; c < county.Length; c++) county[c] = provinceFactor[_countyProvince[c]];
            return;
        }
        for (var c = 0; c < county.Length; c++)
        {
            var k = _provinceScale[_countyProvince[c]];
            var x = ctx.Rng(CountyStream, c).NextDouble();
            var loss = x < Math.Min(1, stricken * k) ? _stricken : x < Math.Min(1, affected * k) ? _affected : 0;
            county[c] = (1 - loss) / (1 - base1957);
        }
    }

    private static readonly ulong CounterRng_Stream = Random.CounterRng.StreamId("weather.province");
    private static readonly ulong CountyStream = Random.CounterRng.StreamId("weather.county");
}
