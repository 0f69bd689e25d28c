namespace LeapSim.Core.Parameters;

/// <summary>
/// The values of all declared parameters for one run: the defaults, overridden by the scenario chain.
/// Looked up by name once when a module initialises, never inside the monthly loop.
/// </summary>
public sealed class ParameterSet
{
    private readonly Dictionary<string, ParameterInfo> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    public ParameterSet(IEnumerable<ParameterInfo> declared)
    {
        foreach (var p in declared)
        {
            if (!_declared.TryAdd(p.Name, p))
                throw new InvalidOperationException($"parameter '{p.Name}' is declared twice");
            _values[p.Name] = p.Default;
        }
    }

    public IReadOnlyCollection<ParameterInfo> Declared => _declared.Values;

    public bool IsDeclared(string name) => _declared.ContainsKey(name);

    public ParameterInfo Info(string name) =>
        _declared.TryGetValue(name, out var p) ? p : throw new KeyNotFoundException($"unknown parameter '{name}'");

    public double this[string name] =>
        _values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"unknown parameter '{name}'");

    public void Set(string name, double value)
    {
        var info = Info(name);
        if (!info.InRange(value))
            throw new ArgumentOutOfRangeException(name, value, $"parameter '{name}' must lie in [{info.Min}, {info.Max}] {info.Unit}");
        _values[name] = value;
    }

    /// <summary>Parameters whose value differs from the declared default, in name order.</summary>
    public IEnumerable<(ParameterInfo Info, double Value)> Changed() =>
        _declared.Values.Where(p => _values[p.Name] != p.Default).OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => (p, _values[p.Name]));

    public IReadOnlyDictionary<string, double> Values => _values;
}
