using System.Text.RegularExpressions;
using LeapSim.Core.Engine;
using LeapSim.Tests.Support;
using Xunit;

namespace LeapSim.Tests.Docs;

/// <summary>MODEL.md's parameter tables say which parameters the calibration fits; they must say what the code says.</summary>
public class ModelDocumentTests
{
    [Fact]
    public void TheCalibratedMarksOfModelMdAreTheCodesCalibratedParameters()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "MODEL.md"));
        // A table row names its parameter first: "| `name` **[cal]** | unit | ..." (the short name, without the module).
        var rows = Regex.Matches(text, @"^\| `(?<name>[a-z0-9_]+)`(?: \([^)]*\))?(?<cal> \*\*\[cal\]\*\*)? \|", RegexOptions.Multiline);
        Assert.True(rows.Count > 100, $"only {rows.Count} parameter rows found in MODEL.md");
        var marked = rows.Where(r => r.Groups["cal"].Success).Select(r => r.Groups["name"].Value).ToHashSet();
        var unmarked = rows.Where(r => !r.Groups["cal"].Success).Select(r => r.Groups["name"].Value).ToHashSet();
        var calibrated = ModuleCatalog.AllParameters().Where(p => p.IsCalibrated).Select(p => p.Name.Split('.')[^1]).ToHashSet();

        Assert.Empty(calibrated.Where(n => !marked.Contains(n)).Select(n => $"{n}: calibrated in the code, not marked [cal] in MODEL.md"));
        Assert.Empty(marked.Where(n => !calibrated.Contains(n)).Select(n => $"{n}: marked [cal] in MODEL.md, not calibrated in the code"));
        Assert.Empty(calibrated.Where(unmarked.Contains).Select(n => $"{n}: calibrated, but a MODEL.md row names it without [cal]"));
    }

    [Fact]
    public void EveryDeclaredParameterHasARowInModelMd()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "MODEL.md"));
        var rows = Regex.Matches(text, @"^\| `(?<name>[a-z0-9_]+)`", RegexOptions.Multiline).Select(r => r.Groups["name"].Value).ToHashSet();
        var declared = ModuleCatalog.AllParameters().Select(p => p.Name.Split('.')[^1]).Distinct().ToList();
        Assert.True(declared.Count > 100, $"only {declared.Count} declared parameters found");
        Assert.Empty(declared.Where(n => !rows.Contains(n)).Select(n => $"{n}: declared in the code, no row in MODEL.md"));
    }
}
