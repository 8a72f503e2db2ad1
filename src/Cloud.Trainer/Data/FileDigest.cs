using System.Security.Cryptography;

namespace EdgeSkyrmion.Cloud.Data;

public static class FileDigest
{
    /// <summary>Lower-case hex SHA-256 of a file's bytes as stored (a .gz file is hashed compressed).</summary>
    public static string Sha256Hex(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
