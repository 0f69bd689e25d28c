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
        // Rows name the short name (without the module), and two modules may declare the same one (storage_loss,
        // labour_elasticity): each declaration needs a row of its own.
        var rows = Regex.Matches(text, @"^\| `(?<name>[a-z0-9_]+)`", RegexOptions.Multiline).GroupBy(r => r.Groups["name"].Value)
            .ToDictionary(g => g.Key, g => g.Count());
        var declared = ModuleCatalog.AllParameters().GroupBy(p => p.Name.Split('.')[^1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(declared.Count > 100, $"only {declared.Count} declared parameters found");
        Assert.Empty(declared.Where(d => rows.GetValueOrDefault(d.Key) < d.Value)
            .Select(d => $"{d.Key}: declared {d.Value} time(s) in the code, {rows.GetValueOrDefault(d.Key)} row(s) in MODEL.md"));
    }
}
