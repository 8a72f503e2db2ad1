using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Protocol;
using EdgeSkyrmion.DeviceModel.Readout;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class EdgeAnnihilationTests
{
    private const double AnnihilationM = 18e-9;

    /// <summary>The tuned n = 4 device, one skyrmion, 0 K, with an edge-annihilation distance of 18 nm (the n = 4 scan's).</summary>
    private static DeviceConfiguration Annihilating(double? distanceM = AnnihilationM, int count = 1, double kelvin = 0)
    {
        ParticleParameterSet tuned = ParticleParameterSet.Tuned;
        ParticleParameterSet set = tuned with
        {
            Name = "tuned-with-edge-annihilation",
            Repeats = [.. tuned.Repeats.Select(r => r with { EdgeAnnihilationDistanceM = distanceM })],
        };
        return new DeviceConfiguration { MultilayerRepeats = 4, TemperatureK = kelvin, SkyrmionCount = count, ParameterSet = set };
    }

    [Fact]
    public void ASkyrmionTheHallDrivePressesIntoTheEdgeHarderThanItPushesBackIsAnnihilated()
    {
        // 30 MA/cm² drives the skyrmion at ≈ 83° towards the +y edge; holding it there takes ≈ 28 pN, which the tuned
        // edge gives only at d ≈ R = 12.5 nm, inside 18 nm: the skyrmion is lost. Without the distance the edge holds it there.
        DeviceConfiguration configuration = Annihilating();
        ParticleSystem lost = Single(100e-9, 60e-9), kept = lost.Clone();
        (double lostClosestM, double lastYM) = Drive(lost, configuration.Parameters(1), 30e10);
        (double keptClosestM, _) = Drive(kept, (configuration with { ParameterSet = ParticleParameterSet.Tuned }).Parameters(1), 30e10);
        Assert.True(EdgeAnnihilation.IsAnnihilated(lost.X[0]), $"x = {lost.X[0] * 1e9:F1} nm, y = {lost.Y[0] * 1e9:F1} nm: still on the track");
        Assert.Equal(EdgeAnnihilation.MarkerM, lost.Y[0]);
        Assert.True(lastYM > 150e-9, $"last seen at y = {lastYM * 1e9:F1} nm: not at the +y edge the Hall drive presses it on");
        Assert.True(lostClosestM >= AnnihilationM, "seen on the track inside the distance");
        Assert.False(EdgeAnnihilation.IsAnnihilated(kept.X[0]));
        Assert.InRange(keptClosestM, 0.5 * configuration.Skyrmion.RadiusM, AnnihilationM);
    }

    [Fact]
    public void ASkyrmionTheEdgeCanHoldIsKept()
    {
        // At 5 MA/cm² the Hall-pressed skyrmion needs ≈ 5 pN from the edge, which it gets ≈ 21 nm from it: outside 18 nm.
        ParticleSystem s = Single(100e-9, 150e-9);
        (double closestM, _) = Drive(s, Annihilating().Parameters(1), 5e10);
        Assert.False(EdgeAnnihilation.IsAnnihilated(s.X[0]), "lost");
        Assert.InRange(closestM, AnnihilationM, 25e-9);
    }

    /// <summary>50 ns of drive in 0.5 ns slices: the closest the skyrmion came to an edge while on the track, and its last y there.</summary>
    private static (double ClosestM, double LastYM) Drive(ParticleSystem s, ParticleParameters p, double currentDensityAPerM2)
    {
        using var backend = new CpuParticleBackend(1);
        double closest = double.PositiveInfinity, lastY = double.NaN;
        for (int slice = 0; slice < 100 && !EdgeAnnihilation.IsAnnihilated(s.X[0]); slice++)
        {
            lastY = s.Y[0];
            closest = Math.Min(closest, Math.Min(Math.Min(s.X[0], p.TrackLengthM - s.X[0]), Math.Min(s.Y[0], p.TrackWidthM - s.Y[0])));
            backend.Advance(s, p, currentDensityAPerM2, 50);
        }
        return (closest, lastY);
    }

    [Fact]
    public void AnAnnihilatedSkyrmionExertsNoForceIsNeverMovedAndIsNotRead()
    {
        ParticleParameters p = Annihilating(count: 2).Parameters(1);
        var pair = new ParticleSystem(1, 2);
        (pair.X[0], pair.Y[0]) = (EdgeAnnihilation.MarkerM, EdgeAnnihilation.MarkerM);
        (pair.X[1], pair.Y[1]) = (300e-9, 110e-9);
        ParticleParameters single = Annihilating().Parameters(1);
        ParticleSystem alone = Single(300e-9, 110e-9);
        new CpuParticleBackend().Advance(pair, p, 5e10, 500);
        new CpuParticleBackend().Advance(alone, single, 5e10, 500);
        Assert.Equal((EdgeAnnihilation.MarkerM, EdgeAnnihilation.MarkerM, 0.0), (pair.X[0], pair.Y[0], pair.BreathingM[0]));
        Assert.Equal(alone.X[0], pair.X[1]);
        Assert.Equal(alone.Y[0], pair.Y[1]);
        var readout = new MtjReadout();
        var dead = new ParticleSystem(1, 1);
        (dead.X[0], dead.Y[0]) = (EdgeAnnihilation.MarkerM, EdgeAnnihilation.MarkerM);
        Assert.Equal(1.0, readout.ConductanceG0(dead, single, new Track(), 0));
        Assert.Equal(0, MtjReadout.SkyrmionsInReadArea(dead, new Track(), 0));
    }

    [Fact]
    public void TheIlgpuKernelAnnihilatesTheSameSkyrmionsAsTheCSharpPath()
    {
        ParticleParameters p = Annihilating(count: 4, kelvin: 300).Parameters(7);
        ParticleSystem csharp = ParticleSystem.Nucleate(p, 2);
        // One skyrmion per device starts just outside the distance, in the Hall drive's way: it is lost within the run.
        for (int d = 0; d < 2; d++) (csharp.X[d * 4], csharp.Y[d * 4]) = (150e-9, p.TrackWidthM - AnnihilationM - 0.5e-9);
        ParticleSystem ilgpu = csharp.Clone();
        new CpuParticleBackend().Advance(csharp, p, 30e10, 40);
        using (var backend = new IlgpuParticleBackend(cpuOnly: true)) backend.Advance(ilgpu, p, 30e10, 40);
        Assert.True(EdgeAnnihilation.IsAnnihilated(csharp.X[0]) && EdgeAnnihilation.IsAnnihilated(csharp.X[4]), "the skyrmions at the edge were not lost");
        Assert.Contains(csharp.X, x => !EdgeAnnihilation.IsAnnihilated(x));
        for (int i = 0; i < csharp.X.Length; i++)
        {
            Assert.Equal(csharp.X[i], ilgpu.X[i], 1e-15);
            Assert.Equal(csharp.Y[i], ilgpu.Y[i], 1e-15);
            Assert.Equal(csharp.BreathingM[i], ilgpu.BreathingM[i], 1e-15);
        }
    }

    [Fact]
    public void NoSkyrmionIsNucleatedWithinTheAnnihilationDistance()
    {
        ParticleParameters p = Annihilating(distanceM: 30e-9, count: 20).Parameters(3);
        ParticleSystem s = ParticleSystem.Nucleate(p, 8);
        for (int i = 0; i < s.X.Length; i++)
            Assert.True(Math.Min(s.X[i], Math.Min(s.Y[i], p.TrackWidthM - s.Y[i])) >= 30e-9, $"skyrmion {i} at ({s.X[i] * 1e9:F1}, {s.Y[i] * 1e9:F1}) nm");
    }

    [Fact]
    public void TheDerivedDeviceLosesMostOfItsSkyrmionsAtTheEdgesInTheFirstPulseAndAllByTheProtocolsEnd()
    {
        // What micromagnetics shows (device mm track): at 30 MA/cm² the Hall drive carries the derived skyrmions into the
        // edge, which cannot hold them outside d_ann. Most survive relaxing without current; the first pulse takes most.
        var configuration = new DeviceConfiguration { MultilayerRepeats = 4, TemperatureK = 0, ParameterSet = ParticleParameterSet.Get("derived") };
        Assert.NotNull(configuration.Skyrmion.EdgeAnnihilationDistanceM);
        Characterizer.Result r = Characterizer.Run(configuration, new PulseProtocol(), 2, 1, new CpuParticleBackend(), "test");
        Assert.All(r.Calibration[0].SkyrmionsLeft, n => Assert.InRange(n, 17, 20));
        Assert.All(r.Calibration[1].SkyrmionsLeft, n => Assert.InRange(n, 0, 8));
        Assert.All(r.InitializedPulse.SkyrmionsLeft, n => Assert.Equal(0, n));
        Assert.Single(r.Levels.MeansG0);
    }

    [Fact]
    public void AnEdgeAnnihilationDistanceThatIsNotPositiveOrLeavesNoTrackIsRefusedByName()
    {
        string json = ParticleParameterSet.Tuned.ToJson().Replace("\"edge_annihilation_distance_m\": null", "\"edge_annihilation_distance_m\": -1E-08");
        Assert.NotEqual(ParticleParameterSet.Tuned.ToJson(), json);
        Assert.Contains("edge_annihilation_distance_m must be a positive number", Assert.Throws<ArgumentException>(() => ParticleParameterSet.FromJson(json, "test.json")).Message);
        Assert.Contains("leaves no room", Assert.Throws<ArgumentException>(() => Annihilating(distanceM: 110e-9).Validated()).Message);
    }

    private static ParticleSystem Single(double x, double y)
    {
        var s = new ParticleSystem(1, 1);
        s.X[0] = x;
        s.Y[0] = y;
        return s;
    }
}
