namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// The finite-difference grid: Nx × Ny × Nz orthorhombic cells, x fastest. Everything in this folder is SI, stated
/// once here: lengths m, times s, fields as flux density B in T, Ms in A/m, energies J, energy densities J/m³.
/// </summary>
public sealed record Mesh(int Nx, int Ny, int Nz, double CellXM, double CellYM, double CellZM)
{
    /// <summary>
    /// Distance between the centres of consecutive z layers, m. Equal to CellZM for a solid body; larger for a multilayer
    /// whose magnetic layers (CellZM thick) are separated by non-magnetic spacers: then the layers couple only through
    /// demag, and the empty spacers cost no cells.
    /// </summary>
    public double LayerPitchM { get; init; } = CellZM;

    /// <summary>Whether consecutive layers touch (exchange couples them).</summary>
    public bool LayersTouch => Math.Abs(LayerPitchM - CellZM) <= 1e-6 * CellZM;

    /// <summary>Bytes a run may hold before it is refused (a quarter of what the GC may use, at least 256 MiB).</summary>
    public static long DefaultMemoryBudgetBytes => Math.Max(256L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);

    /// <summary>Bytes per cell: m, field, seven Dormand–Prince stages, three scratch fields (3 doubles each).</summary>
    private const long BytesPerCell = 12 * 3 * sizeof(double);

    public int Count => Nx * Ny * Nz;

    public double CellVolumeM3 => CellXM * CellYM * CellZM;

    public int Index(int x, int y, int z) => (z * Ny + y) * Nx + x;

    /// <summary>Demag's padded FFT grid: each dimension ≥ 2N − 1 rounded up to a power of two (the radix-2 path allocates nothing).</summary>
    public (int X, int Y, int Z) PaddedSize => (Pad(Nx), Pad(Ny), Pad(Nz));

    /// <summary>
    /// What a run on this mesh holds: the per-cell fields, and demag's work on the padded grid at
    /// <paramref name="demagBytesPerPaddedCell"/> (<see cref="DemagProvider.BytesPerPaddedCell"/>: what the implementation
    /// in use was measured to take at its peak; 0 without demag).
    /// </summary>
    public long EstimatedBytes(int demagBytesPerPaddedCell)
    {
        (int px, int py, int pz) = PaddedSize;
        return Count * BytesPerCell + (long)px * py * pz * demagBytesPerPaddedCell;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong: a non-positive size, or a grid that would not fit in <paramref name="budgetBytes"/>.</summary>
    public Mesh Validated(long budgetBytes, int demagBytesPerPaddedCell)
    {
        if (Nx < 1 || Ny < 1 || Nz < 1) throw new ArgumentException($"mesh: cell counts must be ≥ 1 (got {Nx} × {Ny} × {Nz}).");
        if (!(CellXM > 0 && CellYM > 0 && CellZM > 0)) throw new ArgumentException("mesh: cell sizes must be > 0.");
        if (!(LayerPitchM >= CellZM * (1 - 1e-6))) throw new ArgumentException("mesh: the layer pitch must be at least the cell thickness.");
        if ((long)Nx * Ny * Nz > int.MaxValue / 8) throw new ArgumentException($"mesh: {Nx} × {Ny} × {Nz} cells is too many to index.");
        long need = EstimatedBytes(demagBytesPerPaddedCell);
        if (need > budgetBytes)
            throw new ArgumentException($"mesh: {Nx} × {Ny} × {Nz} cells needs ≈ {need / (1 << 20)} MiB, over the {budgetBytes / (1 << 20)} MiB budget; use fewer or larger cells.");
        return this;
    }

    private static int Pad(int n) => n == 1 ? 1 : (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * n - 1));
}
