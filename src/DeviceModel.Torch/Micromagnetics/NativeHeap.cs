using System.Runtime.InteropServices;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// glibc's malloc policy for libtorch's per-call buffers. Each demag evaluation has libtorch allocate and free its
/// transforms' results, a few MB on a film and 100 MB a tensor on the 1 nm layered stacks of `device derive`. glibc maps
/// large blocks afresh (above its mmap threshold, which it moves with what it frees, and always above 32 MiB) and trims
/// the heap's top, so a call could touch hundreds of MB of new zeroed pages: one process in five on the 256 × 256 film
/// (476,000 page faults against 80,000; demag 5–7× slower), and every call on the 320 × 160 × 4 stack at 1 nm (2.0 s a
/// demag against 0.21 s, slower than Math.NET's 1.2 s). Serving every block from the heap and never trimming it keeps
/// freed buffers for the next call. Process-wide: the process keeps up to its peak of such buffers.
/// </summary>
internal static partial class NativeHeap
{
    private const int TrimThreshold = -1, MmapMax = -4;

    private static int s_applied;

    /// <summary>Applies the policy once per process, where glibc is the allocator (elsewhere nothing happens).</summary>
    public static void KeepFreedBuffers()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref s_applied, 1) == 1) return;
        try
        {
            Mallopt(MmapMax, 0);
            Mallopt(TrimThreshold, int.MaxValue);
        }
        catch (EntryPointNotFoundException)
        {
            // A C library without mallopt (musl's has it as a no-op): its own policy stays.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
