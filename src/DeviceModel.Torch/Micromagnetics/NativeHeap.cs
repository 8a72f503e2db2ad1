using System.Runtime.InteropServices;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// glibc's malloc policy for libtorch's per-call buffers. A transform's result of a few MB is allocated and freed on every
/// demag evaluation; glibc moves its mmap threshold with what it has freed and trims the heap top, and about one process
/// in five settled where every call mapped fresh pages again (476,000 page faults against 80,000 in the same run, a
/// demag 5–7× slower). Fixing the threshold at glibc's ceiling and never trimming keeps freed buffers for the next call.
/// Process-wide, and only ever raised: the process keeps up to its peak of such buffers.
/// </summary>
internal static partial class NativeHeap
{
    private const int TrimThreshold = -1, MmapThreshold = -3;

    /// <summary>glibc's ceiling for the mmap threshold on 64-bit systems (DEFAULT_MMAP_THRESHOLD_MAX).</summary>
    private const int MmapThresholdCeilingBytes = 32 << 20;

    private static int s_applied;

    /// <summary>Applies the policy once per process, where glibc is the allocator (elsewhere nothing happens).</summary>
    public static void KeepFreedBuffers()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref s_applied, 1) == 1) return;
        try
        {
            Mallopt(MmapThreshold, MmapThresholdCeilingBytes);
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
