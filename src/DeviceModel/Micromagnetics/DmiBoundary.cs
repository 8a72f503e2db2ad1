namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// The in-plane neighbour a cell at a free edge lacks, as a ghost that satisfies the interfacial-DMI boundary condition
/// 2A ∂m/∂n = D (ẑ × n) × m (Rohart &amp; Thiaville, PRB 88, 184422 (2013); mumax3 builds the same ghost). With D = 0 the
/// ghost equals the cell (free, Neumann boundary). Exchange and DMI both read the ghost, so the edge canting is right.
/// </summary>
public static class DmiBoundary
{
    /// <summary>
    /// Fills the neighbour of cell (mx, my, mz) along <paramref name="alongX"/> ? x : y on <paramref name="side"/> (−1 before,
    /// +1 after): its own m where it is magnetic, else the ghost one step <paramref name="stepM"/> away.
    /// </summary>
    public static void Neighbour(VectorField m, byte[] region, int neighbour, bool exists, bool alongX, int side, double stepM, double dmiOver2A,
        double mx, double my, double mz, out double nx, out double ny, out double nz)
    {
        if (exists && region[neighbour] != Geometry.Empty)
        {
            nx = m.X[neighbour];
            ny = m.Y[neighbour];
            nz = m.Z[neighbour];
            return;
        }
        Ghost(alongX, side * stepM * dmiOver2A, mx, my, mz, out nx, out ny, out nz);
    }

    /// <summary>The ghost for a signed step × D/2A of <paramref name="tilt"/>; plain arithmetic, also called by the ILGPU kernel.</summary>
    public static void Ghost(bool alongX, double tilt, double mx, double my, double mz, out double nx, out double ny, out double nz)
    {
        if (alongX)
        {
            nx = mx - tilt * mz;
            ny = my;
            nz = mz + tilt * mx;
        }
        else
        {
            nx = mx;
            ny = my - tilt * mz;
            nz = mz + tilt * my;
        }
    }
}
