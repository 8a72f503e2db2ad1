using EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class DerivationTests
{
    [Fact]
    public void StrayFieldsOfMoreRepeatsEnlargeTheIsolatedSkyrmion()
    {
        // Coarse (4 nm cells, 128 nm box) to stay quick; `device derive` runs the paper's 2 nm cells.
        var single = IsolatedSkyrmion.Run(1, cellM: 4e-9, boxM: 128e-9, threads: 1);
        var stack = IsolatedSkyrmion.Run(2, cellM: 4e-9, boxM: 128e-9, threads: 1);
        Assert.True(single.Converged && stack.Converged);
        Assert.InRange(single.RadiusM * 1e9, 7, 13);
        Assert.True(stack.RadiusM > single.RadiusM + 0.5e-9, $"R(n = 2) = {stack.RadiusM * 1e9:F2} nm should exceed R(n = 1) = {single.RadiusM * 1e9:F2} nm (paper Fig. 4b)");
        Assert.True(single.EnergyAboveUniformJ > 0, "an isolated skyrmion is metastable above the uniform state");
        Assert.InRange(single.TopologicalCharge, -1.1, -0.8);
    }

    [Fact]
    public void ACurrentDrivesTheMultilayerSkyrmionThroughItsOuterLayersAtTheSkyrmionHallAngle()
    {
        // Coarse (4 nm cells, 128 nm box); the torque in layers 0 and 1 of two pushes the tube along −x, and the gyrotropic
        // term turns it towards −y by the Hall angle (n = 1 at 2 nm: 76.6°).
        DrivenSkyrmion.Result r = DrivenSkyrmion.Run(2, 3e11, cellM: 4e-9, boxM: 128e-9, threads: 1);
        Assert.Equal(2, r.MultilayerRepeats);
        Assert.InRange(r.SpeedMPerS, 20, 250);
        Assert.True(r.VelocityYMPerS < 0, $"v = ({r.VelocityXMPerS:F1}, {r.VelocityYMPerS:F1}) m/s");
        Assert.InRange(180 - Math.Abs(r.AngleFromXDeg), 60, 95);
        Assert.True(r.RadiusAfterM > 0 && r.RadiusBeforeM > 0);
    }

    [Fact]
    public void TheThermalSkyrmionBreathesMoreAtRoomTemperatureThanCold()
    {
        // Coarse (4 nm cells, 96 nm box, 0.1 ns of samples): the radius fluctuates, more at 300 K than at 30 K (equipartition: √10).
        ThermalBreathing.Result warm = ThermalBreathing.Run(1, 300, 4e-9, 96e-9, sampleTimeS: 0.1e-9, stepS: 0.1e-12, equilibrationS: 0.05e-9, threads: 1);
        ThermalBreathing.Result cold = ThermalBreathing.Run(1, 30, 4e-9, 96e-9, sampleTimeS: 0.1e-9, stepS: 0.1e-12, equilibrationS: 0.05e-9, threads: 1);
        Assert.Equal(10, warm.Samples);
        Assert.False(warm.Collapsed);
        Assert.InRange(warm.MeanRadiusM * 1e9, 5, 15);
        Assert.True(warm.RadiusSdM > 0);
        Assert.True(cold.RadiusSdM < warm.RadiusSdM, $"SD {cold.RadiusSdM * 1e9:F3} nm at 30 K, {warm.RadiusSdM * 1e9:F3} nm at 300 K");
        Assert.Throws<ArgumentException>(() => ThermalBreathing.Run(1, 0, 4e-9, 96e-9, 0.1e-9, 0.1e-12));
    }

    [Fact]
    public void TheParameterFileCarriesItsVersionSourceAndWhatIsNotYetDerived()
    {
        var parameters = new DerivedParameters(DerivedParameters.CurrentVersion, "edgeskyrmion device derive --mml 4", 0.08, 2e-9, 128e-9,
            [new DerivedParameters.Skyrmion(4, 12.5, [12.4, 12.6], 1e-19, -1, 1.3, 82.6, true)], null, null, DerivedParameters.Pending(interactionsMeasured: false, driveMeasured: false));
        string json = parameters.ToJson();
        Assert.Contains("\"version\": 3", json);
        Assert.Contains("\"source\": \"edgeskyrmion device derive --mml 4\"", json);
        Assert.Contains("\"radius_nm\": 12.5", json);
        Assert.Contains("current-driven velocity and Hall angle", json);
        Assert.Contains("\"thiele_hall_angle_deg\": 82.6", json);
        Assert.Contains("edge scan", json);
    }

    [Fact]
    public void ACoreHeldAgainstTheEdgeOpensItsWallOntoItAndOneHeldFarOffStaysASkyrmion()
    {
        // Coarse (4 nm cells, n = 1): at 4 nm the held core's wall must open onto the edge, at 28 nm it must stay closed.
        EdgeAnnihilationScan.Result r = EdgeAnnihilationScan.Run(1, [28e-9, 4e-9], cellM: 4e-9, threads: 1);
        Assert.Equal([4e-9, 28e-9], r.Points.Select(p => p.DistanceM));
        Assert.True(r.Points[0].Opened, "a core 4 nm from the edge kept a closed skyrmion");
        Assert.False(r.Points[1].Opened, "a core 28 nm from the edge lost its skyrmion");
        Assert.InRange(r.Points[1].RadiusM * 1e9, 5, 14);
        Assert.Equal(16e-9, r.AnnihilationDistanceM, 1e-15);
    }

    [Fact]
    public void TheAnnihilationDistanceLiesBetweenTheFarthestOpenedAndTheNextClosedDistance()
    {
        static EdgeAnnihilationScan.Point P(double nm, bool opened) => new(nm * 1e-9, 0, 10e-9, opened, true);
        Assert.Equal(15e-9, EdgeAnnihilationScan.Bracket([P(10, true), P(12, false), P(14, true), P(16, false), P(18, false)]), 1e-15);
        Assert.True(double.IsNaN(EdgeAnnihilationScan.Bracket([P(10, false), P(12, false)])), "nothing opened: not bracketed");
        Assert.True(double.IsNaN(EdgeAnnihilationScan.Bracket([P(10, true), P(12, true)])), "everything opened: not bracketed");
        Assert.Throws<ArgumentException>(() => EdgeAnnihilationScan.Run(1, [10e-9], 4e-9));
    }

    [Fact]
    public void FewerProfilePointsKeepTheEndsAndSpreadEvenly()
    {
        double[] all = [.. Enumerable.Range(0, 16).Select(i => 14.0 + 2 * i)];
        Assert.Equal([14.0, 22, 30, 36, 44], InteractionProfiles.Spread(all, 5));
        Assert.Same(all, InteractionProfiles.Spread(all, 0));
        Assert.Throws<ArgumentException>(() => InteractionProfiles.Spread(all, 2));
    }
}
