using System.Reflection;
using System.Runtime.CompilerServices;
using LeapSim.Core.Inputs;
using LeapSim.Core.Parameters;
using LeapSim.Core.Scenarios;
using LeapSim.Core.World;

namespace LeapSim.Core.Engine;

/// <summary>
/// What a built world depends on: the input tables (the same object), every parameter value, the resolution, the
/// seed and the provinces simulated. Two runs with equal keys start from the same world, bit for bit.
/// </summary>
/// <remarks>Every parameter is in the key, not only the world builder's own <c>world.*</c> ones, so that a builder
/// that came to read another parameter could never hand a run a world built with a different value.</remarks>
public sealed record WorldKey(BaselineInputs Inputs, string ParameterValues, Resolution Resolution, ulong Seed, string Provinces)
{
    /// <summary>The key of the world a run of <paramref name="scenario"/> with <paramref name="options"/> starts from.</summary>
    public static WorldKey Of(ResolvedScenario scenario, RunOptions options, BaselineInputs? inputs = null) =>
        Of(inputs ?? BaselineInputs.Embedded, Simulation.ParametersOf(scenario), options);

    public static WorldKey Of(BaselineInputs inputs, ParameterSet parameters, RunOptions options) => new(
        inputs,
        string.Join(';', parameters.Values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture))),
        options.Resolution,
        options.Seed,
        options.Provinces is { Count: > 0 } only ? string.Join(',', only) : "");

    public bool Equals(WorldKey? other) =>
        other is not null && ReferenceEquals(Inputs, other.Inputs) && ParameterValues == other.ParameterValues
        && Resolution == other.Resolution && Seed == other.Seed && Provinces == other.Provinces;

    public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Inputs), ParameterValues, Resolution, Seed, Provinces);

    public override string ToString() =>
        $"{Resolution}, seed {Seed}, {(Provinces.Length == 0 ? "all provinces" : Provinces)}, parameters #{(uint)ParameterValues.GetHashCode():x8}";
}

/// <summary>
/// A world as <see cref="WorldBuilder.Build"/> made it, kept untouched, from which runs with the same
/// <see cref="WorldKey"/> take copies instead of building their own (a server that starts many runs of one world
/// saves the building each time: copying a commune world's arrays takes a few milliseconds, building it tens).
/// A copy shares no array or state object with the template or with another copy, so runs on copies can go on at
/// the same time; a run on a copy gives the same bits as a run on a freshly built world (tested). One copy can be
/// made ahead of time (<see cref="PrepareCopy"/>), when the machine has nothing better to do, for the next run to
/// take at once.
/// </summary>
public sealed class WorldTemplate
{
    private readonly SimWorld _world;
    private SimWorld? _spare;

    private WorldTemplate(WorldKey key, SimWorld world)
    {
        Key = key;
        _world = world;
    }

    public WorldKey Key { get; }

    /// <summary>The bytes of the template's rural unit arrays (what each copy costs, roughly).</summary>
    public long Bytes => _world.Units.BytesOfState;

    /// <summary>Builds the world a run of <paramref name="scenario"/> with <paramref name="options"/> starts from.</summary>
    public static WorldTemplate Build(ResolvedScenario scenario, RunOptions options, BaselineInputs? inputs = null)
    {
        inputs ??= BaselineInputs.Embedded;
        var parameters = Simulation.ParametersOf(scenario);
        return new(WorldKey.Of(inputs, parameters, options),
            WorldBuilder.Build(inputs, parameters, options.Resolution, options.Seed, options.Provinces, options.Threads));
    }

    /// <summary>A deep copy of the world, for one run whose key is <paramref name="key"/>: the copy made ahead of time if
    /// there is one (each copy goes to one run only), else a new one.</summary>
    /// <exception cref="ArgumentException">when the run needs another world than this one.</exception>
    public SimWorld CopyFor(WorldKey key)
    {
        if (!key.Equals(Key))
            throw new ArgumentException($"the world template was built for another world ({Key}) than the run's ({key}{(ReferenceEquals(key.Inputs, Key.Inputs) ? "" : ", other inputs")})", nameof(key));
        return Interlocked.Exchange(ref _spare, null) ?? WorldCopy.Of(_world);
    }

    /// <summary>Makes the copy the next run takes, unless one is ready already.</summary>
    public void PrepareCopy()
    {
        if (Volatile.Read(ref _spare) is not null) return;
        var copy = WorldCopy.Of(_world);
        Interlocked.CompareExchange(ref _spare, copy, null);
    }

    /// <summary>Whether a copy made ahead of time is waiting for the next run.</summary>
    public bool HasCopyReady => Volatile.Read(ref _spare) is not null;
}

/// <summary>
/// Copies a world member by member: every array anew (an array referred to twice, such as a cache of columns,
/// is copied once and referred to twice in the copy), every object of the world's own types recursively,
/// strings and values as they are. Anything else is refused, so that a new kind of member cannot be shared
/// between runs unnoticed.
/// </summary>
internal static class WorldCopy
{
    private static readonly MethodInfo ShallowCopy =
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

    public static T Of<T>(T source) where T : class => (T)Copy(source, new Dictionary<object, object>(ReferenceEqualityComparer.Instance))!;

    private static object? Copy(object? source, Dictionary<object, object> copies)
    {
        if (source is null || source is string || IsPlain(source.GetType())) return source;
        if (copies.TryGetValue(source, out var done)) return done;
        var type = source.GetType();
        if (source is Array array)
        {
            var copy = (Array)array.Clone();
            copies[source] = copy;
            var element = type.GetElementType()!;
            if (!IsPlain(element))
                for (var i = 0; i < copy.Length; i++) copy.SetValue(Copy(array.GetValue(i), copies), i);
            return copy;
        }
        if (type.Namespace != typeof(SimWorld).Namespace)
            throw new NotSupportedException($"a world member of type {type.FullName} cannot be copied (only arrays, strings, values and the world's own types)");
        var clone = ShallowCopy.Invoke(source, null)!;
        copies[source] = clone;
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (!IsPlain(f.FieldType)) f.SetValue(clone, Copy(f.GetValue(source), copies));
        return clone;
    }

    /// <summary>Values copied by assignment: primitives, enums and structs that hold no references.</summary>
    private static bool IsPlain(Type t) => t.IsValueType && !Plain.GetOrAdd(t, ContainsReferences);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> Plain = new();

    private static bool ContainsReferences(Type t) =>
        (bool)typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!.MakeGenericMethod(t).Invoke(null, null)!;
}
