using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;

namespace LeapSim.Core.Engine;

/// <summary>
/// The policy levers: one number per policy setting ("backyard_steel.labour_target"), holding the setting's default
/// until a dated event changes it. Modules look up a lever's index once and read <see cref="Values"/> each month.
/// </summary>
public sealed class LeverTable
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<PolicyEvent>[] _byMonth;
    private readonly Month _first;

    public LeverTable(IEnumerable<PolicyInfo> policies, IEnumerable<PolicyEvent> events, Month first, int months)
    {
        var names = new List<string>();
        var values = new List<double>();
        foreach (var p in policies)
            foreach (var s in p.Settings)
            {
                var name = $"{p.Key}.{s.Name}";
                if (!_index.TryAdd(name, names.Count)) throw new InvalidOperationException($"lever {name} declared twice");
                names.Add(name);
                values.Add(s.Default);
            }
        Names = names;
        Values = values.ToArray();
        _first = first;
        _byMonth = new List<PolicyEvent>[months];
        Events = events.Where(e => e.Enabled).OrderBy(e => e.Date).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        foreach (var e in Events)
        {
            // An event dated before the run's first month takes effect at its start: the run begins in that policy world.
            var m = Math.Max(0, e.Date - first);
            if (m >= months) continue;
            (_byMonth[m] ??= []).Add(e);
        }
        _changes = new (int, double)[months][];
        for (var m = 0; m < months; m++)
            _changes[m] = EventsAt(m).SelectMany(e => e.Settings.Select(s => (Index($"{e.Policy}.{s.Key}"), s.Value))).ToArray();
    }

    public IReadOnlyList<string> Names { get; }
    public double[] Values { get; }
    public IReadOnlyList<PolicyEvent> Events { get; }

    public int Index(string lever) =>
        _index.TryGetValue(lever, out var i) ? i : throw new KeyNotFoundException($"unknown lever '{lever}'");

    public double this[int index] => Values[index];

    /// <summary>Events that fire in month <paramref name="monthIndex"/> of the run.</summary>
    public IReadOnlyList<PolicyEvent> EventsAt(int monthIndex) => _byMonth[monthIndex] ?? (IReadOnlyList<PolicyEvent>)[];

    /// <summary>Apply the events of the month: each named setting takes its new value.</summary>
    public void Apply(int monthIndex)
    {
        foreach (var (lever, value) in _changes[monthIndex]) Values[lever] = value;
    }

    /// <summary>Each month's settings as (lever, value), resolved from its events when the table is built, so applying them allocates nothing.</summary>
    private readonly (int Lever, double Value)[][] _changes;
}
