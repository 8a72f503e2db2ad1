using System.Security.Cryptography;
using System.Text;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Operator;

/// <summary>
/// The operator credential: a random bearer token kept beside the fleet database (owner-only file mode), created
/// on the server's first start like the signing key. The server holds only its SHA-256 in memory and compares in
/// constant time; the operator CLI reads the file (<see cref="OperatorConnection.ReadTokenFile"/>).
/// </summary>
public static class OperatorToken
{
    public static string PathBeside(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, Path.GetFileNameWithoutExtension(databasePath) + ".operator-token");

    public static string LoadOrCreate(string path)
    {
        if (File.Exists(path)) return OperatorConnection.ReadTokenFile(path);
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        string temp = path + ".tmp";
        File.WriteAllText(temp, token + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: false);
        return token;
    }

    public static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static bool Matches(byte[] expectedDigest, string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(expectedDigest, Digest(presented));
}
