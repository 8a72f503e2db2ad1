namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Integrals of a layer's texture that the Thiele equation needs: the topological charge Q = (1/4π) ∫ m·(∂x m × ∂y m) dA
/// (paper Eq. 1) and the dissipation factor 𝒟 = (1/4π) ∫ ∂x m·∂x m dA (the particle model's 𝔇 = 4π𝒟·Ms·t/γ), over a disk
/// around one skyrmion so that the canted film edges (DMI boundary condition) do not count. Derivatives by central
/// differences, one-sided beside empty cells or the mesh edge.
/// </summary>
public static class Topology
{
    /// <summary>Q within <paramref name="withinM"/> of the skyrmion's centre (<see cref="SkyrmionRadius.Centre"/>).</summary>
    public static double Charge(Magnet magnet, int layer, double withinM) => Integrate(magnet, layer, withinM, charge: true);

    /// <summary>𝒟 within <paramref name="withinM"/> of the skyrmion's centre.</summary>
    public static double DissipationFactor(Magnet magnet, int layer, double withinM) => Integrate(magnet, layer, withinM, charge: false);

    private static double Integrate(Magnet magnet, int layer, double withinM, bool charge)
    {
        Mesh mesh = magnet.Mesh;
        VectorField m = magnet.M;
        if (SkyrmionRadius.Centre(magnet, layer) is not (double cx, double cy)) return double.NaN;
        double sum = 0;
        for (int y = 0; y < mesh.Ny; y++)
            for (int x = 0; x < mesh.Nx; x++)
            {
                int i = mesh.Index(x, y, layer);
                double rx = (x - cx) * mesh.CellXM, ry = (y - cy) * mesh.CellYM;
                if (!magnet.Geometry.IsMagnetic(i) || rx * rx + ry * ry > withinM * withinM) continue;
                Derivative(magnet, x, y, layer, alongX: true, out double ax, out double ay, out double az);
                if (!charge)
                {
                    sum += ax * ax + ay * ay + az * az;
                    continue;
                }
                Derivative(magnet, x, y, layer, alongX: false, out double bx, out double by, out double bz);
                sum += m.X[i] * (ay * bz - az * by) + m.Y[i] * (az * bx - ax * bz) + m.Z[i] * (ax * by - ay * bx);
            }
        return sum * mesh.CellXM * mesh.CellYM / (4 * Math.PI);
    }

    /// <summary>∂m/∂x or ∂m/∂y at cell (x, y), 1/m.</summary>
    private static void Derivative(Magnet magnet, int x, int y, int layer, bool alongX, out double dx, out double dy, out double dz)
    {
        Mesh mesh = magnet.Mesh;
        int position = alongX ? x : y, length = alongX ? mesh.Nx : mesh.Ny;
        int Cell(int p) => alongX ? mesh.Index(p, y, layer) : mesh.Index(x, p, layer);
        bool Has(int p) => p >= 0 && p < length && magnet.Geometry.IsMagnetic(Cell(p));
        int lo = Has(position - 1) ? position - 1 : position, hi = Has(position + 1) ? position + 1 : position;
        if (lo == hi)
        {
            (dx, dy, dz) = (0, 0, 0);
            return;
        }
        double step = (hi - lo) * (alongX ? mesh.CellXM : mesh.CellYM);
        VectorField m = magnet.M;
        dx = (m.X[Cell(hi)] - m.X[Cell(lo)]) / step;
        dy = (m.Y[Cell(hi)] - m.Y[Cell(lo)]) / step;
        dz = (m.Z[Cell(hi)] - m.Z[Cell(lo)]) / step;
    }
}
