using System.Text;

namespace LeapSim.Report;

/// <summary>Escaping for text and attribute values in HTML and inline SVG, and for JSON inside a script element.</summary>
public static class Html
{
    public static string Text(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var sb = new StringBuilder(s.Length + 8);
        foreach (var c in s)
            sb.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", _ => c.ToString() });
        return sb.ToString();
    }

    public static string Attr(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var sb = new StringBuilder(s.Length + 8);
        foreach (var c in s)
            sb.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\'' => "&#39;", _ => c.ToString() });
        return sb.ToString();
    }

    /// <summary>JSON that can sit inside &lt;script&gt;: "&lt;/" is written as "&lt;\/" so it cannot close the element.</summary>
    public static string ScriptJson(string json) => json.Replace("</", "<\\/", StringComparison.Ordinal);
}
