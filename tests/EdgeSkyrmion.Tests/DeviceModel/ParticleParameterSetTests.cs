using EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class ParticleParameterSetTests
{
    private static readonly Material Paper = new();

    [Fact]
    public void TheTunedSetHoldsTheHandTunedFormulasOfThePresets()
    {
        ParticleParameterSet tuned = ParticleParameterSet.Get("tuned");
        Assert.Equal([1, 2, 4, 6, 8], tuned.Repeats.Select(r => r.MultilayerRepeats));
        foreach (SkyrmionParameters r in tuned.Repeats)
        {
            int n = r.MultilayerRepeats;
            Close((r.RadiusM / 6e-9 + 6e-9 / r.RadiusM) / 2, r.DissipationFactor);
            Close(SpinOrbitDrive.DrivenLayers(n) * SpinOrbitDrive.ThinWallForcePerLayer(0.6, r.RadiusM) / 4, r.DriveNPerAPerM2);
            Close(3e-12 * n, r.PairStrengthN);
            Close(1.6 * r.RadiusM, r.PairRangeM);
            Close(7e-12 * n, r.EdgeStrengthN);
            Close(5e-9, r.EdgeRangeM);
            Close((860e3 - 717e3) * n * 1e-9 * 2 * Math.PI * r.RadiusM, r.BarrierStrengthN);
            Assert.Equal(1.0, r.TopologicalCharge);
        }
        Assert.Equal(12.5e-9, tuned.ForRepeats(4).RadiusM);
        static void Close(double expected, double actual) => Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Abs(expected), $"{actual} ≠ {expected}");
        Assert.Same(ParticleParameterSet.Tuned, new DeviceConfiguration().ParameterSet);
    }

    [Fact]
    public void TheDerivedSetReproducesTheMicromagneticDriftVelocityThroughTheThieleEquation()
    {
        ParticleParameterSet derived = ParticleParameterSet.Get("derived");
        Assert.Contains("device derive --from", derived.Source);
        var drive = DerivedParameters.Load(Path.Combine(Harness.Demo.ProgramPaths.RepositoryRoot(), "src/DeviceModel/Micromagnetics/Derivation/derived-drive-mml1.json"));
        var configuration = new DeviceConfiguration { MultilayerRepeats = 1, TemperatureK = 0, ParameterSet = derived };
        ParticleParameters p = configuration.Parameters(1);
        GyroDissipativeTensor.Velocity(p, SpinOrbitDrive.ForceX(p, drive.CurrentDrive!.CurrentDensityAPerM2), 0, out double vx, out double vy);
        Assert.Equal(drive.CurrentDrive.SpeedMPerS, Math.Sqrt(vx * vx + vy * vy), 6);
        // The tuned drive is a quarter of the thin-wall Thiele force: its free speed falls far short of micromagnetics.
        ParticleParameters tuned = (configuration with { ParameterSet = ParticleParameterSet.Tuned }).Parameters(1);
        GyroDissipativeTensor.Velocity(tuned, SpinOrbitDrive.ForceX(tuned, drive.CurrentDrive.CurrentDensityAPerM2), 0, out double tx, out double ty);
        Assert.InRange(Math.Sqrt(tx * tx + ty * ty), 15, 30);
        foreach (SkyrmionParameters r in derived.Repeats) Assert.True(r.RadiusM > ParticleParameterSet.Tuned.ForRepeats(r.MultilayerRepeats).RadiusM * 0.9);
    }

    [Fact]
    public void TheDerivedBreathingRelaxesAtTheMicromagneticTimeAndTheTunedOneAtTheAssumedFiveGigahertz()
    {
        var breathing = DerivedParameters.Load(Path.Combine(Harness.Demo.ProgramPaths.RepositoryRoot(), "src/DeviceModel/Micromagnetics/Derivation/derived-breathing-mml1.json"));
        double measuredS = breathing.Breathings![0].RelaxationTimePs!.Value * 1e-12;
        var configuration = new DeviceConfiguration { MultilayerRepeats = 1, TemperatureK = 300, ParameterSet = ParticleParameterSet.Get("derived") };
        Assert.Equal(measuredS, configuration.Skyrmion.BreathingRelaxationTimeS!.Value, 1e-18);
        Assert.Equal(Math.Exp(-configuration.TimeStepS / measuredS), configuration.Parameters(1).BreathingDecay, 12);
        ParticleParameters tuned = (configuration with { ParameterSet = ParticleParameterSet.Tuned }).Parameters(1);
        Assert.Null(ParticleParameterSet.Tuned.ForRepeats(1).BreathingRelaxationTimeS);
        Assert.Equal(Math.Exp(-configuration.TimeStepS * Paper.GilbertDamping * 2 * Math.PI * 5e9), tuned.BreathingDecay, 12);
        Assert.NotEqual(tuned.BreathingDecay, configuration.Parameters(1).BreathingDecay, 6);

        string json = ParticleParameterSet.Tuned.ToJson().Replace("\"breathing_relaxation_time_s\": null", "\"breathing_relaxation_time_s\": 0");
        Assert.NotEqual(ParticleParameterSet.Tuned.ToJson(), json);
        Assert.Contains("breathing_relaxation_time_s must be a positive number", Assert.Throws<ArgumentException>(() => ParticleParameterSet.FromJson(json, "test.json")).Message);
    }

    [Fact]
    public void ExponentialAndBesselProfilesAreRecoveredFromTheirForces()
    {
        // Synthetic pinned-core profiles with known laws: the assembler must give back A and ξ in the particle model's form.
        double[] d = [.. Enumerable.Range(0, 12).Select(i => 14.0 + 2 * i)];
        double[] pair = [.. Enumerable.Range(0, 12).Select(i => 26.0 + 4 * i)];
        double r = 11e-9;
        DerivedParameters.Interaction Exp(string kind, double a, double xi) =>
            new(kind, d, [.. d.Select(_ => 0.0)], d, [.. d.Select(x => a * Math.Exp(-(x * 1e-9 - r) / xi) * 1e12)], 0, 0, 1);
        var profiles = new List<DerivedParameters.Interaction>
        {
            Exp("edge", 3e-12, 8e-9), Exp("barrier", 2e-12, 4e-9),
            new("pair", pair, [.. pair.Select(_ => 0.0)], pair, [.. pair.Select(x => 5e-12 * BesselK1.Evaluate(x * 1e-9 / 7e-9) * 1e12)], 0, 0, 1),
        };
        var file = new DerivedParameters(2, "synthetic", 0.08, 2e-9, 128e-9, [new DerivedParameters.Skyrmion(1, r * 1e9, [r * 1e9], 1e-19, -1, 1.3, 82, true)],
            profiles, new DerivedParameters.Drive(3e11, 0, -100, 100, -90), [], null);
        ParticleParameterSet set = ParticleParameterDerivation.Assemble([file], ["synthetic.json"], ParticleParameterSet.Tuned, out var drives);
        SkyrmionParameters row = set.ForRepeats(1);
        Assert.Equal(3e-12, row.EdgeStrengthN, 1e-15);
        Assert.Equal(8e-9, row.EdgeRangeM, 1e-12);
        Assert.Equal(2e-12, row.BarrierStrengthN, 1e-15);
        Assert.Equal(4e-9, row.BarrierRangeM, 1e-12);
        Assert.Equal(7e-9, row.PairRangeM, 0.06e-9);
        Assert.Equal(5e-12, row.PairStrengthN, 0.1e-12);
        Assert.Null(row.CrossingBarrierJ);
        Assert.Null(row.EdgeAnnihilationDistanceM);
        Assert.True(Assert.Single(drives).Factor > 0);
    }

    [Fact]
    public void TheEdgeAnnihilationDistanceComesFromTheScanOrIsTheNearestScansWhateverTheRadius()
    {
        double[] d = [14, 18, 22, 26, 30];
        DerivedParameters.Interaction Exp(string kind) => new(kind, d, [.. d.Select(_ => 0.0)], d, [.. d.Select(x => 3 * Math.Exp(-x / 8))], 0, 0, 1);
        DerivedParameters.Interaction pair = new("pair", d, [.. d.Select(_ => 0.0)], d, [.. d.Select(x => 5 * BesselK1.Evaluate(x / 7))], 0, 0, 1);
        var scan = new DerivedParameters.EdgeScan(1, [12, 14, 16], [0, 0, 0], [null, null, 9], [true, true, false], 15, true);
        var file = new DerivedParameters(3, "synthetic", 0.08, 2e-9, 128e-9,
            [new DerivedParameters.Skyrmion(1, 11, [11], 1e-19, -1, 1.3, 82, true), new DerivedParameters.Skyrmion(2, 13, [13, 13], 1e-19, -1, 1.4, 82, true)],
            [Exp("edge"), Exp("barrier"), pair], new DerivedParameters.Drive(3e11, 0, -100, 100, -90), [], null, [scan]);
        ParticleParameterSet set = ParticleParameterDerivation.Assemble([file], ["synthetic.json"], ParticleParameterSet.Tuned, out _);
        Assert.Equal(15e-9, set.ForRepeats(1).EdgeAnnihilationDistanceM!.Value, 1e-15);
        Assert.Equal(15e-9, set.ForRepeats(2).EdgeAnnihilationDistanceM!.Value, 1e-15); // n = 1's, not moved out by the larger R = 13 nm
        Assert.Contains(set.Citations, c => c.Contains("edge annihilation measured: n = 1 at 15.0 nm"));
    }

    [Fact]
    public void APairProfileWhoseForcesRiseWithDistanceIsSkippedForTheNearestDecayingOne()
    {
        double[] d = [36, 48, 56, 68];
        DerivedParameters.Interaction Exp(string kind, int n) => new(kind, d, [.. d.Select(_ => 0.0)], d, [.. d.Select(x => 3 * Math.Exp(-x / 8))], 0, 0, n);
        DerivedParameters.Interaction decaying = new("pair", d, [.. d.Select(_ => 0.0)], d, [.. d.Select(x => 5 * BesselK1.Evaluate(x / 7))], 0, 0, 1);
        // The n = 2 stack's coarse pair profile (4 nm cells, 2026-12-02): deformed at contact, then rising.
        DerivedParameters.Interaction rising = new("pair", d, [.. d.Select(_ => 0.0)], d, [-10.6, 0.88, 2.16, 1.58], 0, 0, 2);
        var file = new DerivedParameters(3, "synthetic", 0.08, 2e-9, 128e-9,
            [new DerivedParameters.Skyrmion(1, 11, [11], 1e-19, -1, 1.3, 82, true), new DerivedParameters.Skyrmion(2, 13, [13, 13], 1e-19, -1, 1.4, 82, true)],
            [Exp("edge", 1), Exp("barrier", 1), decaying, Exp("edge", 2), Exp("barrier", 2), rising], new DerivedParameters.Drive(3e11, 0, -100, 100, -90), [], null);
        Assert.False(InteractionProfiles.FitExponential([.. d.Zip(rising.ForcePn, (x, f) => (x * 1e-9, f * 1e-12))]).DecayLengthM > 0);
        ParticleParameterSet set = ParticleParameterDerivation.Assemble([file], ["synthetic.json"], ParticleParameterSet.Tuned, out _);
        Assert.Equal(set.ForRepeats(1).PairRangeM, set.ForRepeats(2).PairRangeM);
        Assert.Equal(2 * set.ForRepeats(1).PairStrengthN, set.ForRepeats(2).PairStrengthN, 1e-18);
    }

    /// <summary>n = 1 edge, barrier (3·e^−d/8) and pair (5·K₁(d/7)) profiles at 14–30 nm: every force positive and falling.</summary>
    private static List<DerivedParameters.Interaction> DecayingProfiles()
    {
        double[] d = [14, 18, 22, 26, 30];
        DerivedParameters.Interaction Exp(string kind) => new(kind, d, [.. d.Select(_ => 0.0)], d, [.. d.Select(x => 3 * Math.Exp(-x / 8))], 0, 0, 1);
        return [Exp("edge"), Exp("barrier"), new("pair", d, [.. d.Select(_ => 0.0)], d, [.. d.Select(x => 5 * BesselK1.Evaluate(x / 7))], 0, 0, 1)];
    }

    /// <summary>An isolated skyrmion of n repeats with R = 10 + n nm in every layer.</summary>
    private static DerivedParameters.Skyrmion Stack(int n) => new(n, 10 + n, [.. Enumerable.Repeat(10.0 + n, n)], 1e-19, -1, 1.3, 82, true);

    [Fact]
    public void EachRepeatCountTakesTheDriveFactorOfTheNearestDrivenRepeatCount()
    {
        DerivedParameters File(int n, double speed) => new(3, $"drive n = {n}", 0.08, 2e-9, 256e-9, [Stack(n)], n == 1 ? DecayingProfiles() : null,
            new DerivedParameters.Drive(3e11, 0, -speed, speed, -90, n), []);
        var isolated = new DerivedParameters(3, "isolated", 0.08, 2e-9, 256e-9, [Stack(1), Stack(2), Stack(4), Stack(6)], null, null, []);
        ParticleParameterSet set = ParticleParameterDerivation.Assemble([isolated, File(1, 100), File(4, 50)], ["i", "d1", "d4"], ParticleParameterSet.Tuned, out var drives);
        Assert.Equal([1, 4], drives.Select(c => c.MultilayerRepeats));
        double Kappa(int n) => drives.Single(c => c.MultilayerRepeats == n).Factor;
        Assert.NotEqual(Kappa(1), Kappa(4), 6);
        double ThinWall(int n) => SpinOrbitDrive.DrivenLayers(n) * SpinOrbitDrive.ThinWallForcePerLayer(Paper.SpinHallAngle, set.ForRepeats(n).RadiusM);
        Assert.Equal(Kappa(1), set.ForRepeats(1).DriveNPerAPerM2 / ThinWall(1), 9);
        Assert.Equal(Kappa(1), set.ForRepeats(2).DriveNPerAPerM2 / ThinWall(2), 9);
        Assert.Equal(Kappa(4), set.ForRepeats(4).DriveNPerAPerM2 / ThinWall(4), 9);
        Assert.Equal(Kappa(4), set.ForRepeats(6).DriveNPerAPerM2 / ThinWall(6), 9);
    }

    [Fact]
    public void TheMeshFreeLayerDividesEveryDriveByTheStacksThicknessAndChangesNothingElse()
    {
        var file = new DerivedParameters(3, "synthetic", 0.08, 2e-9, 256e-9, [Stack(1), Stack(2), Stack(4), Stack(8)], DecayingProfiles(),
            new DerivedParameters.Drive(3e11, 0, -100, 100, -90), []);
        ParticleParameterSet layer = ParticleParameterDerivation.Assemble([file], ["synthetic.json"], ParticleParameterSet.Tuned, out _);
        ParticleParameterSet mesh = ParticleParameterDerivation.Assemble([file], ["synthetic.json"], ParticleParameterSet.Tuned, out _, SpinOrbitFreeLayer.Mesh);
        Assert.Equal("derived", layer.Name);
        Assert.Equal("derived-mesh-sot", mesh.Name);
        Assert.Contains("--sot-free-layer mesh", mesh.Source);
        foreach (int n in (int[])[1, 2, 4, 8])
        {
            SkyrmionParameters a = layer.ForRepeats(n), b = mesh.ForRepeats(n);
            Assert.Equal(a.DriveNPerAPerM2 / (3 * n), b.DriveNPerAPerM2, a.DriveNPerAPerM2 * 1e-12);
            Assert.Equal(a with { DriveNPerAPerM2 = b.DriveNPerAPerM2 }, b);
        }
        Assert.Contains("--sot-free-layer takes layer", Assert.Throws<ArgumentException>(() => SpinOrbitFreeLayers.Parse("stack")).Message);
    }

    [Fact]
    public void TheBreathingSdComesFromTheThermalRunScaledTo300KAndToOtherRepeatCounts()
    {
        double[] d = [14, 18, 22, 26, 30];
        DerivedParameters.Interaction Exp(string kind) => new(kind, d, [.. d.Select(_ => 0.0)], d, [.. d.Select(x => 3 * Math.Exp(-x / 8))], 0, 0, 1);
        DerivedParameters.Interaction pair = new("pair", d, [.. d.Select(_ => 0.0)], d, [.. d.Select(x => 5 * BesselK1.Evaluate(x / 7))], 0, 0, 1);
        var file = new DerivedParameters(3, "synthetic", 0.08, 2e-9, 128e-9,
            [new DerivedParameters.Skyrmion(1, 11, [11], 1e-19, -1, 1.3, 82, true), new DerivedParameters.Skyrmion(4, 16, [16, 16, 16, 16], 1e-19, -1, 1.6, 80, true)],
            [Exp("edge"), Exp("barrier"), pair], new DerivedParameters.Drive(3e11, 0, -100, 100, -90), [], null, null,
            [new DerivedParameters.BreathingRun(1, 75, 10, 2, 300, 200, false)]);
        ParticleParameterSet set = ParticleParameterDerivation.Assemble([file], ["synthetic.json"], ParticleParameterSet.Tuned, out _);
        Assert.Equal(4e-9, set.ForRepeats(1).BreathingSdM, 1e-15); // 2 nm at 75 K × √(300/75)
        Assert.Equal(2e-9, set.ForRepeats(4).BreathingSdM, 1e-15); // × √(1/4)
        Assert.Contains(set.Citations, c => c.StartsWith("breathing SD measured: n = 1 2.00 nm at 75 K"));
        ParticleParameterSet without = ParticleParameterDerivation.Assemble([file with { Breathings = null }], ["synthetic.json"], ParticleParameterSet.Tuned, out _);
        Assert.Equal(ParticleParameterSet.Tuned.ForRepeats(4).BreathingSdM, without.ForRepeats(4).BreathingSdM);
    }

    [Theory]
    [InlineData("\"radius_m\": 1E-08", "\"radius_m\": -1E-08", "radius_m must be a positive number")]
    [InlineData("\"edge_range_m\": 5E-09", "\"edge_range_m\": 0", "edge_range_m must be a positive number")]
    [InlineData("\"version\": 1", "\"version\": 9", "version 9")]
    public void AnUnphysicalParameterFileIsRefusedByName(string from, string to, string message)
    {
        string json = ParticleParameterSet.Tuned.ToJson().Replace(from, to);
        Assert.NotEqual(ParticleParameterSet.Tuned.ToJson(), json);
        var error = Assert.Throws<ArgumentException>(() => ParticleParameterSet.FromJson(json, "test.json"));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void ARepeatCountTheSetLacksIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new DeviceConfiguration { MultilayerRepeats = 3 }.Validated());
        Assert.Contains("no row for n = 3", error.Message);
    }
}
