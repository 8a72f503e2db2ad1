namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Interfacial DMI, E = D ∫ [m_z ∇·m − (m·∇) m_z], field B = (2D/Ms)(∂x m_z, ∂y m_z, −∂x m_x − ∂y m_y) by central
/// differences; at free edges the neighbour is <see cref="DmiBoundary"/>'s ghost. In-plane only: each layer of a
/// multilayer carries its own interface DMI.
/// </summary>
public sealed class Dmi : StencilTerm
{
    private readonly double _cx, _cy;

    public Dmi(Geometry geometry, MagnetMaterial material, WorkerPool pool)
        : base(geometry, material, pool)
    {
        double d = material.InterfacialDmiJPerM2 / material.SaturationMagnetizationAPerM;
        (_cx, _cy) = (d / Mesh.CellXM, d / Mesh.CellYM);
    }

    public override string Name => "dmi";

    protected override void Rows(int from, int to, VectorField m, VectorField f)
    {
        int nx = Mesh.Nx, ny = Mesh.Ny;
        for (int row = from; row < to; row++)
        {
            int y = row % ny;
            for (int x = 0; x < nx; x++)
            {
                int i = row * nx + x;
                if (Region[i] == Geometry.Empty) continue;
                double mx = m.X[i], my = m.Y[i], mz = m.Z[i];
                DmiBoundary.Neighbour(m, Region, i - 1, x > 0, true, -1, Mesh.CellXM, DmiOver2APerM, mx, my, mz, out double ax, out _, out double az);
                DmiBoundary.Neighbour(m, Region, i + 1, x < nx - 1, true, 1, Mesh.CellXM, DmiOver2APerM, mx, my, mz, out double bx, out _, out double bz);
                f.X[i] += _cx * (bz - az);
                f.Z[i] -= _cx * (bx - ax);
                DmiBoundary.Neighbour(m, Region, i - nx, y > 0, false, -1, Mesh.CellYM, DmiOver2APerM, mx, my, mz, out _, out double ay, out az);
                DmiBoundary.Neighbour(m, Region, i + nx, y < ny - 1, false, 1, Mesh.CellYM, DmiOver2APerM, mx, my, mz, out _, out double by, out bz);
                f.Y[i] += _cy * (bz - az);
                f.Z[i] -= _cy * (by - ay);
            }
        }
    }
}
