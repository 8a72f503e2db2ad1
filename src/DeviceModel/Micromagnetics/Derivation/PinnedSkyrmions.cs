namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

/// <summary>
/// The energy of a texture with skyrmion cores held at chosen places: reversed cores of <see cref="IsolatedSkyrmion.SeedRadiusM"/>
/// are seeded at <c>cores</c> in every layer, the cells within one cell of each core centre are frozen (in every layer, so a
/// multilayer tube stays aligned), everything else is minimized at the paper's 80 mT. What the interaction profiles and the
/// barrier-crossing profile evaluate at each distance. <see cref="Result.OpenedToEdge"/>: a reversed domain of some layer reaches
/// the film's boundary, so the held core is no longer a closed skyrmion (its wall has opened onto the edge).
/// </summary>
public static class PinnedSkyrmions
{
    public sealed record Result(double EnergyJ, double RadiusM, bool Converged, bool OpenedToEdge);

    /// <summary>The minimizer stops when max |m×B| over cells falls below this, T: every profile in the docs was measured at it.</summary>
    public const double DefaultTorqueToleranceT = 1e-4;

    public static Result Minimize(Geometry geometry, IReadOnlyList<(double X, double Y)> cores, int threads, double torqueToleranceT = DefaultTorqueToleranceT)
    {
        Mesh mesh = geometry.Mesh;
        using var magnet = new Magnet(geometry, new MagnetMaterial(), threads: threads);
        magnet.Zeeman.FieldT = (0, 0, IsolatedSkyrmion.FieldT);
        double r2 = IsolatedSkyrmion.SeedRadiusM * IsolatedSkyrmion.SeedRadiusM;
        magnet.Set((x, y, _) => cores.Any(c => (x - c.X) * (x - c.X) + (y - c.Y) * (y - c.Y) < r2) ? (0, 0, -1) : (0, 0, 1));
        double pin = Math.Max(mesh.CellXM, mesh.CellYM);
        var frozen = new HashSet<int>();
        foreach ((double cx, double cy) in cores)
            for (int z = 0; z < mesh.Nz; z++)
                for (int y = 0; y < mesh.Ny; y++)
                    for (int x = 0; x < mesh.Nx; x++)
                    {
                        double dx = (x + 0.5) * mesh.CellXM - cx, dy = (y + 0.5) * mesh.CellYM - cy;
                        if (dx * dx + dy * dy <= pin * pin && geometry.IsMagnetic(mesh.Index(x, y, z))) frozen.Add(mesh.Index(x, y, z));
                    }
        Minimizer.Result minimized = new Minimizer(magnet) { TorqueToleranceT = torqueToleranceT, Frozen = frozen }.Minimize();
        double radius = Enumerable.Range(0, mesh.Nz).Average(layer => SkyrmionRadius.Measure(magnet, layer));
        bool opened = Enumerable.Range(0, mesh.Nz).Any(layer => SkyrmionClusters.Find(magnet, layer).Any(c => c.TouchesEdge));
        return new Result(magnet.EnergyJ(), radius, minimized.Converged, opened);
    }
}
