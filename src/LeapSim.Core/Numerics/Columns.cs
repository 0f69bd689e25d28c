using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeapSim.Core.Numerics;

/// <summary>
/// Allocates the large columns of the unit table (and the benchmark's scratch) and has Linux map all their pages at
/// once (<c>madvise(MADV_POPULATE_WRITE)</c>, Linux 5.14+), instead of one page fault per 4 KB page at first touch.
/// Why: a team world's 1.55 GB of columns is some 380,000 pages; faulted one by one as the world builder first writes
/// them (in this PVM guest each fault traps to the hypervisor), a one-year team run took 421,705 faults and 3.1 s of
/// system time; with the columns mapped in a few hundred calls, 42,652 faults and 0.75 s, and the build is 1.1-1.5 s shorter (bench/README.md, session of 2026-11-25; 2 MB pages, tried beside
/// it, sped the build as much but slowed the months). A hint only: it changes no number. Elsewhere than Linux, on
/// older kernels, or when the C library cannot be found, it does nothing and the pages fault in as they are touched.
/// </summary>
public static unsafe class Columns
{
    /// <summary>Whether <see cref="Allocate{T}"/> maps the pages at once (default true). Front ends may turn it off to measure what it gives.</summary>
    public static bool Prefault { get; set; } = true;

    // MADV_POPULATE_WRITE in Linux's mman-common.h: populate (prefault) page tables writable, faulting in all pages.
    private const int AdvisePopulateWrite = 23;
    private const long Page = 4096;
    /// <summary>Columns smaller than this fault in as they are touched: the call is not worth it for a few pages.</summary>
    private const long Smallest = 1 << 20;

    /// <summary>A zeroed array of <paramref name="length"/> elements, its pages mapped when it spans at least a megabyte.</summary>
    public static T[] Allocate<T>(long length) where T : unmanaged
    {
        var column = new T[length];
        if (Prefault) Populate(column);
        return column;
    }

    /// <summary>
    /// Maps every whole page of <paramref name="column"/> now (writable, zero-filled where not yet mapped; pages already
    /// mapped are left as they are, contents unchanged); true when the kernel did so. False for a column under
    /// <see cref="Smallest"/> bytes, or where the call is not available. Large arrays live in the large object heap,
    /// which the collector does not move unless asked to, so the pages stay the column's.
    /// </summary>
    public static bool Populate<T>(T[] column) where T : unmanaged
    {
        if (MadviseAddress == 0) return false;
        var (first, end) = WholePages(column);
        return end - first >= Smallest && Advise(first, end - first, AdvisePopulateWrite);
    }

    /// <summary>
    /// <see cref="Populate{T}(T[])"/> for many columns at once, in pieces of <see cref="Piece"/> bytes on up to
    /// <paramref name="threads"/> threads (the kernel clears each page it maps). Does nothing when <see cref="Prefault"/>
    /// is off. Returns the pieces the kernel mapped.
    /// </summary>
    public static int Populate<T>(IReadOnlyList<T[]> columns, int threads) where T : unmanaged
    {
        if (!Prefault || MadviseAddress == 0) return 0;
        var pieces = new List<(long Start, long Bytes)>();
        foreach (var column in columns)
        {
            var (first, end) = WholePages(column);
            if (end - first < Smallest) continue;
            for (var at = first; at < end; at += Piece) pieces.Add((at, Math.Min(Piece, end - at)));
        }
        var mapped = 0;
        Parallel.For(0, pieces.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
        {
            if (Advise(pieces[i].Start, pieces[i].Bytes, AdvisePopulateWrite)) Interlocked.Increment(ref mapped);
        });
        GC.KeepAlive(columns);
        return mapped;
    }

    /// <summary>Bytes a thread maps in one call of the parallel <see cref="Populate{T}(IReadOnlyList{T[]}, int)"/>.</summary>
    private const long Piece = 8 << 20;

    /// <summary>The first and the end address of the whole pages inside <paramref name="column"/>'s elements.</summary>
    private static (long First, long End) WholePages<T>(T[] column) where T : unmanaged
    {
        var start = (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(column));
        return ((start + Page - 1) & ~(Page - 1), (start + column.LongLength * sizeof(T)) & ~(Page - 1));
    }

    private static bool Advise(long start, long bytes, int advice) =>
        ((delegate* unmanaged<nint, nuint, int, int>)MadviseAddress)((nint)start, (nuint)bytes, advice) == 0;

    // The C library's madvise, or 0: glibc's soname first, then the runtime's own resolution of "libc".
    private static readonly nint MadviseAddress = FindMadvise();

    private static nint FindMadvise()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        foreach (var name in (string[])["libc.so.6", "libc"])
            if (NativeLibrary.TryLoad(name, out var libc) && NativeLibrary.TryGetExport(libc, "madvise", out var export))
                return export;
        return 0;
    }
}
