using System.Buffers.Binary;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using LeapSim.Core.Inputs;
using LeapSim.Core.Results;
using LeapSim.Core.Scenarios;
using LeapSim.Core.Time;
using LeapSim.Core.World;

namespace LeapSim.Core.Engine;

/// <summary>One input table as a run read it (name as in <see cref="BaselineInputs.FileNames"/>, raw bytes).</summary>
public sealed record InputFile(string Name, byte[] Bytes);

/// <summary>
/// Everything needed to rebuild a run's <see cref="Simulation"/> from nothing: the resolved scenario, the run
/// options, the bytes of the input tables, and free-form notes a front end keeps with it (its command line, where
/// the output goes).
/// </summary>
public sealed record RunSpec(
    ResolvedScenario Scenario,
    RunOptions Options,
    IReadOnlyList<InputFile> Inputs,
    IReadOnlyDictionary<string, string> Notes)
{
    /// <summary>The inputs parsed (they were valid when the run was made, so this only fails on a damaged spec).</summary>
    public BaselineInputs LoadInputs()
    {
        var byName = Inputs.ToDictionary(f => f.Name, f => f.Bytes, StringComparer.Ordinal);
        return BaselineInputs.Load(name => byName.TryGetValue(name, out var b)
            ? new MemoryStream(b, writable: false)
            : throw new FileNotFoundException(name));
    }
}

/// <summary>A checkpoint read and verified by <see cref="Checkpoint.Read"/>: its run spec and where its run stood.</summary>
public sealed class CheckpointData
{
    internal CheckpointData(string file, RunSpec spec, int monthsDone, int monthCount, byte[] bytes, int stateOffset, int stateEnd)
    {
        File = file;
        Spec = spec;
        MonthsDone = monthsDone;
        MonthCount = monthCount;
        Bytes = bytes;
        StateOffset = stateOffset;
        StateEnd = stateEnd;
    }

    public string File { get; }
    public RunSpec Spec { get; }
    public int MonthsDone { get; }
    public int MonthCount { get; }
    /// <summary>The last month simulated before the checkpoint was taken (the month before the start when none).</summary>
    public Month LastMonth => new(Month.Of(Month.BaseYear, 1).Index + MonthsDone - 1);
    internal byte[] Bytes { get; }
    internal int StateOffset { get; }
    internal int StateEnd { get; }
}

/// <summary>
/// Saves a run between months and rebuilds it later, so that the rest of the run gives the same bits as an
/// uninterrupted one. Modules hold no dynamic state, random streams are keyed to (seed, stream, entity, month), and
/// the world is rebuilt deterministically from the spec: so the state is the world's dynamic arrays, the lever
/// values, the months done and the monthly series.
/// <para>Format (little-endian): "LEAPCKPT", format version (int32), model signature (string), the spec, the
/// state, then the length of everything so far plus these 8 bytes (int64) and a SHA-256 of everything before
/// it (32 bytes). A reader checks magic, version, length and checksum before it parses anything.</para>
/// </summary>
public static class Checkpoint
{
    public const int FormatVersion = 2;
    private const int TrailerBytes = 8 + 32;
    private static ReadOnlySpan<byte> Magic => "LEAPCKPT"u8;

    /// <summary>Writes the state of <paramref name="sim"/> (between months) and <paramref name="spec"/>.</summary>
    public static void Write(Stream output, Simulation sim, RunSpec spec)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("checkpoints are written on little-endian machines");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var hashing = new HashingStream(output, hash);
        using (var w = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(ModelSignature());
            WriteSpec(w, spec);
            WriteState(w, sim);
            w.Flush();
            w.Write(hashing.Position + 8);
        }
        output.Write(hash.GetHashAndReset());
    }

    /// <summary>Reads and verifies a checkpoint. Any problem (truncated, corrupt, another version) is an
    /// <see cref="InputException"/> naming <paramref name="fileName"/>.</summary>
    public static CheckpointData Read(Stream input, string fileName)
    {
        byte[] all;
        try
        {
            using var ms = new MemoryStream();
            input.CopyTo(ms);
            all = ms.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Bad(fileName, "the checkpoint cannot be read: " + e.Message.ReplaceLineEndings(" "));
        }
        if (all.Length < Magic.Length || !all.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw Bad(fileName, "not a LeapSim checkpoint (it does not start with LEAPCKPT)");
        if (all.Length < Magic.Length + 4 + TrailerBytes)
            throw Bad(fileName, "the checkpoint is truncated");
        var version = BinaryPrimitives.ReadInt32LittleEndian(all.AsSpan(Magic.Length));
        var stated = BinaryPrimitives.ReadInt64LittleEndian(all.AsSpan(all.Length - TrailerBytes));
        if (stated != all.Length - 32)
            throw Bad(fileName, $"the checkpoint is truncated or has bytes appended ({all.Length} bytes, its trailer says {stated + 32})");
        if (!SHA256.HashData(all.AsSpan(0, all.Length - 32)).AsSpan().SequenceEqual(all.AsSpan(all.Length - 32)))
            throw Bad(fileName, "the checkpoint is corrupt (its SHA-256 checksum does not match)");
        if (version != FormatVersion)
            throw Bad(fileName, $"the checkpoint has format version {version}; this LeapSim reads version {FormatVersion}");

        try
        {
            using var ms = new MemoryStream(all, 0, all.Length - TrailerBytes, writable: false);
            using var r = new BinaryReader(ms, Encoding.UTF8);
            ms.Position = Magic.Length + 4;
            var signature = r.ReadString();
            if (signature != ModelSignature())
                throw Bad(fileName, "the checkpoint was made by a different version of the model (its parameters, policies, series or state differ); run again from the start");
            var spec = ReadSpec(r);
            var stateOffset = (int)ms.Position;
            var monthsDone = r.ReadInt32();
            var monthCount = r.ReadInt32();
            if (monthsDone < 0 || monthsDone > monthCount) throw new InvalidDataException("months done out of range");
            return new CheckpointData(fileName, spec, monthsDone, monthCount, all, stateOffset, all.Length - TrailerBytes);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException or FormatException or OverflowException)
        {
            throw Bad(fileName, "the checkpoint is malformed: " + e.Message.ReplaceLineEndings(" "));
        }
    }

    /// <summary>Rebuilds the run of a checkpoint and restores its state: the next <see cref="Simulation.Step"/>
    /// continues where it stopped. <paramref name="threads"/> may differ from the original run's (results do not
    /// depend on it).</summary>
    public static Simulation Resume(CheckpointData data, int? threads = null)
    {
        var spec = data.Spec;
        var options = threads is { } t ? spec.Options with { Threads = t } : spec.Options;
        var sim = new Simulation(spec.Scenario, options, spec.LoadInputs());
        try
        {
            using var ms = new MemoryStream(data.Bytes, data.StateOffset, data.StateEnd - data.StateOffset, writable: false);
            using var r = new BinaryReader(ms, Encoding.UTF8);
            ReadState(r, sim, data.File);
            if (ms.Position != ms.Length) throw new InvalidDataException("bytes left over after the state");
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException or OverflowException)
        {
            throw Bad(data.File, "the checkpoint's state is malformed: " + e.Message.ReplaceLineEndings(" "));
        }
        return sim;
    }

    private static InputException Bad(string file, string problem) => new(new SourceLocation(file, 0, "<checkpoint>"), problem);

    // ---------------------------------------------------------------- the spec

    private static void WriteSpec(BinaryWriter w, RunSpec spec)
    {
        var o = spec.Options;
        w.Write((int)o.Resolution);
        w.Write(o.Seed);
        w.Write(o.Years.FirstYear);
        w.Write(o.Years.LastYear);
        w.Write(o.Threads);
        w.Write(o.Provinces is null ? -1 : o.Provinces.Count);
        foreach (var p in o.Provinces ?? []) w.Write(p);

        var s = spec.Scenario;
        w.Write(s.Name);
        w.Write(s.Description);
        w.Write(s.Chain.Count);
        foreach (var c in s.Chain) w.Write(c);
        w.Write(s.Parameters.Count);
        foreach (var p in s.Parameters)
        {
            w.Write(p.Name);
            w.Write(p.Value);
            WriteLocation(w, p.Location);
        }
        w.Write(s.Events.Count);
        foreach (var e in s.Events)
        {
            w.Write(e.Id);
            w.Write(e.Policy);
            w.Write(e.Date.Index);
            w.Write(e.Settings.Count);
            foreach (var (k, v) in e.Settings)
            {
                w.Write(k);
                w.Write(v);
            }
            w.Write(e.Enabled);
            w.Write(e.Description);
            WriteLocation(w, e.Location);
        }

        w.Write(spec.Inputs.Count);
        foreach (var f in spec.Inputs)
        {
            w.Write(f.Name);
            w.Write(f.Bytes.Length);
            w.Write(f.Bytes);
        }
        w.Write(spec.Notes.Count);
        foreach (var (k, v) in spec.Notes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Write(k);
            w.Write(v);
        }
    }

    private static RunSpec ReadSpec(BinaryReader r)
    {
        var resolution = (Resolution)r.ReadInt32();
        if (!Enum.IsDefined(resolution)) throw new InvalidDataException($"unknown resolution {(int)resolution}");
        var seed = r.ReadUInt64();
        var first = r.ReadInt32();
        var last = r.ReadInt32();
        var threads = r.ReadInt32();
        var provinceCount = r.ReadInt32();
        List<string>? provinces = provinceCount < 0 ? null : [.. Repeat(provinceCount, r.ReadString)];
        var options = new RunOptions
        {
            Resolution = resolution,
            Seed = seed,
            Years = new YearSpan(first, last),
            Threads = Math.Max(1, threads),
            Provinces = provinces,
        };

        var name = r.ReadString();
        var description = r.ReadString();
        var chain = Repeat(r.ReadInt32(), r.ReadString);
        var parameters = Repeat(r.ReadInt32(), () => new ParameterOverride(r.ReadString(), r.ReadDouble(), ReadLocation(r)));
        var events = Repeat(r.ReadInt32(), () =>
        {
            var id = r.ReadString();
            var policy = r.ReadString();
            var date = new Month(r.ReadInt32());
            var settings = new Dictionary<string, double>(StringComparer.Ordinal);
            var n = Count(r.ReadInt32());
            for (var i = 0; i < n; i++) settings.Add(r.ReadString(), r.ReadDouble());
            return new PolicyEvent(id, policy, date, settings, r.ReadBoolean(), r.ReadString(), ReadLocation(r));
        });
        var scenario = new ResolvedScenario(name, description, chain, parameters, events);

        var inputs = Repeat(r.ReadInt32(), () =>
        {
            var file = r.ReadString();
            var length = Count(r.ReadInt32());
            var bytes = r.ReadBytes(length);
            if (bytes.Length != length) throw new EndOfStreamException();
            return new InputFile(file, bytes);
        });
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        var noteCount = Count(r.ReadInt32());
        for (var i = 0; i < noteCount; i++) notes[r.ReadString()] = r.ReadString();
        return new RunSpec(scenario, options, inputs, notes);
    }

    private static void WriteLocation(BinaryWriter w, SourceLocation l)
    {
        w.Write(l.File);
        w.Write(l.Line);
        w.Write(l.Key);
    }

    private static SourceLocation ReadLocation(BinaryReader r) => new(r.ReadString(), r.ReadInt32(), r.ReadString());

    private static int Count(int n) => n is >= 0 and <= 100_000_000 ? n : throw new InvalidDataException($"bad count {n}");

    private static List<T> Repeat<T>(int n, Func<T> read)
    {
        var list = new List<T>();
        for (var i = 0; i < Count(n); i++) list.Add(read());
        return list;
    }

    // ---------------------------------------------------------------- the state

    private static void WriteState(BinaryWriter w, Simulation sim)
    {
        var world = sim.World;
        w.Write(sim.MonthsDone);
        w.Write(sim.MonthCount);
        w.Write(world.Units.Count);
        w.Write(world.Provinces.Count);
        w.Write(WorldFingerprint(world));
        WriteArrays(w, RuralColumns(world.Units));
        WriteArrays(w, ArrayMembers(world.Urban));
        WriteArrays(w, ArrayMembers(world.ProvinceState));
        WriteArrays(w, ArrayMembers(world.National));
        var scalars = ScalarFields(world.National);
        w.Write(scalars.Count);
        foreach (var f in scalars)
        {
            w.Write(f.Name);
            w.Write((double)f.GetValue(world.National)!);
        }
        w.Write(sim.Levers.Names.Count);
        for (var i = 0; i < sim.Levers.Names.Count; i++)
        {
            w.Write(sim.Levers.Names[i]);
            w.Write(sim.Levers.Values[i]);
        }
        w.Write(sim.Results.Series.Count);
        foreach (var s in sim.Results.Series) w.Write(s.Name);
        WriteArrays(w, [("series", sim.Results.RawValues)]);
    }

    private static void ReadState(BinaryReader r, Simulation sim, string file)
    {
        var world = sim.World;
        var monthsDone = r.ReadInt32();
        var monthCount = r.ReadInt32();
        var units = r.ReadInt32();
        var provinces = r.ReadInt32();
        if (monthCount != sim.MonthCount || units != world.Units.Count || provinces != world.Provinces.Count)
            throw Bad(file, $"the rebuilt run does not match the checkpoint ({sim.MonthCount} months, {world.Units.Count} units, "
                            + $"{world.Provinces.Count} provinces; the checkpoint has {monthCount}, {units}, {provinces})");
        var fingerprint = r.ReadBytes(32);
        if (!fingerprint.AsSpan().SequenceEqual(WorldFingerprint(world)))
            throw Bad(file, "the world rebuilt from the checkpoint's inputs differs from the one that was saved (a different version of the world builder?)");
        ReadArrays(r, RuralColumns(world.Units), "rural units", file);
        ReadArrays(r, ArrayMembers(world.Urban), "urban sectors", file);
        ReadArrays(r, ArrayMembers(world.ProvinceState), "province state", file);
        ReadArrays(r, ArrayMembers(world.National), "national state", file);
        var scalars = ScalarFields(world.National);
        var n = r.ReadInt32();
        if (n != scalars.Count) throw Bad(file, $"the checkpoint has {n} national figures, this model {scalars.Count}");
        foreach (var f in scalars)
        {
            var name = r.ReadString();
            if (name != f.Name) throw Bad(file, $"national figure '{name}' where this model has '{f.Name}'");
            f.SetValue(world.National, r.ReadDouble());
        }
        var levers = r.ReadInt32();
        if (levers != sim.Levers.Names.Count) throw Bad(file, $"the checkpoint has {levers} levers, this model {sim.Levers.Names.Count}");
        for (var i = 0; i < levers; i++)
        {
            var name = r.ReadString();
            if (name != sim.Levers.Names[i]) throw Bad(file, $"lever '{name}' where this model has '{sim.Levers.Names[i]}'");
            sim.Levers.Values[i] = r.ReadDouble();
        }
        var series = r.ReadInt32();
        if (series != sim.Results.Series.Count) throw Bad(file, $"the checkpoint has {series} series, this model {sim.Results.Series.Count}");
        for (var i = 0; i < series; i++)
        {
            var name = r.ReadString();
            if (name != sim.Results.Series[i].Name) throw Bad(file, $"series '{name}' where this model has '{sim.Results.Series[i].Name}'");
        }
        ReadArrays(r, [("series", sim.Results.RawValues)], "monthly series", file);
        sim.RestoreMonthsDone(monthsDone);
    }

    /// <summary>The rural columns a checkpoint holds: the declared state columns (headcounts included).</summary>
    private static List<(string Name, Array Data)> RuralColumns(RuralUnits u) =>
        [.. u.StateColumns.Select(c => (c.Name, (Array)c.Data))];

    /// <summary>Every public array of a state object (properties and fields), in name order.</summary>
    private static List<(string Name, Array Data)> ArrayMembers(object o)
    {
        var t = o.GetType();
        var props = t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType.IsArray && p.GetIndexParameters().Length == 0)
            .Select(p => (p.Name, (Array)p.GetValue(o)!));
        var fields = t.GetFields(BindingFlags.Public | BindingFlags.Instance)
            .Where(f => f.FieldType.IsArray)
            .Select(f => (f.Name, (Array)f.GetValue(o)!));
        return [.. props.Concat(fields).OrderBy(x => x.Name, StringComparer.Ordinal)];
    }

    private static List<FieldInfo> ScalarFields(object o) =>
        [.. o.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance)
            .Where(f => f.FieldType == typeof(double))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];

    private static void WriteArrays(BinaryWriter w, IReadOnlyList<(string Name, Array Data)> arrays)
    {
        w.Write(arrays.Count);
        foreach (var (name, data) in arrays)
        {
            w.Write(name);
            w.Write(TypeTag(data));
            w.Write(data.Length);
            w.Write(Bytes(data));
        }
    }

    private static void ReadArrays(BinaryReader r, IReadOnlyList<(string Name, Array Data)> arrays, string what, string file)
    {
        var n = r.ReadInt32();
        if (n != arrays.Count)
            throw Bad(file, $"the checkpoint has {n} arrays of {what}, this model {arrays.Count}");
        foreach (var (name, data) in arrays)
        {
            var saved = r.ReadString();
            var tag = r.ReadByte();
            var length = r.ReadInt32();
            if (saved != name || tag != TypeTag(data) || length != data.Length)
                throw Bad(file, $"{what}: the checkpoint has '{saved}' ({length} values) where this model has '{name}' ({data.Length} values)");
            var target = Bytes(data);
            var got = r.Read(target);
            // Read may return fewer bytes than asked for; fill the rest.
            while (got < target.Length)
            {
                var more = r.Read(target[got..]);
                if (more == 0) throw new EndOfStreamException($"{what}: '{name}' is cut short");
                got += more;
            }
        }
    }

    private static byte TypeTag(Array a) => a switch
    {
        float[] => 1,
        double[] => 2,
        int[] => 3,
        _ => throw new NotSupportedException($"state arrays of {a.GetType().Name} cannot be checkpointed"),
    };

    private static Span<byte> Bytes(Array a) => a switch
    {
        float[] f => MemoryMarshal.AsBytes(f.AsSpan()),
        double[] d => MemoryMarshal.AsBytes(d.AsSpan()),
        int[] i => MemoryMarshal.AsBytes(i.AsSpan()),
        _ => throw new NotSupportedException($"state arrays of {a.GetType().Name} cannot be checkpointed"),
    };

    /// <summary>A hash of the world's fixed attributes: a rebuilt world must be the same world.</summary>
    private static byte[] WorldFingerprint(SimWorld world)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var u = world.Units;
        foreach (var a in new Array[] { u.ProvinceOf, u.CountyOf, u.CommuneOf, u.LandHa, u.LandQuality, u.BaseOutputKg, u.Zeal, u.DistanceKm,
                     world.Hierarchy.CountyProvince, world.Hierarchy.CommuneCounty, world.Hierarchy.BrigadeCommune, world.Hierarchy.TeamBrigade,
                     world.Provinces.Population1957, world.Provinces.UrbanShare1957, world.Provinces.GrainOutput1957Kg, world.Provinces.LeaderZeal })
            h.AppendData(Bytes(a));
        return h.GetHashAndReset();
    }

    /// <summary>
    /// A digest of what the model declares: parameters, policies, series, modules and the names of every state
    /// array and figure. A checkpoint made by a model that differs in any of them cannot be resumed.
    /// </summary>
    public static string ModelSignature()
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append("format ").Append(FormatVersion).Append('\n');
        foreach (var m in ModuleCatalog.Modules) sb.Append("module ").Append(m.Name).Append('\n');
        foreach (var p in ModuleCatalog.AllParameters())
            sb.Append(inv, $"parameter {p.Name} {p.Default:R} {p.Min:R} {p.Max:R}\n");
        foreach (var p in ModuleCatalog.Policies())
            foreach (var s in p.Settings)
                sb.Append(inv, $"lever {p.Key}.{s.Name} {s.Default:R} {s.Min:R} {s.Max:R}\n");
        foreach (var s in SeriesCatalog.All) sb.Append(inv, $"series {s.Name} {s.Aggregation}\n");
        var units = new RuralUnits(0);
        foreach (var (name, _) in RuralColumns(units)) sb.Append("rural ").Append(name).Append('\n');
        foreach (var (name, _) in ArrayMembers(new UrbanSectors(0))) sb.Append("urban ").Append(name).Append('\n');
        foreach (var (name, _) in ArrayMembers(new ProvinceState(0))) sb.Append("province ").Append(name).Append('\n');
        var national = new NationalState();
        foreach (var (name, _) in ArrayMembers(national)) sb.Append("national ").Append(name).Append('\n');
        foreach (var f in ScalarFields(national)) sb.Append("national ").Append(f.Name).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>A write-only stream that hashes what passes through and counts it.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        private long _position;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _position;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
            _position += buffer.Length;
        }
    }
}
