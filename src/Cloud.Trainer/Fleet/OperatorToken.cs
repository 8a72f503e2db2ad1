using System.Security.Cryptography;
using System.Text;

namespace EdgeSkyrmion.Cloud.Fleet;

/// <summary>
/// The operator credential: a random bearer token kept beside the fleet database (owner-only file mode), created
/// on the server's first start like the signing key. The server holds only its SHA-256 in memory and compares in
/// constant time; the operator CLI reads the file (--operator-token-file or EDGESKYRMION_OPERATOR_TOKEN_FILE).
/// </summary>
public static class OperatorToken
{
    public const string EnvironmentVariable = "EDGESKYRMION_OPERATOR_TOKEN_FILE";

    public static string PathBeside(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, Path.GetFileNameWithoutExtension(databasePath) + ".operator-token");

    public static string LoadOrCreate(string path)
    {
        if (File.Exists(path)) return Read(path);
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        string temp = path + ".tmp";
        File.WriteAllText(temp, token + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: false);
        return token;
    }

    /// <summary>Reads a token file; an empty or missing file is bad input naming the file.</summary>
    public static string Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"operator token file {path} does not exist (serve creates it beside the database).", path);
        string token = File.ReadAllText(path).Trim();
        if (token.Length == 0 || token.Any(char.IsWhiteSpace)) throw new InvalidDataException($"{path} does not hold an operator token.");
        return token;
    }

    public static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static bool Matches(byte[] expectedDigest, string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(expectedDigest, Digest(presented));
}
