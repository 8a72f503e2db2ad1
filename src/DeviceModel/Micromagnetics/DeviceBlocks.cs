using ILGPU;
using ILGPU.Runtime;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// A <see cref="VectorField"/> on an ILGPU device, laid out as its x, y, z blocks, and the copies between the two. The copies
/// go through spans, which ILGPU pins for the copy: its <c>ref T, length</c> overloads take the array's address unpinned, and
/// a garbage collection inside the copy (ILGPU allocates there) moved the array under it — whole components were read from,
/// or written to, memory the array had left (1 to 4 round trips in 50,000 on 256-cell fields).
/// </summary>
public static class DeviceBlocks
{
    /// <summary>Copies <paramref name="v"/> into <paramref name="blocks"/> (3 × its count), waiting for the copy.</summary>
    public static void Upload(ArrayView<double> blocks, VectorField v)
    {
        int n = v.Count;
        blocks.SubView(0, n).CopyFromCPU(new ReadOnlySpan<double>(v.X));
        blocks.SubView(n, n).CopyFromCPU(new ReadOnlySpan<double>(v.Y));
        blocks.SubView(2L * n, n).CopyFromCPU(new ReadOnlySpan<double>(v.Z));
    }

    /// <summary>
    /// In a kernel: stores (x, y, z) as cell <paramref name="i"/> of <paramref name="blocks"/>, renormalised where the cell
    /// is magnetic, as <see cref="Magnet.Normalize"/> does (a zero or NaN vector stores NaN for the caller's check to find).
    /// </summary>
    public static void StoreNormalised(ArrayView<double> blocks, int i, int count, int region, double x, double y, double z)
    {
        double norm = region == Geometry.Empty ? 1 : Math.Sqrt(x * x + y * y + z * z);
        blocks[i] = x / norm;
        blocks[count + i] = y / norm;
        blocks[2 * count + i] = z / norm;
    }

    /// <summary>Copies <paramref name="blocks"/> into <paramref name="v"/>, waiting for the copy.</summary>
    public static void Download(ArrayView<double> blocks, VectorField v)
    {
        int n = v.Count;
        blocks.SubView(0, n).CopyToCPU(new Span<double>(v.X));
        blocks.SubView(n, n).CopyToCPU(new Span<double>(v.Y));
        blocks.SubView(2L * n, n).CopyToCPU(new Span<double>(v.Z));
    }
}
