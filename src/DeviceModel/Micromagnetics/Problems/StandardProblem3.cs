using System.Diagnostics;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

/// <summary>
/// µMAG standard problem 3 (NIST): the single-domain limit of a cube with uniaxial anisotropy Ku = 0.1 Km along z
/// (Km = μ0Ms²/2), exchange and demag — the edge L at which the flower state and the vortex state have the same energy,
/// in units of l_ex = √(A/Km). Both are minimized from their own start (the flower from m ≈ ẑ, the vortex curling
/// about x, across the easy axis) at each L, and the crossing is interpolated. Reference: 8.47 l_ex (Rave, Fabian &amp;
/// Hubert, J. Magn. Magn. Mater. 190, 332 (1998), the solution the µMAG page cites). A 3-D check of demag beyond
/// uniform bodies: the cube is cells⁳ cells, its layers touching.
/// </summary>
public static class StandardProblem3
{
    /// <summary>The crossing, l_ex.</summary>
    public const double ReferenceCrossingLex = 8.47;

    public const double SaturationMagnetizationAPerM = 1e6, ExchangeStiffnessJPerM = 13e-12;

    /// <summary>Km = μ0Ms²/2, J/m³.</summary>
    public static double MagnetostaticEnergyDensityJPerM3 => PhysicalConstants.Mu0TmPerA * SaturationMagnetizationAPerM * SaturationMagnetizationAPerM / 2;

    /// <summary>l_ex = √(A/Km), m.</summary>
    public static double ExchangeLengthM => Math.Sqrt(ExchangeStiffnessJPerM / MagnetostaticEnergyDensityJPerM3);

    /// <summary>Cells an edge the cube may have: below 4 there is no vortex; at 64 the demag's transforms take ≈ 1 GB.</summary>
    public const int MinCellsPerEdge = 4, MaxCellsPerEdge = 64;

    /// <summary>The minimizations stop below this torque, T.</summary>
    public const double TorqueToleranceT = 1e-6;

    /// <summary>A minimized state: its energy per Km·L³ in the problem's convention (anisotropy Ku (1 − (m·u)²), ours
    /// −Ku (m·u)² plus Ku), ⟨m⟩ and the minimizer's count.</summary>
    public sealed record State(double EnergyPerKmVolume, double Mx, double My, double Mz, int Iterations, bool Converged);

    /// <summary>Ku / Km.</summary>
    private const double AnisotropyPerKm = 0.1;

    public sealed record Point(double LengthLex, State Flower, State Vortex);

    /// <summary><paramref name="CrossingLex"/>: where the vortex's energy falls below the flower's, linear between the two
    /// lengths around it; null if it does not within the lengths run.</summary>
    public sealed record Result(int CellsPerEdge, IReadOnlyList<Point> Points, double? CrossingLex, double WallSeconds, IReadOnlyList<string> Warnings, string Backend);

    public static Result Run(IReadOnlyList<double> lengthsLex, int cellsPerEdge, int threads = -1, Action<double>? progress = null)
    {
        if (cellsPerEdge is < MinCellsPerEdge or > MaxCellsPerEdge)
            throw new ArgumentException($"the cube takes {MinCellsPerEdge}–{MaxCellsPerEdge} cells an edge (got {cellsPerEdge}).");
        if (lengthsLex.Count < 2 || lengthsLex.Any(l => !(l > 0)) || lengthsLex.Zip(lengthsLex.Skip(1)).Any(p => p.Second <= p.First))
            throw new ArgumentException("give two or more increasing edge lengths, l_ex, all > 0.");
        var clock = Stopwatch.StartNew();
        double km = MagnetostaticEnergyDensityJPerM3;
        var material = new MagnetMaterial
        {
            SaturationMagnetizationAPerM = SaturationMagnetizationAPerM,
            ExchangeStiffnessJPerM = ExchangeStiffnessJPerM,
            InterfacialDmiJPerM2 = 0,
            AnisotropyJPerM3ByRegion = [0, AnisotropyPerKm * km],
        };
        var points = new List<Point>();
        IReadOnlyList<string> warnings = [];
        string backend = "";
        foreach (double lengthLex in lengthsLex)
        {
            double edgeM = lengthLex * ExchangeLengthM, cellM = edgeM / cellsPerEdge, c = edgeM / 2;
            var mesh = new Mesh(cellsPerEdge, cellsPerEdge, cellsPerEdge, cellM, cellM, cellM);
            using var magnet = new Magnet(Geometry.Filled(mesh), material, threads: threads);
            (warnings, backend) = (magnet.Warnings, magnet.Backend);
            State Minimized()
            {
                Minimizer.Result r = new Minimizer(magnet) { TorqueToleranceT = TorqueToleranceT }.Minimize();
                var m = magnet.Average();
                return new State(magnet.EnergyJ() / (km * edgeM * edgeM * edgeM) + AnisotropyPerKm, m.X, m.Y, m.Z, r.Iterations, r.Converged);
            }
            magnet.SetUniform(0.01, 0, 1);
            State flower = Minimized();
            // Curling about x with a core of L/12 along +x.
            magnet.Set((_, y, z) => (y - c) * (y - c) + (z - c) * (z - c) < edgeM * edgeM / 144 ? (1, 0, 0) : (0, -(z - c), y - c));
            State vortex = Minimized();
            points.Add(new Point(lengthLex, flower, vortex));
            progress?.Invoke((double)points.Count / lengthsLex.Count);
        }
        return new Result(cellsPerEdge, points, Crossing(points), clock.Elapsed.TotalSeconds, warnings, backend);
    }

    private static double? Crossing(IReadOnlyList<Point> points)
    {
        for (int i = 1; i < points.Count; i++)
        {
            double before = points[i - 1].Flower.EnergyPerKmVolume - points[i - 1].Vortex.EnergyPerKmVolume;
            double after = points[i].Flower.EnergyPerKmVolume - points[i].Vortex.EnergyPerKmVolume;
            if (before <= 0 && after > 0)
                return points[i - 1].LengthLex + (points[i].LengthLex - points[i - 1].LengthLex) * -before / (after - before);
        }
        return null;
    }
}
