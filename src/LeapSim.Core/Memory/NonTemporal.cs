using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LeapSim.Core.Memory;

/// <summary>
/// Zeroes a span with non-temporal (streaming) stores where the processor has them: whole 64-byte lines written
/// straight to memory, without first reading each line into the cache as an ordinary store does. Why: the engine
/// clears a team world's monthly flow columns (16 MB each) at the start of every month, long before any module comes
/// back to them, so the ordinary store's read of every line is traffic for nothing and the cleared lines only push
/// other data out of the cache. The result is the same zeros (an <see cref="Sse.StoreFence"/> at the end orders the
/// streaming stores before anything the caller does next).
/// </summary>
public static unsafe class NonTemporal
{
    /// <summary>Spans shorter than this are cleared the ordinary way: a few lines are not worth the fence.</summary>
    public const int Smallest = 4096 / sizeof(float);

    /// <summary>Zeroes <paramref name="span"/>; streaming where the machine has AVX, the ordinary way elsewhere.</summary>
    public static void Clear(Span<float> span)
    {
        if (span.Length < Smallest || !Avx.IsSupported) { span.Clear(); return; }
        fixed (float* start = span)
        {
            var end = start + span.Length;
            // The ends up to the first and from the last 64-byte boundary the ordinary way; the lines between streamed.
            var first = (float*)(((nuint)start + 63) & ~(nuint)63);
            var last = (float*)((nuint)end & ~(nuint)63);
            new Span<float>(start, (int)(first - start)).Clear();
            if (Avx512F.IsSupported)
                for (var p = first; p < last; p += 16) Avx512F.StoreAlignedNonTemporal(p, Vector512<float>.Zero);
            else
                for (var p = first; p < last; p += 16)
                {
                    Avx.StoreAlignedNonTemporal(p, Vector256<float>.Zero);
                    Avx.StoreAlignedNonTemporal(p + 8, Vector256<float>.Zero);
                }
            new Span<float>(last, (int)(end - last)).Clear();
        }
        Sse.StoreFence();
    }
}
