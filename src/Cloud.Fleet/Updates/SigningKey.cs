using System.Security.Cryptography;

namespace EdgeSkyrmion.Cloud.Fleet.Updates;

/// <summary>
/// The cloud's update-signing key (ECDSA P-256), kept as PKCS#8 PEM beside the fleet database and created on
/// first use. Devices pin its public key (SubjectPublicKeyInfo DER) at provisioning.
/// </summary>
public static class SigningKey
{
    public static ECDsa LoadOrCreate(string pemPath)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(pemPath))
        {
            try
            {
                key.ImportFromPem(File.ReadAllText(pemPath));
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{pemPath} is not a PEM-encoded ECDSA private key ({e.Message}).", e);
            }
            if (key.KeySize != 256) throw new InvalidDataException($"{pemPath}: signing key must be P-256, found {key.KeySize} bits.");
            return key;
        }
        string temp = pemPath + ".tmp";
        File.WriteAllText(temp, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, pemPath, overwrite: false);
        return key;
    }

    public static string PathBeside(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, Path.GetFileNameWithoutExtension(databasePath) + ".signing-key.pem");
}
