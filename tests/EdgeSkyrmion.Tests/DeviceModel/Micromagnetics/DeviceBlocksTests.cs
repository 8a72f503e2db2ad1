using EdgeSkyrmion.DeviceModel.Micromagnetics;
using EdgeSkyrmion.DeviceModel.Physics;
using ILGPU.Runtime;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class DeviceBlocksTests
{
    /// <summary>
    /// Fresh fields are young objects that the next garbage collection moves, and ILGPU allocates inside every copy, so
    /// some collections land mid-copy. With the address taken unpinned, 1 to 4 round trips in 50,000 came back with a whole
    /// component missing; 400,000 (about 4 s) make a pass by luck unlikely (e^-20) while the copy is unsafe.
    /// </summary>
    [Fact]
    public void AFieldCopiedToTheDeviceAndBackArrivesWholeWhileTheGarbageCollectorMovesIt()
    {
        const int cells = 256, roundTrips = 400_000;
        (ILGPU.Context context, Accelerator accelerator) = IlgpuAccelerators.Create(cpuOnly: true);
        using (context)
        using (accelerator)
        using (MemoryBuffer1D<double, ILGPU.Stride1D.Dense> buffer = accelerator.Allocate1D<double>(3 * cells))
        {
            for (int trip = 0; trip < roundTrips; trip++)
            {
                var sent = new VectorField(cells);
                for (int i = 0; i < cells; i++) (sent.X[i], sent.Y[i], sent.Z[i]) = (i + 1, -(i + 1), trip + 0.5);
                var received = new VectorField(cells);
                DeviceBlocks.Upload(buffer.View, sent);
                DeviceBlocks.Download(buffer.View, received);
                Assert.True(received.MaxDifference(sent) == 0,
                    $"round trip {trip}: the field came back differing by {received.MaxDifference(sent)} (x {received.X[0]}, y {received.Y[0]}, z {received.Z[0]} in cell 0)");
            }
        }
    }
}
