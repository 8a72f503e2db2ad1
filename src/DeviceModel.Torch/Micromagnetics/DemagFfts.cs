namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>The FFTs the demag convolution can run on, by name, for <see cref="DemagProvider"/>.</summary>
public static class DemagFfts
{
    /// <summary>The names, the fastest first (the CLI's default).</summary>
    public static readonly string[] Names = [TorchDemag.ProviderName, DemagProvider.Default];

    /// <summary>Until disposed, magnets built in this flow of execution compute demag on the FFT <paramref name="name"/> names.</summary>
    public static IDisposable Use(string name) => name switch
    {
        TorchDemag.ProviderName => DemagProvider.Use(name, (geometry, material, pool) => new TorchDemag(geometry, material, pool), TorchDemag.BytesPerPaddedCell),
        DemagProvider.Default => DemagProvider.UseDefault(),
        _ => throw new ArgumentException($"unknown demag FFT '{name}': use {string.Join(" or ", Names)}."),
    };
}
