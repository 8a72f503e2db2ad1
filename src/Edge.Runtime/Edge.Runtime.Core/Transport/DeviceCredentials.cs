using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Edge.Updates;

namespace EdgeSkyrmion.Edge.Transport;

/// <summary>
/// What a device trusts and how it proves who it is, kept in its state directory (owner-only files): the cloud's
/// update-signing public key pinned at provisioning (cloud-key.der, SubjectPublicKeyInfo DER) and the bearer
/// token issued at registration (token).
/// </summary>
public sealed record DeviceCredentials(byte[] CloudKeyDer, string Token)
{
    public const string KeyFile = "cloud-key.der";
    public const string TokenFile = "token";

    public string CloudKeyId => UpdateSignature.KeyId(CloudKeyDer);

    public void Save(string stateDirectory)
    {
        using (System.Security.Cryptography.ECDsa probe = System.Security.Cryptography.ECDsa.Create())
        {
            try { probe.ImportSubjectPublicKeyInfo(CloudKeyDer, out _); }
            catch (System.Security.Cryptography.CryptographicException e) { throw new InvalidDataException($"the cloud key is not an ECDSA public key in DER form ({e.Message}).", e); }
        }
        AtomicFile.Write(Path.Combine(stateDirectory, KeyFile), CloudKeyDer);
        AtomicFile.Write(Path.Combine(stateDirectory, TokenFile), System.Text.Encoding.UTF8.GetBytes(Token));
        if (!OperatingSystem.IsWindows())
            foreach (string f in new[] { KeyFile, TokenFile })
                File.SetUnixFileMode(Path.Combine(stateDirectory, f), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public static DeviceCredentials Load(string stateDirectory)
    {
        string key = Path.Combine(stateDirectory, KeyFile);
        string token = Path.Combine(stateDirectory, TokenFile);
        if (!File.Exists(key) || !File.Exists(token))
            throw new FileNotFoundException($"{stateDirectory} has no pinned cloud key or token: provision with --cloud-key and --token (or `edge trust`).");
        return new DeviceCredentials(File.ReadAllBytes(key), File.ReadAllText(token).Trim());
    }
}
