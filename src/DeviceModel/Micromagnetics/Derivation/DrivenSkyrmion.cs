using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

/// <summary>
/// The current-driven skyrmion: one layer (n = 1) of the paper's stack, the minimized skyrmion in the middle of a square
/// film, then the paper's damping-like spin–orbit torque (spin current polarised along +y, θ_SH 0.6) at the given current
/// density for <see cref="DriveTimeS"/>, integrated by RK45 with precession. The centre of the reversed area
/// (<see cref="SkyrmionRadius.Centre"/>) is tracked after an initial transient; its mean velocity and the angle from the
/// +x axis are what the particle model's drive and gyrotropic term must reproduce.
/// </summary>
public static class DrivenSkyrmion
{
    /// <summary>How long the current is on, s; velocity is measured over its second half (the first is the transient).</summary>
    public const double DriveTimeS = 200e-12;

    public sealed record Result(double CurrentDensityAPerM2, double VelocityXMPerS, double VelocityYMPerS, double SpeedMPerS, double AngleFromXDeg,
        double RadiusBeforeM, double RadiusAfterM, long Steps, double WallSeconds);

    public static Result Run(double currentDensityAPerM2, double cellM, double boxM, int threads = -1)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var paper = new Material();
        int cells = (int)Math.Round(boxM / cellM);
        var mesh = new Mesh(cells, cells, 1, boxM / cells, boxM / cells, paper.MagneticLayerThicknessM);
        using var magnet = new Magnet(Geometry.Filled(mesh), new MagnetMaterial(), threads: threads);
        magnet.Zeeman.FieldT = (0, 0, IsolatedSkyrmion.FieldT);
        double centre = boxM / 2, r2 = IsolatedSkyrmion.SeedRadiusM * IsolatedSkyrmion.SeedRadiusM;
        magnet.Set((x, y, _) => (x - centre) * (x - centre) + (y - centre) * (y - centre) < r2 ? (0, 0, -1) : (0, 0, 1));
        new Minimizer(magnet) { TorqueToleranceT = 1e-4 }.Minimize();
        double radiusBefore = SkyrmionRadius.Measure(magnet);
        magnet.SpinOrbitTorque = new SpinOrbitTorque
        {
            CurrentDensityAPerM2 = currentDensityAPerM2,
            SpinHallAngle = paper.SpinHallAngle,
            MagneticThicknessM = paper.MagneticLayerThicknessM,
        };
        var rk = new DormandPrince(magnet);
        rk.RunUntil(DriveTimeS / 2);
        var start = SkyrmionRadius.Centre(magnet, 0) ?? throw new DivergenceException("the skyrmion vanished under the current.");
        rk.RunUntil(DriveTimeS);
        var end = SkyrmionRadius.Centre(magnet, 0) ?? throw new DivergenceException("the skyrmion vanished under the current.");
        double vx = (end.X - start.X) * mesh.CellXM / (DriveTimeS / 2), vy = (end.Y - start.Y) * mesh.CellYM / (DriveTimeS / 2);
        return new Result(currentDensityAPerM2, vx, vy, Math.Sqrt(vx * vx + vy * vy), Math.Atan2(vy, vx) * 180 / Math.PI, radiusBefore,
            SkyrmionRadius.Measure(magnet), rk.AcceptedSteps, clock.Elapsed.TotalSeconds);
    }
}
