using System.Runtime.InteropServices;
using LeapSim.Core.Numerics;
using LeapSim.Core.World;
using Xunit;

namespace LeapSim.Tests.Numerics;

public sealed class ColumnsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(3_000_000)] // 12 MB: spans huge pages
    public void A_column_is_zeroed_and_as_long_as_asked(int length)
    {
        var column = Columns.Allocate<float>(length);
        Assert.Equal(length, column.Length);
        Assert.True(column.AsSpan().IndexOfAnyExcept(0f) < 0);
        if (length > 0) { column[^1] = 2.5f; Assert.Equal(2.5f, column[^1]); }
    }

    [Fact]
    public void A_column_under_a_megabyte_is_left_to_fault_in()
    {
        Assert.False(Columns.Populate(new float[100_000]));
        Assert.False(Columns.Populate(Array.Empty<int>()));
    }

    [Fact]
    public void On_linux_populating_a_column_maps_every_whole_page_and_keeps_its_contents()
    {
        if (!OperatingSystem.IsLinux()) return; // the call exists only there
        var column = new float[16_000_000]; // 64 MB, fresh from the collector: its pages not yet touched
        column[0] = 1.5f;
        column[^1] = -2f;
        var residentBefore = ResidentPages(column);
        Assert.True(Columns.Populate(column));
        var (resident, whole) = (ResidentPages(column), WholePages(column));
        Assert.True(resident >= whole, $"{resident} of {whole} whole pages resident after populating ({residentBefore} before)");
        Assert.Equal(1.5f, column[0]);
        Assert.Equal(-2f, column[^1]);
        Assert.True(column.AsSpan(1, column.Length - 2).IndexOfAnyExcept(0f) < 0);
    }

    [Fact]
    public void On_linux_populating_columns_on_two_threads_maps_every_whole_page_of_each()
    {
        if (!OperatingSystem.IsLinux() || !Columns.Prefault) return;
        float[][] columns = [new float[5_000_000], new float[100_000], new float[3_000_001]]; // 20 MB, 0.4 MB (left alone), 12 MB
        columns[2][^1] = 7f;
        // 20 MB in three pieces of at most 8 MB, 12 MB in two.
        Assert.Equal(5, Columns.Populate(columns, threads: 2));
        Assert.True(ResidentPages(columns[0]) >= WholePages(columns[0]));
        Assert.True(ResidentPages(columns[2]) >= WholePages(columns[2]));
        Assert.Equal(7f, columns[2][^1]);
        Assert.True(columns[0].AsSpan().IndexOfAnyExcept(0f) < 0);
    }

    [Fact]
    public void The_unit_table_columns_are_mapped_when_allocated()
    {
        if (!OperatingSystem.IsLinux() || !Columns.Prefault) return;
        var units = new RuralUnits(300_000, threads: 2); // cohorts 50 MB, each other column 1.2 MB
        Assert.True(ResidentPages(units.Cohorts) >= WholePages(units.Cohorts));
        Assert.True(ResidentPages(units.QuotaKg) >= WholePages(units.QuotaKg));
    }

    private static long WholePages(float[] column)
    {
        var (first, end) = PageRange(column);
        return (end - first) / 4096;
    }

    private static (long First, long End) PageRange(float[] column)
    {
        var handle = GCHandle.Alloc(column, GCHandleType.Pinned); // large arrays do not move; pinned only to read the address
        var start = (long)handle.AddrOfPinnedObject();
        handle.Free();
        return ((start + 4095) & ~4095L, (start + column.LongLength * 4) & ~4095L);
    }

    private delegate int Mincore(nint address, nuint length, [Out] byte[] vector);

    /// <summary>Whole pages of <paramref name="column"/> that are in memory (mincore(2)).</summary>
    private static long ResidentPages(float[] column)
    {
        var (first, end) = PageRange(column);
        var pages = (end - first) / 4096;
        var vector = new byte[pages];
        Assert.True(NativeLibrary.TryLoad("libc.so.6", out var libc) || NativeLibrary.TryLoad("libc", out libc));
        var mincore = Marshal.GetDelegateForFunctionPointer<Mincore>(NativeLibrary.GetExport(libc, "mincore"));
        Assert.Equal(0, mincore((nint)first, (nuint)(end - first), vector));
        return vector.Count(b => (b & 1) != 0);
    }
}
