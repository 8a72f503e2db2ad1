using EdgeSkyrmion.DeviceModel.Micromagnetics;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class BackendAgreementTests
{
    /// <summary>A small paper film with every term on: DMI, two anisotropy regions, demag, field, and a current.</summary>
    internal static Magnet Film(bool ilgpu)
    {
        var mesh = new Mesh(20, 12, 1, 2e-9, 2e-9, 1e-9);
        var geometry = Geometry.Filled(mesh).Paint(2, (x, y) => x > 16e-9 && x < 24e-9);
        var magnet = new Magnet(geometry, new MagnetMaterial(), threads: 1)
        {
            SpinOrbitTorque = new SpinOrbitTorque { CurrentDensityAPerM2 = 3e11 },
        };
        magnet.Zeeman.FieldT = (0.01, 0, 0.08);
        magnet.Set((x, y, _) => (Math.Sin(x * 2e8), Math.Cos(y * 3e8), (x - 20e-9) * (x - 20e-9) + (y - 12e-9) * (y - 12e-9) < 50e-18 ? -1 : 1));
        if (ilgpu) magnet.UseIlgpu(cpuOnly: true);
        return magnet;
    }

    [Fact]
    public void IlgpuKernelAndCSharpGiveTheSameTorqueAndTrajectory()
    {
        using Magnet cs = Film(ilgpu: false), gpu = Film(ilgpu: true);
        Assert.Equal("ilgpu-cpu", gpu.Backend);
        var a = new VectorField(cs.Mesh.Count);
        var b = new VectorField(cs.Mesh.Count);
        cs.Torque(cs.M, 0, a);
        gpu.Torque(gpu.M, 0, b);
        double scale = Magnet.MaxNorm(a);
        Assert.True(scale > 1e9, "the torque is not trivially zero");
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a.X[i], b.X[i], scale * 1e-12);
            Assert.Equal(a.Y[i], b.Y[i], scale * 1e-12);
            Assert.Equal(a.Z[i], b.Z[i], scale * 1e-12);
        }
        var rkCs = new DormandPrince(cs);
        var rkGpu = new DormandPrince(gpu);
        for (int step = 0; step < 4; step++)
            Assert.Equal(rkCs.Step(), rkGpu.Step());
        Assert.Equal(rkCs.TimeS, rkGpu.TimeS, 1e-20);
        for (int i = 0; i < a.Count; i++) Assert.Equal(cs.M.Z[i], gpu.M.Z[i], 1e-9);
    }

    [Fact]
    public void DampingLikeTorqueTiltsMTowardsThePolarization()
    {
        var material = new MagnetMaterial { ExchangeStiffnessJPerM = 0, InterfacialDmiJPerM2 = 0, AnisotropyJPerM3ByRegion = [0, 0] };
        var sot = new SpinOrbitTorque { CurrentDensityAPerM2 = 1e11 };
        using var magnet = new Magnet(Geometry.Filled(new Mesh(1, 1, 1, 1e-9, 1e-9, 1e-9)), material, demag: false, threads: 1) { SpinOrbitTorque = sot };
        var torque = new VectorField(1);
        magnet.Torque(magnet.M, 0, torque);
        double alpha = material.GilbertDamping, rate = material.GyromagneticRatioRadPerST * sot.DampingLikeFieldT(material.SaturationMagnetizationAPerM) / (1 + alpha * alpha);
        Assert.Equal(-alpha * rate, torque.X[0], rate * 1e-12);
        Assert.Equal(rate, torque.Y[0], rate * 1e-12);
        Assert.Equal(0, torque.Z[0], rate * 1e-12);
    }
}
