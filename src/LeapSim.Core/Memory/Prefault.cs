using System.Runtime.InteropServices;

namespace LeapSim.Core.Memory;

/// <summary>
/// Maps all the pages of a large array at once (Linux 5.14+, <c>madvise(MADV_POPULATE_WRITE)</c>), before anything
/// touches it, instead of one page-fault trap per page at first touch. Why: the world builder first writes a team
/// world's 1.55 GB of unit columns, some 380,000 pages of 4 KB; taken one trap at a time they cost a one-year team run
/// about 422,000 page-fault exceptions and 4-5 s of system time, mapped in one call a column about 43,000 and 1-1.7 s,
/// and the build is 1.1-1.5 s shorter (bench/README.md, session of 2026-11-25). A hint only: the kernel maps the same zeroed
/// pages it would map at first touch, so no value changes. Where the call is not available (not Linux, an older
/// kernel, no C library found) <see cref="Map{T}"/> does nothing and the pages fault in as they are touched.
/// </summary>
public static unsafe class Prefault
{
    // The C library's madvise, or 0: glibc's soname first, then the runtime's own resolution of "libc" (musl and
    // others). Declared first: static initialisers run in order, and Available's probe calls it.
    private static readonly nint MadviseAddress = FindMadvise();

    /// <summary>Process-wide switch (default on). Front ends may turn it off to measure what mapping at once gives.</summary>
    public static bool Enabled { get; set; } = true;

    /// <summary>Whether this system maps pages on request: probed once, on a fresh array of a few pages.</summary>
    public static bool Available { get; } = Probe();

    // MADV_POPULATE_WRITE in Linux's mman-common.h: fault in every page of the range, writable, now.
    private const int PopulateWrite = 23;
    /// <summary>Arrays smaller than this fault in as they are touched: the call is not worth it for a few pages.</summary>
    public const long Smallest = 1 << 20;

    /// <summary>
    /// Maps every whole page inside <paramref name="column"/>'s elements now (zero-filled where not yet mapped; pages
    /// already mapped keep their contents); true when the kernel did. False, having done nothing, when
    /// <see cref="Enabled"/> is off, the call is not <see cref="Available"/>, or the array is under
    /// <see cref="Smallest"/> bytes. The array is pinned for the call, so its address cannot change under it.
    /// </summary>
    public static bool Map<T>(T[] column) where T : unmanaged =>
        Enabled && Available && column.LongLength * sizeof(T) >= Smallest && MapPinned(column);

    private static bool MapPinned<T>(T[] column) where T : unmanaged
    {
        fixed (T* data = column)
        {
            var (first, end) = WholePages((long)data, column.LongLength * sizeof(T));
            return end > first && Madvise(first, end - first, PopulateWrite) == 0;
        }
    }

    /// <summary>The first and the end address of the whole pages of the system's size inside [start, start + bytes).</summary>
    internal static (long First, long End) WholePages(long start, long bytes)
    {
        long page = Environment.SystemPageSize;
        return ((start + page - 1) & -page, (start + bytes) & -page);
    }

    private static int Madvise(long start, long bytes, int advice) =>
        ((delegate* unmanaged<nint, nuint, int, int>)MadviseAddress)((nint)start, (nuint)bytes, advice);

    private static nint FindMadvise()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        foreach (var name in (string[])["libc.so.6", "libc"])
            if (NativeLibrary.TryLoad(name, out var libc) && NativeLibrary.TryGetExport(libc, "madvise", out var export))
                return export;
        return 0;
    }

    /// <summary>True when madvise exists and accepts the advice (kernels before 5.14 answer EINVAL): tried on a fresh array of four pages.</summary>
    private static bool Probe() => MadviseAddress != 0 && MapPinned(new byte[4 * Environment.SystemPageSize]);
}
