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

    /// <summary>Builds the demag term of a magnet; the term is disposed with the magnet if it is <see cref="IDisposable"/>.</summary>
    public delegate IFieldTerm Factory(Geometry geometry, MagnetMaterial material, WorkerPool pool);

    private static readonly AsyncLocal<(string Name, Factory Create)?> s_scoped = new();

    /// <summary>The implementation new magnets get here.</summary>
    public static string Current => s_scoped.Value?.Name ?? Default;

    /// <summary>Until the returned scope is disposed, magnets built in this flow of execution take their demag term from <paramref name="create"/>.</summary>
    public static IDisposable Use(string name, Factory create)
    {
        var previous = s_scoped.Value;
        s_scoped.Value = (name, create);
        return new Scope(() => s_scoped.Value = previous);
    }

    internal static IFieldTerm Create(Geometry geometry, MagnetMaterial material, WorkerPool pool) =>
        s_scoped.Value is { } scoped ? scoped.Create(geometry, material, pool) : new Demag(geometry, material, pool);

    private sealed class Scope(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
