namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Which implementation of the demag term new magnets get: <see cref="Demag"/> on Math.NET's FFT unless the host program
/// scopes another with <see cref="Use"/> (the CLI's, on libtorch's FFT — this assembly does not reference libtorch, so the
/// wearable's runtime stays small). Scoped per flow of execution, as <see cref="System.Globalization.CultureInfo.CurrentCulture"/>
/// is, so two runs side by side in one process (tests) do not see each other's choice.
/// </summary>
public static class DemagProvider
{
    /// <summary>Name of the default implementation.</summary>
    public const string Default = "mathnet";

    /// <summary>
    /// Peak bytes <see cref="Demag"/> takes a padded cell, spectra, kernels and their setup included: measured 197–254 B (max
    /// RSS over a bare process, 512 × 256 × 1 and 320 × 160 × 4 cells, 2026-12-04), rounded up.
    /// </summary>
    public const int MathNetBytesPerPaddedCell = 260;

    /// <summary>Builds the demag term of a magnet; the term is disposed with the magnet if it is <see cref="IDisposable"/>.</summary>
    public delegate IFieldTerm Factory(Geometry geometry, MagnetMaterial material, WorkerPool pool);

    private static readonly (string Name, Factory Create, int BytesPerPaddedCell) s_default =
        (Default, (geometry, material, pool) => new Demag(geometry, material, pool), MathNetBytesPerPaddedCell);

    private static readonly AsyncLocal<(string Name, Factory Create, int BytesPerPaddedCell)?> s_scoped = new();

    private static (string Name, Factory Create, int BytesPerPaddedCell) InUse => s_scoped.Value ?? s_default;

    /// <summary>The implementation new magnets get here.</summary>
    public static string Current => InUse.Name;

    /// <summary>What the implementation new magnets get here takes a padded cell at its peak, for the memory estimate a magnet is refused by.</summary>
    public static int BytesPerPaddedCell => InUse.BytesPerPaddedCell;

    /// <summary>
    /// Until the returned scope is disposed, magnets built in this flow of execution take their demag term from
    /// <paramref name="create"/>, which takes <paramref name="bytesPerPaddedCell"/> at its peak.
    /// </summary>
    public static IDisposable Use(string name, Factory create, int bytesPerPaddedCell) => Use((name, create, bytesPerPaddedCell));

    /// <summary>Until the returned scope is disposed, magnets built in this flow of execution get <see cref="Demag"/>, whatever an enclosing scope chose.</summary>
    public static IDisposable UseDefault() => Use(s_default);

    internal static IFieldTerm Create(Geometry geometry, MagnetMaterial material, WorkerPool pool) => InUse.Create(geometry, material, pool);

    private static IDisposable Use((string Name, Factory Create, int BytesPerPaddedCell) implementation)
    {
        var previous = s_scoped.Value;
        s_scoped.Value = implementation;
        return new AmbientScope(() => s_scoped.Value = previous);
    }
}
