using System.Runtime.InteropServices;
using LeapSim.Core.Memory;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.Memory;

/// <summary>
/// <see cref="Prefault"/>: what it must do where it can (map every page, so that writing the array then takes no page
/// faults, and keep every value), and do nothing where it cannot. Faults are counted for the test's own thread
/// (getrusage(RUSAGE_THREAD)), so tests running beside it do not disturb the count.
/// </summary>
public sealed class PrefaultTests
{
    private static readonly int Page = Environment.SystemPageSize;

    [Fact]
    public void Arrays_under_a_megabyte_are_left_to_fault_in()
    {
        Assert.False(Prefault.Map(new float[100_000]));
        Assert.False(Prefault.Map(Array.Empty<int>()));
    }

    [Fact]
    public void On_linux_5_14_or_later_the_call_is_available()
    {
        if (!OperatingSystem.IsLinux() || Environment.OSVersion.Version < new Version(5, 14)) return; // not expected there
        Assert.True(Prefault.Available, $"madvise(MADV_POPULATE_WRITE) not available on Linux {Environment.OSVersion.Version}");
    }

    [Fact]
    public void A_mapped_array_takes_no_faults_when_written_and_keeps_its_values()
    {
        var column = new float[16_000_000]; // 64 MB
        if (!Prefault.Available)
        {
            Assert.False(Prefault.Map(column)); // does nothing where it cannot
            return;
        }
        var pages = DropPages(column); // whatever the collector gave, its whole pages are now unmapped (and read as zeros)
        Assert.Equal(0, Resident(column));
        column[column.Length / 2] = 1.5f;                       // one page touched before mapping
        Assert.True(Prefault.Map(column));
        Assert.True(Resident(column) >= pages, $"{Resident(column)} of {pages} whole pages mapped");
        var faults = FaultsWhileWritingEveryPage(column);
        Assert.True(faults < pages / 100, $"{faults} faults writing {pages} mapped pages");
        Assert.Equal(1.5f, column[column.Length / 2]);
        column[column.Length / 2] = 0;
        Assert.True(column.AsSpan().IndexOfAnyExcept(0f) < 0); // FaultsWhileWritingEveryPage writes zeros

        // The measure can tell: the same array unmapped again takes a fault a page.
        DropPages(column);
        Assert.True(FaultsWhileWritingEveryPage(column) >= pages / 2);
    }

    [Fact]
    public void The_world_builder_maps_the_unit_table_before_writing_it()
    {
        if (!Prefault.Available || !Prefault.Enabled) return; // checked by the tests above
        var units = WorldBuilder.NewUnitTable(100_000); // cohorts 16.8 MB
        var pages = (int)(units.Cohorts.LongLength * 4 / Page) - 1;
        var faults = FaultsWhileWritingEveryPage(units.Cohorts);
        Assert.True(faults < pages / 100, $"{faults} faults writing the cohorts' {pages} pages");
    }

    /// <summary>Writes a zero at the start of every page of <paramref name="column"/>; the thread's minor faults meanwhile.</summary>
    private static long FaultsWhileWritingEveryPage(float[] column)
    {
        var before = MinorFaults();
        var step = Page / sizeof(float);
        for (var i = 0; i < column.Length; i += step) Volatile.Write(ref column[i], 0f);
        return MinorFaults() - before;
    }

    private static (long First, long End) WholePages(float[] column)
    {
        var handle = GCHandle.Alloc(column, GCHandleType.Pinned); // large arrays do not move; pinned to read the address
        try
        {
            return Prefault.WholePages((long)handle.AddrOfPinnedObject(), column.LongLength * 4);
        }
        finally { handle.Free(); }
    }

    /// <summary>Unmaps the whole pages of <paramref name="column"/> (madvise(MADV_DONTNEED): private memory reads as zeros after); returns how many.</summary>
    private static long DropPages(float[] column)
    {
        var (first, end) = WholePages(column);
        Assert.Equal(0, Libc<Madvise>("madvise")((nint)first, (nuint)(end - first), 4));
        return (end - first) / Page;
    }

    /// <summary>Whole pages of <paramref name="column"/> in memory (mincore(2)).</summary>
    private static long Resident(float[] column)
    {
        var (first, end) = WholePages(column);
        var vector = new byte[(end - first) / Page];
        Assert.Equal(0, Libc<Mincore>("mincore")((nint)first, (nuint)(end - first), vector));
        return vector.Count(b => (b & 1) != 0);
    }

    /// <summary>This thread's minor page faults so far (getrusage(RUSAGE_THREAD): ru_minflt is the ninth long of struct rusage).</summary>
    private static long MinorFaults()
    {
        var usage = new long[18];
        Assert.Equal(0, Libc<GetRusage>("getrusage")(1, usage));
        return usage[8];
    }

    private static T Libc<T>(string name) where T : Delegate
    {
        Assert.True(NativeLibrary.TryLoad("libc.so.6", out var libc) || NativeLibrary.TryLoad("libc", out libc));
        return Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(libc, name));
    }

    private delegate int Madvise(nint address, nuint length, int advice);
    private delegate int Mincore(nint address, nuint length, [Out] byte[] vector);
    private delegate int GetRusage(int who, [Out] long[] usage);
}
