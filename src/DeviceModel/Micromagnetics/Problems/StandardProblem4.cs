using System.Diagnostics;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

/// <summary>
/// µMAG standard problem 4 (NIST): a Permalloy film 500 × 125 × 3 nm (Ms 800 kA/m, A 13 pJ/m, no anisotropy,
/// γ 2.211e5 m/(A·s)) settled into its S-state, then switched by field 1 (−24.6, 4.3, 0) mT or field 2 (−35.5, −6.3, 0) mT
/// with α = 0.02 for 1 ns. The S-state is the energy minimum reached from m = (1, 0.1, 0), as mumax3's scripts
/// (<c>relax()</c>) and magnum.np's (a Barzilai–Borwein minimizer) find it, so their ⟨m⟩ values
/// (<see cref="Reference"/>) compare like with like.
/// </summary>
public static class StandardProblem4
{
    public const double LengthM = 500e-9, WidthM = 125e-9, ThicknessM = 3e-9;

    /// <summary>The problem's gyromagnetic ratio, m/(A·s).</summary>
    public const double ProblemGyromagneticRatioMPerAS = 2.211e5;

    /// <summary>The S-state's minimization stops below this torque, T (a hundredth of the minimizer's default).</summary>
    public const double SettleTorqueT = 1e-7;

    /// <summary>The loosest settle a run may ask for, T: above it the S-state is not yet formed.</summary>
    public const double MaxSettleTorqueT = 1e-3;

    /// <summary>A published solution: its mesh, the γ it ran with, its settled ⟨m⟩ (where given) and ⟨m⟩(t) samples.</summary>
    public sealed record Reference(string Code, string Source, int Field, int Nx, int Ny, double GyromagneticRatioMPerAS,
        (double X, double Y, double Z)? Settled, IReadOnlyList<Sample> Samples)
    {
        /// <summary>mumax3 3.x (float32), test/standardproblem4.mx3 (field 1) and standardproblem4b.mx3 (field 2) in
        /// github.com/mumax/3, which assert these values after <c>relax()</c> and after 1 ns; γ is mumax3's GammaLL,
        /// 1.7595e11 rad/(s·T) × μ0.</summary>
        public static readonly Reference Mumax3Field1 = new("mumax3", "github.com/mumax/3 test/standardproblem4.mx3", 1, 128, 32, 1.7595e11 * 4e-7 * Math.PI,
            (0.9669684171676636, 0.1252732127904892, 0), [new(1e-9, -0.9846124053001404, 0.12604089081287384, 0.04327124357223511)]);

        public static readonly Reference Mumax3Field2 = new("mumax3", "github.com/mumax/3 test/standardproblem4b.mx3", 2, 128, 32, 1.7595e11 * 4e-7 * Math.PI,
            (0.9669684171676636, 0.1252732276916504, 0), [new(1e-9, -0.9692331552505493, -0.12039542198181152, -0.0053076110780239105)]);

        /// <summary>magnum.np (float64, PyTorch), demos/sp4/ref/m_test.dat of its public repository: ⟨m⟩ every 10 ps on
        /// 100 × 25 × 1 cells (5 nm), here every 50 ps; it runs with its constants.gamma, 2.21276157e5 m/(A·s)
        /// (the electron's, not the problem's).</summary>
        public static readonly Reference MagnumNpField1 = new("magnum.np", "magnum.np demos/sp4/ref/m_test.dat", 1, 100, 25, 2.21276157e5, null,
        [
            new(0.05e-9, 0.8790537697621681, 0.3243763569427414, -0.05347358232561835),
            new(0.10e-9, 0.5231349986696471, 0.6649223787203031, -0.08442602101338281),
            new(0.15e-9, -0.1873401693067689, 0.6675672238560133, -0.1481443603771155),
            new(0.20e-9, -0.8168444180192622, -0.0645078410104992, -0.1534034469656426),
            new(0.25e-9, -0.6824321616691251, -0.4142362862114994, 0.02032352545320773),
            new(0.30e-9, -0.7450510499192596, -0.008447473384569994, 0.06989179822308315),
            new(0.35e-9, -0.7674667399842827, 0.2915472990950483, 0.04870301457851162),
            new(0.40e-9, -0.7826851609141882, 0.4068638138715726, -0.03138438516593338),
            new(0.45e-9, -0.8926256090992003, -0.04033632565484849, -0.07608814691696321),
            new(0.50e-9, -0.9229472011771315, -0.2212005504347563, 0.04984432033251097),
            new(0.55e-9, -0.8482800082411198, 0.3461626139323286, 0.05810811675216197),
            new(0.60e-9, -0.9146281130473141, 0.2979990019760231, -0.06985104956837965),
            new(0.65e-9, -0.9037428558557138, -0.1492912925193901, -0.00416105037941242),
            new(0.70e-9, -0.9430934183878348, 0.208582389373501, 0.05359026302139073),
            new(0.75e-9, -0.9448988652248359, 0.2609114457267952, -0.04836246588707181),
            new(0.80e-9, -0.9606904208957315, -0.1663073030237904, -0.00961511641348519),
            new(0.85e-9, -0.9630487340321094, 0.2023811374283616, 0.06234547746420672),
            new(0.90e-9, -0.9326295112854008, 0.3245579681370868, -0.03830368123117206),
            new(0.95e-9, -0.9685785452009379, -0.06206138247216666, -0.01973757542502947),
            new(1.00e-9, -0.9830892393050606, 0.1396788911561367, 0.04248607052314633),
        ]);

        /// <summary>The published solution on <paramref name="nx"/> × <paramref name="ny"/> cells for <paramref name="field"/>, if any.</summary>
        public static Reference? For(int field, int nx, int ny) =>
            new[] { Mumax3Field1, Mumax3Field2, MagnumNpField1 }.FirstOrDefault(r => r.Field == field && r.Nx == nx && r.Ny == ny);

        /// <summary>The largest |Δm| component between <paramref name="trajectory"/> and the reference's samples, and the time it falls at.</summary>
        public (double Deviation, double TimeS) LargestDeviation(IReadOnlyList<Sample> trajectory)
        {
            (double deviation, double at) = (0, 0);
            foreach (Sample s in Samples)
            {
                Sample ours = trajectory.MinBy(t => Math.Abs(t.TimeS - s.TimeS))!;
                if (Math.Abs(ours.TimeS - s.TimeS) > 1e-15)
                    throw new ArgumentException($"the trajectory has no sample at {s.TimeS * 1e9:G4} ns (sample every 10 or 50 ps to compare with {Code}).");
                double d = ours.LargestDifference(s.Mx, s.My, s.Mz);
                if (d > deviation) (deviation, at) = (d, s.TimeS);
            }
            return (deviation, at);
        }
    }

    public static readonly MagnetMaterial Permalloy = new()
    {
        SaturationMagnetizationAPerM = 800e3,
        ExchangeStiffnessJPerM = 13e-12,
        InterfacialDmiJPerM2 = 0,
        AnisotropyJPerM3ByRegion = [0, 0],
        GilbertDamping = 0.02,
    };

    public sealed record Sample(double TimeS, double Mx, double My, double Mz)
    {
        /// <summary>The largest |Δ| of the three components of ⟨m⟩ from (<paramref name="x"/>, <paramref name="y"/>, <paramref name="z"/>).</summary>
        public double LargestDifference(double x, double y, double z) => Math.Max(Math.Abs(Mx - x), Math.Max(Math.Abs(My - y), Math.Abs(Mz - z)));
    }

    public sealed record Result(int Field, int Nx, int Ny, Sample Settled, Sample Final, double? FirstMxZeroCrossingS, IReadOnlyList<Sample> Trajectory,
        long AcceptedSteps, long RejectedSteps, int SettleIterations, double WallSeconds, IReadOnlyList<string> Warnings, string Backend);

    /// <summary>
    /// Runs the problem on <paramref name="nx"/> × <paramref name="ny"/> × 1 cells; samples ⟨m⟩ every <paramref name="sampleEveryS"/>.
    /// <paramref name="gyromagneticRatioMPerAS"/> other than the problem's lets a run use the γ a reference code ran with;
    /// <paramref name="maxErrorRad"/> is the RK45's tolerance (mumax3's default) and <paramref name="settleTorqueT"/> the
    /// S-state's, for convergence checks (field 2's end is sensitive to how far the S-state was settled; field 1's is not).
    /// </summary>
    public static Result Run(int field, int nx, int ny, int threads = -1, double sampleEveryS = 10e-12, Action<double>? progress = null,
        double gyromagneticRatioMPerAS = ProblemGyromagneticRatioMPerAS, double maxErrorRad = DormandPrinceStepper.DefaultMaxErrorRad,
        double settleTorqueT = SettleTorqueT)
    {
        if (!(settleTorqueT > 0 && settleTorqueT <= MaxSettleTorqueT))
            throw new ArgumentException($"the S-state's settle torque must lie in (0, {MaxSettleTorqueT:G2}] T (got {settleTorqueT}).");
        if (!(maxErrorRad > 0 && maxErrorRad < 1)) throw new ArgumentException($"the RK45 tolerance must lie in (0, 1) rad (got {maxErrorRad}).");
        if (!(gyromagneticRatioMPerAS > 0)) throw new ArgumentException($"the gyromagnetic ratio must be > 0 m/(A·s) (got {gyromagneticRatioMPerAS}).");
        (double X, double Y, double Z) fieldT = field switch
        {
            1 => (-24.6e-3, 4.3e-3, 0),
            2 => (-35.5e-3, -6.3e-3, 0),
            _ => throw new ArgumentException($"standard problem 4 has fields 1 and 2 (got {field})."),
        };
        var clock = Stopwatch.StartNew();
        var mesh = new Mesh(nx, ny, 1, LengthM / nx, WidthM / ny, ThicknessM);
        var material = Permalloy with { GyromagneticRatioRadPerST = gyromagneticRatioMPerAS / PhysicalConstants.Mu0TmPerA };
        using var magnet = new Magnet(Geometry.Filled(mesh), material, threads: threads);
        magnet.SetUniform(1, 0.1, 0);
        Minimizer.Result settle = new Minimizer(magnet) { TorqueToleranceT = settleTorqueT }.Minimize();
        if (!settle.Converged)
            throw new DivergenceException($"the S-state did not settle: the torque stayed at {settle.FinalTorqueT:E2} T after {settle.Iterations} iterations.");
        progress?.Invoke(0.1);
        var settled = At(0, magnet);
        magnet.Zeeman.FieldT = fieldT;
        const double runS = 1e-9;
        // m stays on the device between samples where every term runs there (DormandPrinceStepper.For).
        using DormandPrinceStepper rk = DormandPrinceStepper.For(magnet, maxErrorRad: maxErrorRad);
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
            progress?.Invoke(0.1 + 0.9 * t / runS);
        }
        return new Result(field, nx, ny, settled, trajectory[^1], crossing, trajectory, rk.AcceptedSteps, rk.RejectedSteps, settle.Iterations,
            clock.Elapsed.TotalSeconds, magnet.Warnings, magnet.Backend);
    }

    private static Sample At(double timeS, Magnet magnet)
    {
        var m = magnet.Average();
        return new Sample(timeS, m.X, m.Y, m.Z);
    }
}
