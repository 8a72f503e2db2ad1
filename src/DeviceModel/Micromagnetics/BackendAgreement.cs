using System.Diagnostics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Whether the ILGPU kernel path computes what the C# path computes: one paper film with every term on (exchange, DMI and
/// its boundary, two anisotropy regions, demag, an oblique field, the spin–orbit torque) run on both, the torque compared
/// at the start and m after a few Dormand–Prince steps. The unit test runs it on ILGPU's CPU accelerator; `device mm
/// agree` on the accelerator the machine has (CUDA on a GPU machine), where the same arithmetic may round differently
/// (fused multiply–adds, the driver's own code generation), so agreement there is within the tolerances below, not exact.
/// </summary>
public static class BackendAgreement
{
    /// <summary>The film's cells: 2 × 2 × 1 nm, the paper track's mesh.</summary>
    public const double CellXYM = 2e-9, CellZM = 1e-9;

    /// <summary>Largest torque difference allowed, as a fraction of the largest torque: rounding, not physics (≈ 1e-16 a term).</summary>
    public const double TorqueTolerance = 1e-10;

    /// <summary>Largest |Δm| (a unit vector's component) allowed after the steps.</summary>
    public const double MagnetizationTolerance = 1e-8;

    /// <summary>Largest relative difference of the next step size either error control chose: both should choose the same steps.</summary>
    public const double TimeStepTolerance = 1e-8;

    /// <summary>
    /// A film of <paramref name="nx"/> × <paramref name="ny"/> × <paramref name="nz"/> cells (touching layers): a strip 8 nm wide of region 2 (the barrier's
    /// anisotropy) across its middle, 10 mT in-plane and 80 mT out of plane, 3 × 10¹¹ A/m² through it, and m twisted along
    /// x and y with a reversed core of radius ≈ 7 nm at its centre, so that every term's contribution is non-trivial
    /// (<paramref name="demag"/> false leaves demag out, for a device-resident integrator on ILGPU's CPU accelerator, which has no FFT).
    /// </summary>
    public static Magnet Film(int nx, int ny, int nz, int threads, bool demag = true)
    {
        if (nx < 8 || ny < 8 || nz < 1) throw new ArgumentException($"the agreement film needs at least 8 × 8 × 1 cells (got {nx} × {ny} × {nz}).");
        var mesh = new Mesh(nx, ny, nz, CellXYM, CellXYM, CellZM);
        double centreXM = nx * CellXYM / 2, centreYM = ny * CellXYM / 2;
        var geometry = Geometry.Filled(mesh).Paint(2, (x, _) => x > centreXM - 4e-9 && x < centreXM + 4e-9);
        var magnet = new Magnet(geometry, new MagnetMaterial(), demag, threads)
        {
            SpinOrbitTorque = new SpinOrbitTorque { CurrentDensityAPerM2 = 3e11 },
        };
        magnet.Zeeman.FieldT = (0.01, 0, 0.08);
        magnet.Set((x, y, _) => (Math.Sin(x * 2e8), Math.Cos(y * 3e8),
            (x - centreXM) * (x - centreXM) + (y - centreYM) * (y - centreYM) < 50e-18 ? -1 : 1));
        return magnet;
    }

    /// <summary>What one comparison found; <see cref="Agrees"/> against the tolerances above.</summary>
    public sealed record Result(string Backend, string BackendFft, string? BackendNote, string Integrator, int Nx, int Ny, int Nz, int Steps, double TorqueScaleRadPerS, double MaxTorqueDifferenceRelative,
        double MaxTimeStepDifferenceRelative, double MaxMagnetizationDifference, double SimulatedTimeS, double CsharpSeconds, double OtherSeconds)
    {
        public bool Agrees => MaxTorqueDifferenceRelative <= TorqueTolerance && MaxTimeStepDifferenceRelative <= TimeStepTolerance &&
            MaxMagnetizationDifference <= MagnetizationTolerance;
    }

    /// <summary>
    /// Runs the film on the C# path (demag on the host's FFT) and on ILGPU (demag on cuFFT where that runs it) (<paramref name="cpuOnly"/>: its CPU accelerator, else the preferred one)
    /// for <paramref name="steps"/> Dormand–Prince steps and compares them.
    /// </summary>
    public static Result Compare(int nx, int ny, int nz, int steps, bool cpuOnly, int threads)
    {
        if (steps < 1) throw new ArgumentException($"the comparison needs at least one step (got {steps}).");
        using Magnet cs = Film(nx, ny, nz, threads), other = Film(nx, ny, nz, threads);
        other.UseIlgpu(cpuOnly);
        var a = new VectorField(cs.Mesh.Count);
        var b = new VectorField(cs.Mesh.Count);
        cs.Torque(cs.M, 0, a);
        other.Torque(other.M, 0, b);
        double scale = Magnet.MaxNorm(a), torqueDifference = a.MaxDifference(b);
        // Where every term runs on the device (CUDA with demag on cuFFT) the ILGPU side keeps m there too (rk45-on-device).
        using DormandPrinceStepper rkCs = new DormandPrince(cs), rkOther = DormandPrinceStepper.For(other);
        double stepDifference = 0, csSeconds = 0, otherSeconds = 0;
        for (int step = 0; step < steps; step++)
        {
            long start = Stopwatch.GetTimestamp();
            bool acceptedCs = rkCs.Step();
            long middle = Stopwatch.GetTimestamp();
            bool acceptedOther = rkOther.Step();
            csSeconds += Stopwatch.GetElapsedTime(start, middle).TotalSeconds;
            otherSeconds += Stopwatch.GetElapsedTime(middle).TotalSeconds;
            // The next step each error control chose says whether both saw the same error; an accepted step on one path
            // and a rejected one on the other is a whole step apart.
            stepDifference = Math.Max(stepDifference, acceptedCs != acceptedOther ? 1 : Math.Abs(rkCs.TimeStepS - rkOther.TimeStepS) / rkCs.TimeStepS);
        }
        rkOther.CopyToHost();
        double mDifference = cs.M.MaxDifference(other.M);
        return new Result(other.Backend, other.DemagFft, other.DeviceDemagUnavailable, rkOther.Name, nx, ny, nz, steps, scale, torqueDifference / scale, stepDifference, mDifference, rkCs.TimeS, csSeconds, otherSeconds);
    }
}
