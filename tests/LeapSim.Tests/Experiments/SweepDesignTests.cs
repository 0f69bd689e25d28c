using LeapSim.Core.Experiments;
using LeapSim.Core.Scenarios;
using Xunit;

namespace LeapSim.Tests.Experiments;

public class SweepDesignTests
{
    private const string GridText = """
        name: g
        seeds: 2
        design: grid
        parameters:
          procurement.retention_floor_kg: [150, 250]
          reporting.inflation_per_pressure: { min: 0.5, max: 1.5, steps: 3 }
        """;

    [Fact]
    public void A_grid_is_every_combination_with_the_last_parameter_fastest()
    {
        var d = SweepDesign.Parse(GridText, "g.yaml");
        Assert.Equal(SweepKind.Grid, d.Kind);
        Assert.Equal(6, d.Points.Count);
        Assert.Equal([150.0, 0.5], d.Points[0]);
        Assert.Equal([150.0, 1.0], d.Points[1]);
        Assert.Equal([150.0, 1.5], d.Points[2]);
        Assert.Equal([250.0, 0.5], d.Points[3]);
        Assert.Equal(12, d.RunCount);
        Assert.Equal((0, 1UL), d.RunOf(0));
        Assert.Equal((0, 2UL), d.RunOf(1));
        Assert.Equal((5, 2UL), d.RunOf(11));
        Assert.Equal("default", d.Scenario);
        Assert.Equal("no-leap", d.Counterfactual);
    }

    [Fact]
    public void Shards_are_disjoint_balanced_and_cover_the_sweep()
    {
        var d = SweepDesign.Parse(GridText, "g.yaml");
        var shards = Enumerable.Range(1, 5).Select(i => d.RunsOfShard(i, 5).ToList()).ToList();
        Assert.Equal(Enumerable.Range(0, 12), shards.SelectMany(s => s).Order());
        Assert.All(shards, s => Assert.InRange(s.Count, 2, 3));
        Assert.Equal([1, 6, 11], shards[1]);
    }

    [Fact]
    public void A_latin_hypercube_uses_every_stratum_of_every_parameter_once_and_is_the_same_everywhere()
    {
        const string text = """
            name: l
            design: lhs
            samples: 10
            design_seed: 4
            parameters:
              procurement.retention_floor_kg: { min: 100, max: 300 }
              reporting.inflation_per_pressure: { min: 0, max: 2 }
            """;
        var d = SweepDesign.Parse(text, "l.yaml");
        Assert.Equal(10, d.Points.Count);
        var strata0 = d.Points.Select(p => (int)Math.Floor((p[0] - 100) / 20)).Order();
        var strata1 = d.Points.Select(p => (int)Math.Floor(p[1] / 0.2)).Order();
        Assert.Equal(Enumerable.Range(0, 10), strata0);
        Assert.Equal(Enumerable.Range(0, 10), strata1);
        var again = SweepDesign.Parse(text, "elsewhere/l.yaml");
        Assert.Equal(d.Points, again.Points);
        Assert.Equal(d.Fingerprint, again.Fingerprint);
        Assert.NotEqual(d.Fingerprint, SweepDesign.Parse(text.Replace("design_seed: 4", "design_seed: 5"), "l.yaml").Fingerprint);
        Assert.NotEqual(d.Fingerprint, SweepDesign.Parse(GridText, "g.yaml").Fingerprint);
    }

    [Fact]
    public void The_example_sweeps_of_the_repository_are_valid()
    {
        var files = Directory.GetFiles(Path.Combine(LeapSim.Tests.Support.Repo.Root, "examples"), "*.yaml");
        Assert.NotEmpty(files);
        foreach (var f in files)
        {
            var d = SweepDesign.Load(f);
            Assert.True(d.RunCount > 0, f);
            Assert.Equal(Path.GetFileNameWithoutExtension(f), d.Name);
        }
    }

    [Theory]
    [InlineData("name: x\ndesign: grid\nparameters:\n  no.such_parameter: [1]\n", 4, "parameters.no.such_parameter", "unknown parameter")]
    [InlineData("name: x\ndesign: grid\nparameters:\n  procurement.retention_floor_kg: [1000]\n", 4, "parameters.procurement.retention_floor_kg", "outside the range")]
    [InlineData("name: x\ndesign: cube\nparameters:\n  procurement.retention_floor_kg: [100]\n", 2, "design", "not grid or lhs")]
    [InlineData("name: x\ndesign: lhs\nparameters:\n  procurement.retention_floor_kg: { min: 100, max: 200 }\n", 0, "samples", "needs 'samples:'")]
    [InlineData("name: x\ndesign: grid\nparameters:\n  procurement.retention_floor_kg: { min: 100, max: 200 }\n", 4, "parameters.procurement.retention_floor_kg", "needs steps")]
    [InlineData("name: x\ndesign: grid\nseeds: 0\nparameters:\n  procurement.retention_floor_kg: [100]\n", 3, "seeds", "whole number")]
    [InlineData("name: x\ndesign: grid\ncolour: red\nparameters:\n  procurement.retention_floor_kg: [100]\n", 3, "colour", "unknown key")]
    [InlineData("design: grid\nparameters:\n  procurement.retention_floor_kg: [100]\n", 0, "name", "required")]
    public void Bad_sweep_files_name_the_line_and_key(string text, int line, string key, string problem)
    {
        var e = Assert.Throws<InputException>(() => SweepDesign.Parse(text, "bad.yaml"));
        Assert.Equal("bad.yaml", e.Location.File);
        Assert.Equal(line, e.Location.Line);
        Assert.Equal(key, e.Location.Key);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }
}
