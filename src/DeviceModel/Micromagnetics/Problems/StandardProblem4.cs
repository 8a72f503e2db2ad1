using System.Diagnostics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

/// <summary>
/// µMAG standard problem 4 (NIST): a Permalloy film 500 × 125 × 3 nm (Ms 800 kA/m, A 13 pJ/m, no anisotropy) settled
/// into its S-state, then switched by field 1 (−24.6, 4.3, 0) mT or field 2 (−35.5, −6.3, 0) mT with α = 0.02 for 1 ns.
/// The settle follows mumax3's certification script (test/cert/standardproblem4.go): m = (1, 0.1, 0), α = 1, 3 ns,
/// so its reference ⟨m⟩ values (<see cref="Reference"/>) compare like with like.
/// </summary>
public static class StandardProblem4
{
    public const double LengthM = 500e-9, WidthM = 125e-9, ThicknessM = 3e-9;

    /// <summary>mumax3 at 128 × 32 × 1 cells (test/cert/standardproblem4.go and standardproblem4b.go, tolerance 1e-3):
    /// ⟨m⟩ after the settle, and after 1 ns of field 1 and of field 2.</summary>
    public static class Reference
    {
        public static readonly (double X, double Y, double Z) Settled = (0.96696, 0.12528, 0);
        public static readonly (double X, double Y, double Z) Field1At1Ns = (-0.9845, 0.1268, 0.0432);
        public static readonly (double X, double Y, double Z) Field2At1Ns = (-0.9687, -0.1186, -0.00569);
    }

    public static readonly MagnetMaterial Permalloy = new()
    {
        SaturationMagnetizationAPerM = 800e3,
        ExchangeStiffnessJPerM = 13e-12,
        InterfacialDmiJPerM2 = 0,
        AnisotropyJPerM3ByRegion = [0, 0],
        GilbertDamping = 0.02,
    };

    public sealed record Sample(double TimeS, double Mx, double My, double Mz);

    public sealed record Result(int Field, int Nx, int Ny, Sample Settled, Sample Final, double? FirstMxZeroCrossingS, IReadOnlyList<Sample> Trajectory,
        long AcceptedSteps, long RejectedSteps, double WallSeconds, IReadOnlyList<string> Warnings, string Backend);

    /// <summary>Runs the problem on <paramref name="nx"/> × <paramref name="ny"/> × 1 cells; samples ⟨m⟩ every <paramref name="sampleEveryS"/>.</summary>
    public static Result Run(int field, int nx, int ny, int threads = -1, double sampleEveryS = 10e-12, Action<double>? progress = null)
    {
        (double X, double Y, double Z) fieldT = field switch
        {
            1 => (-24.6e-3, 4.3e-3, 0),
            2 => (-35.5e-3, -6.3e-3, 0),
            _ => throw new ArgumentException($"standard problem 4 has fields 1 and 2 (got {field})."),
        };
        var clock = Stopwatch.StartNew();
        var mesh = new Mesh(nx, ny, 1, LengthM / nx, WidthM / ny, ThicknessM);
        using var magnet = new Magnet(Geometry.Filled(mesh), Permalloy with { GilbertDamping = 1 }, threads: threads);
        magnet.SetUniform(1, 0.1, 0);
        // m stays on the device between samples where every term runs there (DormandPrinceStepper.For).
        using DormandPrinceStepper settle = DormandPrinceStepper.For(magnet);
        const double settleS = 3e-9, runS = 1e-9;
        settle.RunUntil(settleS);
        settle.CopyToHost();
        progress?.Invoke(0.5);
        var settled = At(0, magnet);
        magnet.SetDamping(Permalloy.GilbertDamping);
        magnet.Zeeman.FieldT = fieldT;
        using DormandPrinceStepper rk = DormandPrinceStepper.For(magnet);
        var trajectory = new List<Sample> { settled };
        double? crossing = null;
        for (double t = sampleEveryS; t <= runS * (1 + 1e-9); t += sampleEveryS)
        {
            rk.RunUntil(t);
            rk.CopyToHost();
            Sample s = At(rk.TimeS, magnet);
            if (crossing is null && s.Mx <= 0 && trajectory[^1].Mx > 0)
                crossing = trajectory[^1].TimeS + (s.TimeS - trajectory[^1].TimeS) * trajectory[^1].Mx / (trajectory[^1].Mx - s.Mx);
            trajectory.Add(s);
            progress?.Invoke(0.5 + 0.5 * t / runS);
        }
        return new Result(field, nx, ny, settled, trajectory[^1], crossing, trajectory, settle.AcceptedSteps + rk.AcceptedSteps,
            settle.RejectedSteps + rk.RejectedSteps, clock.Elapsed.TotalSeconds, magnet.Warnings, magnet.Backend);
    }

    private static Sample At(double timeS, Magnet magnet)
    {
        var m = magnet.Average();
        return new Sample(timeS, m.X, m.Y, m.Z);
    }
}
