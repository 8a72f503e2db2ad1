namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// The radius of a skyrmion as the radius of its m_z = 0 contour (the convention of the DMI standard problem and of
/// mumax3 studies): m_z bilinearly interpolated along <see cref="Rays"/> rays from the centre of the reversed area, the
/// first sign change located by linear interpolation, averaged over the rays.
/// </summary>
public static class SkyrmionRadius
{
    public const int Rays = 32;

    private const double StepCells = 0.05;

    /// <summary>Radius, m, in layer <paramref name="layer"/>; NaN when no reversed core is found. The background sign is taken from the corner cell's m_z.</summary>
    public static double Measure(Magnet magnet, int layer = 0)
    {
        Mesh mesh = magnet.Mesh;
        double background = Math.Sign(magnet.M.Z[CornerMagneticCell(magnet, layer)]);
        if (Centre(magnet, layer) is not (double cx, double cy)) return double.NaN;
        double sum = 0;
        int found = 0;
        for (int ray = 0; ray < Rays; ray++)
        {
            double angle = 2 * Math.PI * ray / Rays, dx = Math.Cos(angle) * StepCells, dy = Math.Sin(angle) * StepCells;
            double previous = background * Interpolate(magnet, layer, cx, cy);
            for (int step = 1; ; step++)
            {
                double x = cx + step * dx, y = cy + step * dy;
                if (x < 0 || y < 0 || x > mesh.Nx - 1 || y > mesh.Ny - 1) break;
                double current = background * Interpolate(magnet, layer, x, y);
                if (previous < 0 && current >= 0)
                {
                    double fraction = (step - 1 + previous / (previous - current)) * StepCells;
                    sum += fraction * Math.Sqrt(Math.Pow(Math.Cos(angle) * mesh.CellXM, 2) + Math.Pow(Math.Sin(angle) * mesh.CellYM, 2));
                    found++;
                    break;
                }
                previous = current;
            }
        }
        return found == Rays ? sum / found : double.NaN;
    }

    /// <summary>Centre of the reversed area (weights max(0, −background·m_z)), in cell coordinates; null when nothing is reversed.</summary>
    public static (double X, double Y)? Centre(Magnet magnet, int layer)
    {
        Mesh mesh = magnet.Mesh;
        double background = Math.Sign(magnet.M.Z[CornerMagneticCell(magnet, layer)]);
        double weight = 0, cx = 0, cy = 0;
        for (int y = 0; y < mesh.Ny; y++)
            for (int x = 0; x < mesh.Nx; x++)
            {
                int i = mesh.Index(x, y, layer);
                if (!magnet.Geometry.IsMagnetic(i)) continue;
                double reversed = Math.Max(0, -background * magnet.M.Z[i]);
                (weight, cx, cy) = (weight + reversed, cx + reversed * x, cy + reversed * y);
            }
        return weight > 0 ? (cx / weight, cy / weight) : null;
    }

    /// <summary>m_z at fractional cell coordinates (cell centres at integers).</summary>
    private static double Interpolate(Magnet magnet, int layer, double x, double y)
    {
        Mesh mesh = magnet.Mesh;
        int x0 = Math.Min((int)x, mesh.Nx - 2), y0 = Math.Min((int)y, mesh.Ny - 2);
        double fx = x - x0, fy = y - y0;
        double Mz(int ix, int iy) => magnet.M.Z[mesh.Index(ix, iy, layer)];
        return (1 - fx) * (1 - fy) * Mz(x0, y0) + fx * (1 - fy) * Mz(x0 + 1, y0) + (1 - fx) * fy * Mz(x0, y0 + 1) + fx * fy * Mz(x0 + 1, y0 + 1);
    }

    private static int CornerMagneticCell(Magnet magnet, int layer)
    {
        Mesh mesh = magnet.Mesh;
        for (int y = 0; y < mesh.Ny; y++)
            for (int x = 0; x < mesh.Nx; x++)
                if (magnet.Geometry.IsMagnetic(mesh.Index(x, y, layer)) && x == y) return mesh.Index(x, y, layer);
        throw new ArgumentException("no magnetic cell on the layer's diagonal to read the background from.");
    }
}
