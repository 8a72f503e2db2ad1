using System.Security.Cryptography;
using EdgeSkyrmion.Cloud.Updates;

namespace EdgeSkyrmion.Cloud.Fleet.Updates;

/// <summary>
/// The server's first update-signing key (ECDSA P-256), kept as PKCS#8 PEM beside the fleet database and created on
/// first use. A fleet without a root key has devices pin its public key; `fleet keys init` delegates it from the root.
/// </summary>
public static class SigningKey
{
    public static ECDsa LoadOrCreate(string pemPath) => File.Exists(pemPath) ? EcKeyFile.Load(pemPath) : EcKeyFile.Create(pemPath);

    public static string PathBeside(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, Path.GetFileNameWithoutExtension(databasePath) + ".signing-key.pem");

    /// <summary>The folder of the keys `fleet keys rotate` creates, one PEM per key id.</summary>
    public static string FolderBeside(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, Path.GetFileNameWithoutExtension(databasePath) + ".signing-keys");
}
