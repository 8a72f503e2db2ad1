using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

/// <summary>
/// The current-driven skyrmion of the paper's stack (n Co layers at the 3 nm pitch, as <see cref="IsolatedSkyrmion"/>): the
/// minimized skyrmion in the middle of a square film, then the paper's damping-like spin–orbit torque (spin current
/// polarised along +y, θ_SH 0.6) at the given current density for <see cref="DriveTimeS"/> — in the one layer for n = 1, in
/// the outer two (beside the heavy metals) for n &gt; 1, the inner ones dragged by the stray fields — integrated by RK45
/// with precession. The centre of the reversed area (<see cref="SkyrmionRadius.Centre"/>, averaged over the layers) is
/// tracked after an initial transient; its mean velocity and the angle from the +x axis are what the particle model's
/// drive and gyrotropic term must reproduce.
/// </summary>
public static class DrivenSkyrmion
{
    /// <summary>How long the current is on, s; velocity is measured over its second half (the first is the transient).</summary>
    public const double DriveTimeS = 200e-12;

    public sealed record Result(int MultilayerRepeats, double CurrentDensityAPerM2, double VelocityXMPerS, double VelocityYMPerS, double SpeedMPerS, double AngleFromXDeg,
        double RadiusBeforeM, double RadiusAfterM, long Steps, double WallSeconds);

    public static Result Run(int multilayerRepeats, double currentDensityAPerM2, double cellM, double boxM, int threads = -1)
    {
        if (multilayerRepeats < 1) throw new ArgumentException($"--mml must be ≥ 1 (got {multilayerRepeats}).");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var paper = new Material();
        using Magnet magnet = IsolatedSkyrmion.Relaxed(multilayerRepeats, cellM, boxM, threads);
        Mesh mesh = magnet.Mesh;
        double radiusBefore = Radius(magnet);
        magnet.SpinOrbitTorque = new SpinOrbitTorque
        {
            CurrentDensityAPerM2 = currentDensityAPerM2,
            SpinHallAngle = paper.SpinHallAngle,
            MagneticThicknessM = paper.MagneticLayerThicknessM,
            DrivenLayers = multilayerRepeats > 1 ? new HashSet<int> { 0, multilayerRepeats - 1 } : null,
        };
        using DormandPrinceStepper rk = DormandPrinceStepper.For(magnet);
        rk.RunUntil(DriveTimeS / 2);
        rk.CopyToHost();
        (double X, double Y) start = Centre(magnet);
        rk.RunUntil(DriveTimeS);
        rk.CopyToHost();
        (double X, double Y) end = Centre(magnet);
        double vx = (end.X - start.X) * mesh.CellXM / (DriveTimeS / 2), vy = (end.Y - start.Y) * mesh.CellYM / (DriveTimeS / 2);
        return new Result(multilayerRepeats, currentDensityAPerM2, vx, vy, Math.Sqrt(vx * vx + vy * vy), Math.Atan2(vy, vx) * 180 / Math.PI, radiusBefore,
            Radius(magnet), rk.AcceptedSteps, clock.Elapsed.TotalSeconds);
    }

    private static double Radius(Magnet magnet) => Enumerable.Range(0, magnet.Mesh.Nz).Average(layer => SkyrmionRadius.Measure(magnet, layer));

    /// <summary>The layers' mean centre, cells; a layer that lost its skyrmion is a divergence of the run.</summary>
    private static (double X, double Y) Centre(Magnet magnet)
    {
        double x = 0, y = 0;
        for (int layer = 0; layer < magnet.Mesh.Nz; layer++)
        {
            (double cx, double cy) = SkyrmionRadius.Centre(magnet, layer) ?? throw new DivergenceException($"the skyrmion of layer {layer} vanished under the current.");
            (x, y) = (x + cx, y + cy);
        }
        return (x / magnet.Mesh.Nz, y / magnet.Mesh.Nz);
    }
}
