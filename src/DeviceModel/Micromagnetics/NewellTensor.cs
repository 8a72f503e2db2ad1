namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// The demagnetizing tensor between two uniformly magnetized cells (Newell, Williams &amp; Dunlop, JGR 98, 9551 (1993)):
/// N_xx from the sixth difference of f, N_xy from that of g, the other components by permuting axes. H = −N·M.
/// Lengths are scaled by the largest cell side (N is scale-free); beyond <see cref="FarFieldCells"/> cell sides the
/// sixth difference loses its digits to cancellation and the point-dipole tensor, then accurate to (d/r)², takes over.
/// </summary>
public static class NewellTensor
{
    /// <summary>Distance, in largest cell sides, from which the dipole approximation replaces Newell's formulas.</summary>
    public const double FarFieldCells = 40;

    /// <summary>
    /// The six components (0 xx, 1 yy, 2 zz, 3 xy, 4 xz, 5 yz) between every pair of cells of <paramref name="mesh"/>, laid out on
    /// the zero-padded grid of <see cref="Mesh.PaddedSize"/> (x fastest) with negative displacements wrapped around, as a
    /// circular convolution with the padded magnetization needs them.
    /// </summary>
    public static double[][] Padded(Mesh mesh)
    {
        (int px, int py, int pz) = mesh.PaddedSize;
        double[][] kernel = [.. Enumerable.Range(0, 6).Select(_ => new double[px * py * pz])];
        for (int z = 0; z < mesh.Nz; z++)
            for (int y = 0; y < mesh.Ny; y++)
                for (int x = 0; x < mesh.Nx; x++)
                {
                    Components(x * mesh.CellXM, y * mesh.CellYM, z * mesh.LayerPitchM, mesh.CellXM, mesh.CellYM, mesh.CellZM,
                        out double xx, out double yy, out double zz, out double xy, out double xz, out double yz);
                    // Mirror into the other octants: xy is odd in x and y, xz in x and z, yz in y and z.
                    for (int sx = -1; sx <= 1; sx += 2)
                        for (int sy = -1; sy <= 1; sy += 2)
                            for (int sz = -1; sz <= 1; sz += 2)
                            {
                                int at = (((sz * z + pz) % pz * py) + (sy * y + py) % py) * px + (sx * x + px) % px;
                                (kernel[0][at], kernel[1][at], kernel[2][at]) = (xx, yy, zz);
                                (kernel[3][at], kernel[4][at], kernel[5][at]) = (sx * sy * xy, sx * sz * xz, sy * sz * yz);
                            }
                }
        return kernel;
    }

    /// <summary>The six components (xx, yy, zz, xy, xz, yz) for a displacement (x, y, z) between cells of size (dx, dy, dz), any unit.</summary>
    public static void Components(double x, double y, double z, double dx, double dy, double dz,
        out double xx, out double yy, out double zz, out double xy, out double xz, out double yz)
    {
        double scale = Math.Max(dx, Math.Max(dy, dz));
        (x, y, z, dx, dy, dz) = (x / scale, y / scale, z / scale, dx / scale, dy / scale, dz / scale);
        double r2 = x * x + y * y + z * z;
        if (r2 > FarFieldCells * FarFieldCells)
        {
            double volume = dx * dy * dz, r = Math.Sqrt(r2), r3 = r2 * r, r5 = r3 * r2, c = -volume / (4 * Math.PI);
            xx = c * (3 * x * x / r5 - 1 / r3);
            yy = c * (3 * y * y / r5 - 1 / r3);
            zz = c * (3 * z * z / r5 - 1 / r3);
            xy = c * 3 * x * y / r5;
            xz = c * 3 * x * z / r5;
            yz = c * 3 * y * z / r5;
            return;
        }
        xx = SixthDifference(F, x, y, z, dx, dy, dz);
        yy = SixthDifference(F, y, x, z, dy, dx, dz);
        zz = SixthDifference(F, z, y, x, dz, dy, dx);
        xy = SixthDifference(G, x, y, z, dx, dy, dz);
        xz = SixthDifference(G, x, z, y, dx, dz, dy);
        yz = SixthDifference(G, y, z, x, dy, dz, dx);
    }

    /// <summary>−(1/4πV) Δ²x Δ²y Δ²z of <paramref name="fn"/>: the second difference in each direction, weights 1, −2, 1.</summary>
    private static double SixthDifference(Func<double, double, double, double> fn, double x, double y, double z, double dx, double dy, double dz)
    {
        double sum = 0;
        for (int i = -1; i <= 1; i++)
            for (int j = -1; j <= 1; j++)
                for (int k = -1; k <= 1; k++)
                    sum += Weight(i) * Weight(j) * Weight(k) * fn(x + i * dx, y + j * dy, z + k * dz);
        return -sum / (4 * Math.PI * dx * dy * dz);
    }

    private static double Weight(int i) => i == 0 ? -2 : 1;

    private static double F(double x, double y, double z)
    {
        (x, y, z) = (Math.Abs(x), Math.Abs(y), Math.Abs(z));
        double x2 = x * x, y2 = y * y, z2 = z * z, r2 = x2 + y2 + z2;
        if (r2 == 0) return 0;
        double r = Math.Sqrt(r2);
        double result = (2 * x2 - y2 - z2) * r / 6;
        if (x2 + z2 > 0) result += y / 2 * (z2 - x2) * Math.Asinh(y / Math.Sqrt(x2 + z2));
        if (x2 + y2 > 0) result += z / 2 * (y2 - x2) * Math.Asinh(z / Math.Sqrt(x2 + y2));
        if (x > 0) result -= x * y * z * Math.Atan(y * z / (x * r));
        return result;
    }

    private static double G(double x, double y, double z)
    {
        double sign = Math.Sign(x) * Math.Sign(y);
        if (sign == 0) return 0;
        (x, y, z) = (Math.Abs(x), Math.Abs(y), Math.Abs(z));
        double x2 = x * x, y2 = y * y, z2 = z * z, r = Math.Sqrt(x2 + y2 + z2);
        double result = -x * y * r / 3;
        result += x * y * z * Math.Asinh(z / Math.Sqrt(x2 + y2));
        result += y / 6 * (3 * z2 - y2) * Math.Asinh(x / Math.Sqrt(y2 + z2));
        result += x / 6 * (3 * z2 - x2) * Math.Asinh(y / Math.Sqrt(x2 + z2));
        if (z > 0) result -= z2 * z / 6 * Math.Atan(x * y / (z * r));
        result -= z * y2 / 2 * Math.Atan(x * z / (y * r));
        result -= z * x2 / 2 * Math.Atan(y * z / (x * r));
        return sign * result;
    }
}
