namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// A field term computed from each cell's neighbours (exchange, DMI): rows of cells split across the worker pool, the
/// row body cached as a delegate so an evaluation allocates nothing.
/// </summary>
public abstract class StencilTerm : IFieldTerm
{
    private readonly WorkerPool _pool;
    private readonly Action<int, int> _rows;

    protected StencilTerm(Geometry geometry, MagnetMaterial material, WorkerPool pool)
    {
        Mesh = geometry.Mesh;
        Region = geometry.Region;
        _pool = pool;
        DmiOver2APerM = material.ExchangeStiffnessJPerM > 0 ? material.InterfacialDmiJPerM2 / (2 * material.ExchangeStiffnessJPerM) : 0;
        _rows = (from, to) => Rows(from, to, Magnetization, Output);
    }

    protected Mesh Mesh { get; }

    protected byte[] Region { get; }

    /// <summary>D/2A, 1/m: the edge ghost's tilt per unit length (<see cref="DmiBoundary"/>).</summary>
    protected double DmiOver2APerM { get; }

    private VectorField Magnetization { get; set; } = null!;

    private VectorField Output { get; set; } = null!;

    public abstract string Name { get; }

    public double EnergyFactor => 0.5;

    public void AddField(VectorField m, double timeS, VectorField field)
    {
        (Magnetization, Output) = (m, field);
        _pool.Run(Mesh.Ny * Mesh.Nz, _rows);
    }

    /// <summary>Adds the field of rows [from, to) (row = z·Ny + y) into <paramref name="field"/>.</summary>
    protected abstract void Rows(int from, int to, VectorField m, VectorField field);
}
