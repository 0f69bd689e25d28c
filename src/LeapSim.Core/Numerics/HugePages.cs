using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeapSim.Core.Numerics;

/// <summary>
/// Asks Linux to back a large column with 2 MiB pages (transparent huge pages, <c>madvise(MADV_HUGEPAGE)</c>) before it
/// is first written. A hint only: it changes no number, and where the kernel says no (another system, huge pages
/// off, a small array) nothing happens. Why: the team table's 1.6 GB are touched for the first time while the world
/// is built, and on this machine (a virtual machine whose memory is given to the process page by page) a first touch
/// of 4 KiB pages cost ~3 µs a page of system time, the build's largest part; with THP set to <c>madvise</c>, as here
/// and on most distributions, only memory that asks gets 2 MiB pages.
/// </summary>
internal static partial class HugePages
{
    private const int MadvHugepage = 14;
    private const long HugePage = 2 << 20;

    /// <summary>Whether huge pages are asked for (false on other systems, and after the first refusal; tests turn it off
    /// to compare).</summary>
    internal static bool Enabled { get; set; } = OperatingSystem.IsLinux();

    /// <summary>A new zeroed array of <paramref name="length"/> elements whose whole 2 MiB pages are advised.</summary>
    public static T[] NewArray<T>(long length) where T : unmanaged
    {
        var a = new T[length];
        Advise(a);
        return a;
    }

    /// <summary>Advises the whole 2 MiB pages inside <paramref name="array"/>'s data (none for arrays under 4 MiB);
    /// true if the kernel took the advice.</summary>
    public static unsafe bool Advise<T>(T[] array) where T : unmanaged
    {
        var bytes = (long)array.Length * sizeof(T);
        if (!Enabled || bytes < 2 * HugePage) return false;
        var start = (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        var first = (start + HugePage - 1) & ~(HugePage - 1);
        var end = (start + bytes) & ~(HugePage - 1);
        if (end <= first) return false;
        try
        {
            if (Madvise((nint)first, (nuint)(end - first), MadvHugepage) == 0) return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
        Enabled = false;
        return false;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
