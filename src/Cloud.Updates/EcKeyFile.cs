using System.Security.Cryptography;

namespace EdgeSkyrmion.Cloud.Updates;

/// <summary>
/// An ECDSA P-256 private key in a PKCS#8 PEM file: the fleet's offline root key (kept by the operator) and the
/// server's online signing keys. Created owner-only from the first byte and never overwritten.
/// </summary>
public static class EcKeyFile
{
    public static ECDsa Load(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot read key file {path} ({e.Message}).", e);
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidDataException($"{path} is not a PEM-encoded ECDSA private key ({e.Message}).", e);
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new InvalidDataException($"{path}: the key must be P-256, found {key.KeySize} bits.");
        }
        return key;
    }

    /// <summary>Creates a new key at <paramref name="path"/>; an existing file is an error and is left alone.</summary>
    public static ECDsa Create(string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.Delete(temp);
        using (var writer = new StreamWriter(temp, System.Text.Encoding.ASCII, options))
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            key.Dispose();
            throw new ArgumentException($"{path} already exists; a key file is never overwritten.");
        }
        return key;
    }
}
