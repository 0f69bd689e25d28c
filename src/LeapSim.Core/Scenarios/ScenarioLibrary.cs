namespace LeapSim.Core.Scenarios;

/// <summary>
/// The built-in scenarios (YAML files embedded in this assembly) and the loading of a scenario by name or path:
/// a name that is a built-in wins; anything else is a file path, relative to the file that names it.
/// </summary>
public static class ScenarioLibrary
{
    private const string Prefix = "builtin:";

    public static IReadOnlyList<string> BuiltinNames { get; } =
        typeof(ScenarioLibrary).Assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Scenarios.Builtin.", StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(n => n[(n.IndexOf(".Scenarios.Builtin.", StringComparison.Ordinal) + ".Scenarios.Builtin.".Length)..^".yaml".Length])
            .OrderBy(n => n == "default" ? "" : n, StringComparer.Ordinal)
            .ToList();

    public static bool IsBuiltin(string name) => BuiltinNames.Contains(name);

    /// <summary>The YAML text of a built-in scenario.</summary>
    public static string BuiltinText(string name)
    {
        var asm = typeof(ScenarioLibrary).Assembly;
        var res = asm.GetManifestResourceNames().First(n => n.EndsWith(".Scenarios.Builtin." + name + ".yaml", StringComparison.Ordinal));
        using var s = asm.GetManifestResourceStream(res)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    public static Scenario LoadBuiltin(string name) => ScenarioReader.Parse(BuiltinText(name), Prefix + name + ".yaml");

    /// <summary>Loads a scenario by built-in name or path (relative to <paramref name="relativeTo"/>'s folder).</summary>
    public static Scenario Load(string nameOrPath, string relativeTo = "")
    {
        if (IsBuiltin(nameOrPath)) return LoadBuiltin(nameOrPath);
        var path = nameOrPath;
        if (!Path.IsPathRooted(path) && relativeTo.Length > 0 && !relativeTo.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var dir = Path.GetDirectoryName(relativeTo);
            if (!string.IsNullOrEmpty(dir)) path = Path.Combine(dir, path);
        }
        if (!File.Exists(path) && !path.EndsWith(".yaml", StringComparison.Ordinal) && !path.EndsWith(".yml", StringComparison.Ordinal)
            && !path.Contains('/') && !path.Contains('\\'))
            throw new InputException(new SourceLocation(relativeTo.Length > 0 ? relativeTo : "<command line>", 0, "scenario"),
                $"no built-in scenario '{nameOrPath}' (built-ins: {string.Join(", ", BuiltinNames)}) and no such file");
        return ScenarioReader.Load(path);
    }

    /// <summary>Loads and resolves a scenario (by name or path) with its whole chain.</summary>
    public static ResolvedScenario Resolve(string nameOrPath) =>
        ScenarioResolver.Resolve(Load(nameOrPath), (parent, child) => Load(parent, child));

    public static ResolvedScenario Resolve(Scenario scenario) =>
        ScenarioResolver.Resolve(scenario, (parent, child) => Load(parent, child));
}
