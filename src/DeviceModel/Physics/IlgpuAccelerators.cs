using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The ILGPU context and accelerator every kernel path runs on: the preferred one (CUDA where present) or, with
/// <c>cpuOnly</c>, ILGPU's CPU accelerator. The context enables ILGPU.Algorithms because PTX has no double-precision
/// exp, log, sin or cos instruction; without it the particle kernel did not compile for CUDA ("The function 'LogF' does
/// not have an intrinsic implementation", an H200, 2026-12-04), while ILGPU's CPU accelerator, which runs .NET's Math,
/// never showed it.
/// </summary>
public static class IlgpuAccelerators
{
    public static (Context Context, Accelerator Accelerator) Create(bool cpuOnly)
    {
        Context context = Context.Create(b => (cpuOnly ? b.CPU() : b.Default()).EnableAlgorithms());
        try
        {
            return (context, cpuOnly ? context.CreateCPUAccelerator(0) : context.GetPreferredDevice(preferCPU: false).CreateAccelerator(context));
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }
}
