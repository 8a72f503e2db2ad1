namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Finds skyrmions in a layer as mumax3 users do by eye: the connected clusters (4-neighbour) of magnetic cells with
/// m_z &lt; 0 against the +z background, each reported by its centroid and its area's equivalent radius √(A/π).
/// </summary>
public static class SkyrmionClusters
{
    /// <summary>
    /// One reversed cluster: centroid (m, from the mesh corner), cell count, area (m²), equivalent radius (m), and whether it
    /// reaches the film's boundary (a cell beside the mesh's side or an empty cell): a reversed domain open to the edge, no
    /// longer a closed skyrmion.
    /// </summary>
    public sealed record Cluster(double XM, double YM, int Cells, double AreaM2, bool TouchesEdge)
    {
        public double EquivalentRadiusM => Math.Sqrt(AreaM2 / Math.PI);
    }

    public static IReadOnlyList<Cluster> Find(Magnet magnet, int layer = 0)
    {
        Mesh mesh = magnet.Mesh;
        var seen = new bool[mesh.Nx * mesh.Ny];
        var clusters = new List<Cluster>();
        var stack = new Stack<int>();
        bool Reversed(int x, int y) => magnet.Geometry.IsMagnetic(mesh.Index(x, y, layer)) && magnet.M.Z[mesh.Index(x, y, layer)] < 0;
        for (int start = 0; start < seen.Length; start++)
        {
            if (seen[start] || !Reversed(start % mesh.Nx, start / mesh.Nx)) continue;
            seen[start] = true;
            stack.Push(start);
            double sx = 0, sy = 0;
            int cells = 0;
            bool touchesEdge = false;
            while (stack.TryPop(out int c))
            {
                int x = c % mesh.Nx, y = c / mesh.Nx;
                (sx, sy, cells) = (sx + x, sy + y, cells + 1);
                foreach ((int nx, int ny) in (ReadOnlySpan<(int, int)>)[(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)])
                {
                    if (nx < 0 || ny < 0 || nx >= mesh.Nx || ny >= mesh.Ny || !magnet.Geometry.IsMagnetic(mesh.Index(nx, ny, layer)))
                    {
                        touchesEdge = true;
                        continue;
                    }
                    int n = ny * mesh.Nx + nx;
                    if (seen[n] || !Reversed(nx, ny)) continue;
                    seen[n] = true;
                    stack.Push(n);
                }
            }
            clusters.Add(new Cluster((sx / cells + 0.5) * mesh.CellXM, (sy / cells + 0.5) * mesh.CellYM, cells, cells * mesh.CellXM * mesh.CellYM, touchesEdge));
        }
        return clusters;
    }

    /// <summary>
    /// Reversed fraction of the area x ≥ <paramref name="fromXM"/>: the mean of (1 − m_z)/2 over its magnetic cells, what an
    /// MTJ above that area reads (G = G0·(1 + TMR·f)).
    /// </summary>
    public static double ReversedFraction(Magnet magnet, double fromXM, int layer = 0)
    {
        Mesh mesh = magnet.Mesh;
        double sum = 0;
        int cells = 0;
        for (int y = 0; y < mesh.Ny; y++)
            for (int x = 0; x < mesh.Nx; x++)
            {
                int i = mesh.Index(x, y, layer);
                if ((x + 0.5) * mesh.CellXM < fromXM || !magnet.Geometry.IsMagnetic(i)) continue;
                (sum, cells) = (sum + (1 - magnet.M.Z[i]) / 2, cells + 1);
            }
        return cells > 0 ? sum / cells : 0;
    }
}
