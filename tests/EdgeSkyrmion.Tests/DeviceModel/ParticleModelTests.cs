using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Readout;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class ParticleModelTests
{
    private static readonly DeviceConfiguration ZeroKelvin = new() { MultilayerRepeats = 4, TemperatureK = 0, SkyrmionCount = 1 };

    [Theory]
    [InlineData(0.1, 9.853844780)]
    [InlineData(0.5, 1.656441120)]
    [InlineData(1.0, 0.6019072302)]
    [InlineData(2.0, 0.1398658818)]
    [InlineData(5.0, 0.004044613445)]
    public void BesselK1MatchesTabulatedValues(double x, double expected) =>
        Assert.Equal(expected, BesselK1.Evaluate(x), expected * 1e-6);

    [Fact]
    public void FreeSkyrmionMovesAtTheSkyrmionHallAngle()
    {
        ParticleParameters p = ZeroKelvin.Parameters(1);
        GyroDissipativeTensor.Velocity(p, 1e-12, 0, out double vx, out double vy);
        double dissipationFactor = ZeroKelvin.Skyrmion.DissipationFactor;
        Assert.Equal(1 / (0.1 * dissipationFactor), vy / vx, 1e-9);
        Assert.True(Math.Atan2(vy, vx) * 180 / Math.PI > 80, "α = 0.1 gives a Hall angle above 80°");
    }

    [Fact]
    public void ProgrammingPulseCarriesASkyrmionAlongTheEdgeAroundTheBarrier()
    {
        ParticleParameters p = ZeroKelvin.Parameters(1);
        ParticleSystem s = Single(100e-9, 60e-9);
        new CpuParticleBackend().Advance(s, p, 30e10, 2000);
        Assert.True(s.X[0] > p.BarrierCenterXM + p.BarrierHalfLengthM, $"x = {s.X[0] * 1e9:F0} nm: past the barrier");
        Assert.True(s.Y[0] > p.TrackWidthM / 2, "it went around on the top edge (Hall motion for +x drive)");
    }

    [Fact]
    public void InitializationCurrentJamsASkyrmionAgainstTheBarrierInsteadOfCarryingItAcross()
    {
        ParticleParameters p = ZeroKelvin.Parameters(1);
        ParticleSystem s = Single(200e-9, 150e-9);
        new CpuParticleBackend().Advance(s, p, 5e10, 5000);
        Assert.True(s.X[0] < p.BarrierCenterXM - p.BarrierHalfLengthM, $"x = {s.X[0] * 1e9:F0} nm: still in the pre-synapse region");
        Assert.True(s.X[0] > p.BarrierCenterXM - p.BarrierHalfLengthM - 3 * p.RadiusM, "gathered at the barrier's face");
    }

    [Fact]
    public void ResultsForASeedDoNotDependOnThreadCount()
    {
        ParticleParameters p = new DeviceConfiguration { MultilayerRepeats = 4, TemperatureK = 300 }.Parameters(42);
        ParticleSystem one = ParticleSystem.Nucleate(p, 5), many = one.Clone();
        new CpuParticleBackend(1).Advance(one, p, 30e10, 150);
        new CpuParticleBackend(3).Advance(many, p, 30e10, 150);
        Assert.Equal(one.X, many.X);
        Assert.Equal(one.Y, many.Y);
        Assert.Equal(one.BreathingM, many.BreathingM);
    }

    [Fact]
    public void IlgpuCpuAcceleratorAgreesWithTheCSharpPath()
    {
        ParticleParameters p = new DeviceConfiguration { MultilayerRepeats = 4, TemperatureK = 300 }.Parameters(7);
        ParticleSystem csharp = ParticleSystem.Nucleate(p, 2), ilgpu = csharp.Clone();
        new CpuParticleBackend().Advance(csharp, p, 30e10, 40);
        using (var backend = new IlgpuParticleBackend(cpuOnly: true)) backend.Advance(ilgpu, p, 30e10, 40);
        Assert.Equal(csharp.Step, ilgpu.Step);
        for (int i = 0; i < csharp.X.Length; i++)
        {
            Assert.Equal(csharp.X[i], ilgpu.X[i], 1e-15);
            Assert.Equal(csharp.Y[i], ilgpu.Y[i], 1e-15);
            Assert.Equal(csharp.BreathingM[i], ilgpu.BreathingM[i], 1e-15);
        }
        Assert.NotEqual(ParticleSystem.Nucleate(p, 2).X, csharp.X);
    }

    [Fact]
    public void CounterRngGivesStandardNormalsThatDependOnlyOnTheKey()
    {
        double sum = 0, squares = 0;
        const int n = 20000;
        for (int i = 0; i < n; i++)
        {
            CounterRng.NormalPair(CounterRng.Key(3, i % 7, i, i % 5, 0), out double a, out double b);
            sum += a + b;
            squares += a * a + b * b;
        }
        Assert.InRange(sum / (2 * n), -0.02, 0.02);
        Assert.InRange(squares / (2 * n), 0.97, 1.03);
        CounterRng.NormalPair(CounterRng.Key(3, 1, 2, 3, 0), out double x1, out _);
        CounterRng.NormalPair(CounterRng.Key(3, 1, 2, 3, 0), out double x2, out _);
        Assert.Equal(x1, x2);
    }

    [Fact]
    public void MtjReadsTheCoveredFractionOfTheReadArea()
    {
        Assert.Equal(Math.PI * 50, MtjReadout.AreaBeyond(0, 10), 1e-9);
        Assert.Equal(0, MtjReadout.AreaBeyond(-10, 10));
        Assert.Equal(Math.PI * 100, MtjReadout.AreaBeyond(15, 10), 1e-9);
        ParticleParameters p = ZeroKelvin.Parameters(1);
        ParticleSystem s = Single(750e-9, 110e-9);
        double g = new MtjReadout().ConductanceG0(s, p, ZeroKelvin.Track, 0);
        Assert.Equal(1 + 2.8 * Math.PI * 12.5e-9 * 12.5e-9 / (140e-9 * 220e-9), g, 1e-12);
        Assert.InRange(g - 1, 0.04, 0.05); // ≈ 0.045 G0 per skyrmion (paper Fig. 4c calibration)
    }

    [Fact]
    public void PulseEnergyOfTheDefaultDeviceIsAboutThreeHundredFemtojoules()
    {
        double joules = PulseEnergy.Joules(40e-8, 12e-9, 800e-9, 220e-9, 30e10, 2e-9);
        Assert.InRange(joules * 1e15, 250, 350);
        Assert.Equal(joules / 36 * 12.5, PulseEnergy.Joules(40e-8, 12e-9, 800e-9, 220e-9, 5e10, 25e-9), 1e-20);
    }

    [Fact]
    public void UnphysicalParametersAreRefusedByName()
    {
        Assert.Contains("Ms", Assert.Throws<ArgumentException>(() =>
            new DeviceConfiguration { Material = new Material { SaturationMagnetizationAPerM = -1 } }.Validated()).Message);
        Assert.Contains("temperature", Assert.Throws<ArgumentException>(() => new DeviceConfiguration { TemperatureK = -1 }.Validated()).Message);
        Assert.Contains("width", Assert.Throws<ArgumentException>(() => new DeviceConfiguration { Track = new Track { WidthM = 0 } }.Validated()).Message);
        Assert.Contains("interspace", Assert.Throws<ArgumentException>(() => new DeviceConfiguration { InterspaceDskr = 0 }.Validated()).Message);
        Assert.Contains("n = 3", Assert.Throws<ArgumentException>(() => new DeviceConfiguration { MultilayerRepeats = 3 }.Validated()).Message);
    }

    private static ParticleSystem Single(double x, double y)
    {
        var s = new ParticleSystem(1, 1);
        s.X[0] = x;
        s.Y[0] = y;
        return s;
    }
}
