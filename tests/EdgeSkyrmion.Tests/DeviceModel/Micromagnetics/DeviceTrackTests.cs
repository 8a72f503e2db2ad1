using EdgeSkyrmion.DeviceModel.Micromagnetics;
using EdgeSkyrmion.DeviceModel.Micromagnetics.Device;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class DeviceTrackTests
{
    [Fact]
    public void TheEffectiveLayerKeepsTheStacksMomentAnisotropyAndDrive()
    {
        var paper = new Material();
        var medium = new EffectiveMedium(4, paper);
        MagnetMaterial m = medium.Material;
        double mu0 = PhysicalConstants.Mu0TmPerA, ms = paper.SaturationMagnetizationAPerM;
        // Moment per area: four 1 nm Co layers.
        Assert.Equal(4 * paper.MagneticLayerThicknessM * ms, m.SaturationMagnetizationAPerM * medium.ThicknessM, 1e-12 * ms);
        // Uniform-state anisotropy per area, Ku − μ0Ms²/2 of each Co layer, for the track and the barrier.
        for (int region = 1; region <= 2; region++)
        {
            double layerKu = region == 1 ? paper.AnisotropyJPerM3 : paper.BarrierAnisotropyJPerM3;
            double stack = 4 * paper.MagneticLayerThicknessM * (layerKu - mu0 * ms * ms / 2);
            double effective = medium.ThicknessM * (m.AnisotropyJPerM3ByRegion[region] - mu0 * m.SaturationMagnetizationAPerM * m.SaturationMagnetizationAPerM / 2);
            Assert.Equal(stack, effective, 1e-9 * Math.Abs(stack));
        }
        // Damping-like SOT per area Ms·t·B_DL: the two driven Co layers'.
        var sot = new SpinOrbitTorque { CurrentDensityAPerM2 = 3e11, MagneticThicknessM = medium.SpinOrbitThicknessM };
        var layer = new SpinOrbitTorque { CurrentDensityAPerM2 = 3e11, MagneticThicknessM = paper.MagneticLayerThicknessM };
        Assert.Equal(2 * ms * paper.MagneticLayerThicknessM * layer.DampingLikeFieldT(ms), m.SaturationMagnetizationAPerM * medium.ThicknessM * sot.DampingLikeFieldT(m.SaturationMagnetizationAPerM), 1e-9);
        // n = 1 is the Co layer itself.
        var single = new EffectiveMedium(1, paper);
        Assert.Equal(ms, single.Material.SaturationMagnetizationAPerM);
        Assert.Equal(paper.AnisotropyJPerM3, single.Material.AnisotropyJPerM3ByRegion[1], 1e-6);
    }

    [Fact]
    public void ClustersAreFoundWhereTheReversedDisksWerePlacedAndTheReadAreaCoverageCountsThem()
    {
        var mesh = new Mesh(100, 40, 1, 2e-9, 2e-9, 1e-9);
        using var magnet = new Magnet(Geometry.Filled(mesh), new MagnetMaterial(), demag: false, threads: 1);
        (double X, double Y)[] centres = [(51e-9, 41e-9), (161e-9, 39e-9)];
        const double r = 12e-9;
        magnet.Set((x, y, _) => centres.Any(c => (x - c.X) * (x - c.X) + (y - c.Y) * (y - c.Y) < r * r) ? (0, 0, -1) : (0, 0, 1));
        var clusters = SkyrmionClusters.Find(magnet).OrderBy(c => c.XM).ToList();
        Assert.Equal(2, clusters.Count);
        for (int i = 0; i < 2; i++)
        {
            Assert.InRange(clusters[i].XM - centres[i].X, -1e-9, 1e-9);
            Assert.InRange(clusters[i].YM - centres[i].Y, -1e-9, 1e-9);
            Assert.InRange(clusters[i].EquivalentRadiusM, 0.93 * r, 1.07 * r);
        }
        // The area beyond x = 120 nm (80 × 80 nm) holds the second disk only.
        double expected = clusters[1].AreaM2 / (80e-9 * 80e-9);
        Assert.Equal(expected, SkyrmionClusters.ReversedFraction(magnet, 120e-9), 1e-12);
    }

    [Fact]
    public void TheScheduleCutsEachPulseAndGapIntoSnapshotsEndingOnThePhase()
    {
        var schedule = new TrackSchedule { Pulses = 2, PulseS = 1e-9, GapS = 0.3e-9, SnapshotS = 0.25e-9 };
        TrackSchedule.Segment[] segments = [.. schedule.Segments()];
        Assert.Equal(schedule.TotalS, segments.Sum(s => s.DurationS), 1e-18);
        Assert.Equal(4, segments.Count(s => s.Pulse == 1 && s.Driven));
        Assert.Equal(2, segments.Count(s => s.Pulse == 1 && !s.Driven));
        Assert.Equal(4, segments.Count(s => s.EndsPhase));
        Assert.All(segments.Where(s => !s.Driven), s => Assert.Equal(0, s.CurrentDensityAPerM2));
        Assert.Throws<ArgumentException>(() => new TrackSchedule { Pulses = 0 }.Validated());
    }

    [Fact]
    public void AnLtpPulseMovesTheSkyrmionOnTheTrackForwardLikeTheParticleModel()
    {
        // Coarse: 8 nm cells, one skyrmion, a 0.4 ns pulse; `device mm track` runs 4 nm cells and the paper's 2 ns pulses.
        var configuration = new DeviceConfiguration { MultilayerRepeats = 4, SkyrmionCount = 1 };
        using var particle = new ParticleTrack(configuration, seed: 3);
        TrackSnapshot start = particle.Relax([(150e-9, 110e-9)]);
        var schedule = new TrackSchedule { Pulses = 1, PulseS = 0.4e-9, GapS = 0, SnapshotS = 0.4e-9 };
        TrackSnapshot particleEnd = particle.Run(schedule)[^1];
        using var track = new MicromagneticTrack(4, 8e-9, particle.Parameters, threads: 1);
        Assert.Contains(track.Warnings, w => w.Contains("exchange length", StringComparison.Ordinal));
        TrackSnapshot relaxed = track.Relax([(start.Skyrmions[0].AlongTrackM, start.Skyrmions[0].AcrossTrackM)], configuration.Skyrmion.RadiusM);
        Assert.Single(relaxed.Skyrmions);
        TrackSnapshot end = track.Run(schedule)[^1];
        Assert.Single(end.Skyrmions);
        double moved = end.Skyrmions[0].AlongTrackM - relaxed.Skyrmions[0].AlongTrackM;
        Assert.True(moved > 4e-9, $"the skyrmion should move along +x under an LTP pulse, moved {moved * 1e9:F1} nm");
        Assert.True(particleEnd.Skyrmions[0].AlongTrackM > start.Skyrmions[0].AlongTrackM, "the particle model's skyrmion moves along +x too");
        Assert.InRange(relaxed.ConductanceG0, 1, 1.02); // nothing under the MTJ yet but the DMI-canted edges
        Assert.True(track.AcceptedSteps > 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public void TheWallTimeEstimateStepsTheRunsIntegratorAndLeavesMAndTheTemperatureAsTheyWere(double temperatureK)
    {
        ParticleParameters device = new DeviceConfiguration().Parameters(4);
        using var track = new MicromagneticTrack(4, 8e-9, device, threads: 1, lengthM: 200e-9);
        track.Magnet.Set((x, y, _) => (x - 100e-9) * (x - 100e-9) + (y - 110e-9) * (y - 110e-9) < 150e-18 ? (0, 0, -1) : (0, 0, 1));
        var before = new VectorField(track.Magnet.Mesh.Count);
        before.CopyFrom(track.Magnet.M);
        var schedule = new TrackSchedule { Pulses = 1, PulseS = 1e-9, GapS = 1e-9, SnapshotS = 0.5e-9, TemperatureK = temperatureK };
        double estimate = track.EstimateWallSeconds(schedule);
        Assert.Equal(0, before.MaxDifference(track.Magnet.M));
        Assert.Null(track.Magnet.Thermal);
        Assert.True(estimate > 0 && double.IsFinite(estimate), $"estimate {estimate} s");
        // The attempts it timed are not the run's.
        Assert.Equal(0, track.AcceptedSteps);
    }

    [Fact]
    public void AtThreeHundredKelvinTheTrackRunRepeatsForItsSeedAndDiffersForAnother()
    {
        // Coarse: 8 nm cells, the first 200 nm, one skyrmion, a 0.1 ns pulse and 0.1 ns without current at 0.1 ps Heun steps.
        ParticleParameters device = new DeviceConfiguration().Parameters(4);
        var schedule = new TrackSchedule { Pulses = 1, PulseS = 0.1e-9, GapS = 0.1e-9, SnapshotS = 0.05e-9, TemperatureK = 300 };
        (TrackSnapshot End, double[] Mz, long Steps) Run(ulong seed)
        {
            using var track = new MicromagneticTrack(4, 8e-9, device, threads: 1, lengthM: 200e-9);
            track.Relax([(100e-9, 110e-9)], 12.5e-9);
            TrackSnapshot end = track.Run(schedule, thermalSeed: seed)[^1];
            return (end, [.. track.Magnet.M.Z], track.AcceptedSteps);
        }
        var (a, again, other) = (Run(7), Run(7), Run(8));
        Assert.Equal(2000, a.Steps); // 0.2 ns at 0.1 ps: Heun's fixed steps, cut to end on each snapshot
        Assert.Single(a.End.Skyrmions);
        Assert.Single(other.End.Skyrmions);
        Assert.Equal(a.Mz, again.Mz);
        Assert.False(a.Mz.SequenceEqual(other.Mz), "another seed's thermal field should leave another magnetization");
    }

    [Fact]
    public void TheScheduleRefusesANegativeTemperatureAndAHeunStepOutsideItsRange()
    {
        Assert.Contains("temperature", Assert.Throws<ArgumentException>(() => new TrackSchedule { TemperatureK = -1 }.Validated()).Message);
        Assert.Contains("Heun step", Assert.Throws<ArgumentException>(() => new TrackSchedule { TemperatureK = 300, HeunStepS = 0 }.Validated()).Message);
        Assert.Contains("Heun step", Assert.Throws<ArgumentException>(() => new TrackSchedule { HeunStepS = 20e-12 }.Validated()).Message);
    }

    [Fact]
    public void ATrackThatWouldNotFitIsRefusedBeforeAnythingIsAllocated()
    {
        ParticleParameters device = new DeviceConfiguration().Parameters(1);
        var e = Assert.Throws<ArgumentException>(() => new MicromagneticTrack(4, 1e-9, device, threads: 1, memoryBudgetBytes: 64L << 20));
        Assert.Contains("MiB", e.Message);
        Assert.Throws<ArgumentException>(() => new MicromagneticTrack(0, 4e-9, device, threads: 1));
    }

    [Fact]
    public void AFieldLikeRatioAndAPolarizationReachTheTrackTorqueAndBadOnesAreRefused()
    {
        ParticleParameters device = new DeviceConfiguration().Parameters(1);
        using (var track = new MicromagneticTrack(4, 8e-9, device, threads: 1, lengthM: 200e-9, fieldLikeRatio: -0.5, polarization: (1, 0, 0)))
            Assert.Equal((-0.5, (1.0, 0.0, 0.0)), (track.Magnet.SpinOrbitTorque!.FieldLikeRatio, track.Magnet.SpinOrbitTorque.Polarization));
        using (var paper = new MicromagneticTrack(4, 8e-9, device, threads: 1, lengthM: 200e-9))
            Assert.Equal((0.0, 1.0, 0.0), paper.Magnet.SpinOrbitTorque!.Polarization);
        Assert.Contains("field-like", Assert.Throws<ArgumentException>(() => new MicromagneticTrack(4, 8e-9, device, threads: 1, lengthM: 200e-9, fieldLikeRatio: double.NaN)).Message);
        Assert.Contains("unit vector", Assert.Throws<ArgumentException>(() => new MicromagneticTrack(4, 8e-9, device, threads: 1, lengthM: 200e-9, polarization: (1, 1, 0))).Message);
    }

    [Fact]
    public void TheLayeredTrackHoldsEveryCoLayerAndDrivesTheOuterTwo()
    {
        ParticleParameters device = new DeviceConfiguration().Parameters(1);
        using var track = new MicromagneticTrack(4, 8e-9, device, threads: 1, layered: true, lengthM: 200e-9);
        Mesh mesh = track.Magnet.Mesh;
        Assert.True(track.Layered);
        Assert.Equal((25, 4, 1e-9, 3e-9), (mesh.Nx, mesh.Nz, mesh.CellZM, mesh.LayerPitchM));
        Assert.Equal(3, track.ReadLayer);
        SpinOrbitTorque sot = track.Magnet.SpinOrbitTorque!;
        Assert.Equal([true, false, false, true], [.. Enumerable.Range(0, 4).Select(sot.Drives)]);
        Assert.Equal(new MagnetMaterial().SaturationMagnetizationAPerM, track.Magnet.Material.SaturationMagnetizationAPerM);
        Assert.Throws<ArgumentException>(() => new MicromagneticTrack(4, 8e-9, device, threads: 1, lengthM: 900e-9));
    }
}
