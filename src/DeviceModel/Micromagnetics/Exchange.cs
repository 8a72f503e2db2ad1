namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Heisenberg exchange, E = A ∫ |∇m|², field B = (2A/Ms) ∇²m by the six-neighbour stencil. Empty neighbours: the DMI
/// ghost in plane (<see cref="DmiBoundary"/>), the free condition across z; layers apart by a spacer
/// (<see cref="Mesh.LayerPitchM"/>) do not couple.
/// </summary>
public sealed class Exchange : StencilTerm
{
    private readonly double _cx, _cy, _cz;

    public Exchange(Geometry geometry, MagnetMaterial material, WorkerPool pool)
        : base(geometry, material, pool)
    {
        double c = 2 * material.ExchangeStiffnessJPerM / material.SaturationMagnetizationAPerM;
        (_cx, _cy) = (c / (Mesh.CellXM * Mesh.CellXM), c / (Mesh.CellYM * Mesh.CellYM));
        _cz = Mesh.LayersTouch ? c / (Mesh.CellZM * Mesh.CellZM) : 0;
    }

    public override string Name => "exchange";

    protected override void Rows(int from, int to, VectorField m, VectorField f)
    {
        int nx = Mesh.Nx, ny = Mesh.Ny, nz = Mesh.Nz, plane = nx * ny;
        for (int row = from; row < to; row++)
        {
            int y = row % ny, z = row / ny;
            for (int x = 0; x < nx; x++)
            {
                int i = row * nx + x;
                if (Region[i] == Geometry.Empty) continue;
                double mx = m.X[i], my = m.Y[i], mz = m.Z[i];
                double hx = 0, hy = 0, hz = 0;
                DmiBoundary.Neighbour(m, Region, i - 1, x > 0, true, -1, Mesh.CellXM, DmiOver2APerM, mx, my, mz, out double ax, out double ay, out double az);
                DmiBoundary.Neighbour(m, Region, i + 1, x < nx - 1, true, 1, Mesh.CellXM, DmiOver2APerM, mx, my, mz, out double bx, out double by, out double bz);
                hx += _cx * (ax + bx - 2 * mx);
                hy += _cx * (ay + by - 2 * my);
                hz += _cx * (az + bz - 2 * mz);
                DmiBoundary.Neighbour(m, Region, i - nx, y > 0, false, -1, Mesh.CellYM, DmiOver2APerM, mx, my, mz, out ax, out ay, out az);
                DmiBoundary.Neighbour(m, Region, i + nx, y < ny - 1, false, 1, Mesh.CellYM, DmiOver2APerM, mx, my, mz, out bx, out by, out bz);
                hx += _cy * (ax + bx - 2 * mx);
                hy += _cy * (ay + by - 2 * my);
                hz += _cy * (az + bz - 2 * mz);
                if (z > 0 && Region[i - plane] != Geometry.Empty)
                {
                    hx += _cz * (m.X[i - plane] - mx);
                    hy += _cz * (m.Y[i - plane] - my);
                    hz += _cz * (m.Z[i - plane] - mz);
                }
                if (z < nz - 1 && Region[i + plane] != Geometry.Empty)
                {
                    hx += _cz * (m.X[i + plane] - mx);
                    hy += _cz * (m.Y[i + plane] - my);
                    hz += _cz * (m.Z[i + plane] - mz);
                }
                f.X[i] += hx;
                f.Y[i] += hy;
                f.Z[i] += hz;
            }
        }
    }
}
