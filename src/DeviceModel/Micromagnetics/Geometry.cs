namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Which material each cell holds: region 0 is empty space (no magnetization), regions 1… are magnetic and index
/// <see cref="MagnetMaterial.AnisotropyJPerM3ByRegion"/>. Shapes are painted in the xy plane on chosen z layers.
/// </summary>
public sealed class Geometry
{
    public const byte Empty = 0;

    public Geometry(Mesh mesh)
    {
        Mesh = mesh;
        Region = new byte[mesh.Count];
    }

    public Mesh Mesh { get; }

    public byte[] Region { get; }

    public bool IsMagnetic(int cell) => Region[cell] != Empty;

    public int RegionCount => Region.Max() + 1;

    public int MagneticCellCount => Region.Count(r => r != Empty);

    /// <summary>Sets <paramref name="region"/> on the cells of <paramref name="layers"/> whose centre (x, y in m, from the corner) satisfies <paramref name="inside"/>.</summary>
    public Geometry Paint(byte region, Func<double, double, bool> inside, IEnumerable<int>? layers = null)
    {
        foreach (int z in layers ?? Enumerable.Range(0, Mesh.Nz))
            for (int y = 0; y < Mesh.Ny; y++)
                for (int x = 0; x < Mesh.Nx; x++)
                    if (inside((x + 0.5) * Mesh.CellXM, (y + 0.5) * Mesh.CellYM))
                        Region[Mesh.Index(x, y, z)] = region;
        return this;
    }

    /// <summary>Every cell of every layer in region 1: a plain film or a cuboid.</summary>
    public static Geometry Filled(Mesh mesh) => new Geometry(mesh).Paint(1, (_, _) => true);

    /// <summary>A disk of diameter <paramref name="diameterM"/> centred in the xy plane, region 1.</summary>
    public static Geometry Disk(Mesh mesh, double diameterM)
    {
        double cx = mesh.Nx * mesh.CellXM / 2, cy = mesh.Ny * mesh.CellYM / 2, r2 = diameterM * diameterM / 4;
        return new Geometry(mesh).Paint(1, (x, y) => (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r2);
    }
}
