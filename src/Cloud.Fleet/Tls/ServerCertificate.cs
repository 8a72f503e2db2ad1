using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Tls;

/// <summary>
/// The certificate every endpoint of `serve` presents. Unless the operator gives one (--tls-cert/--tls-key, PEM),
/// the first start creates a private certificate authority and a server certificate it signs, both ECDSA P-256,
/// beside the database: NAME.tls-ca.pem (the CA certificate devices, flash and the CLI pin), NAME.tls-ca-key.pem,
/// NAME.tls-cert.pem and NAME.tls-key.pem (private keys owner-only). The server certificate names loopback and this
/// host. All four files are written to temporary names first and renamed at the end, so a failed start leaves
/// none half-written.
/// </summary>
public static class ServerCertificate
{
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(825);

    public static string CaPathBeside(string databasePath) => Beside(databasePath, PinnedCa.FileSuffix);

    /// <summary>
    /// The generated CA with its private key, which issues device certificates (mutual TLS); null when the operator
    /// gave the server certificate (--tls-cert), since then no CA key lives beside the database.
    /// </summary>
    public static X509Certificate2? LoadCa(string databasePath)
    {
        string ca = CaPathBeside(databasePath), caKey = Beside(databasePath, ".tls-ca-key.pem");
        return File.Exists(ca) && File.Exists(caKey) ? Load(ca, caKey) : null;
    }

    /// <summary>The generated server certificate (public, PEM).</summary>
    public static string CertPathBeside(string databasePath) => Beside(databasePath, ".tls-cert.pem");

    /// <summary>The operator's certificate and key (PEM); a missing or unreadable file is bad input naming it.</summary>
    public static X509Certificate2 Load(string certPath, string keyPath)
    {
        foreach (string path in new[] { certPath, keyPath })
            if (!File.Exists(path)) throw new FileNotFoundException($"TLS file {path} does not exist.", path);
        try
        {
            using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            // Kestrel on some platforms needs the key in a persisted form; a PKCS#12 round trip gives it that.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot use the TLS certificate {certPath} with key {keyPath} ({e.Message}).", e);
        }
    }

    /// <summary>The generated server certificate beside the database, created (with its CA) on first use.</summary>
    public static X509Certificate2 LoadOrCreate(string databasePath)
    {
        string cert = CertPathBeside(databasePath), key = Beside(databasePath, ".tls-key.pem");
        string ca = CaPathBeside(databasePath), caKey = Beside(databasePath, ".tls-ca-key.pem");
        string[] all = [ca, caKey, cert, key];
        int present = all.Count(File.Exists);
        if (present == all.Length) return Load(cert, key);
        if (present > 0)
            throw new InvalidDataException($"TLS files beside {databasePath} are incomplete ({string.Join(", ", all.Where(f => !File.Exists(f)))} missing): restore them, or remove the rest to create new ones (devices must then pin the new CA).");

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        using ECDsa caPrivate = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=EdgeSkyrmion fleet CA {Environment.MachineName}", caPrivate, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using X509Certificate2 caCert = caRequest.CreateSelfSigned(now, now + CaLifetime);

        using ECDsa serverPrivate = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Environment.MachineName}", serverPrivate, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName(Environment.MachineName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caCert, true, false));
        using X509Certificate2 server = request.Create(caCert, now, now + ServerLifetime, RandomNumberGenerator.GetBytes(16));

        var written = new List<(string Temp, string Final)>();
        try
        {
            written.Add(Write(ca, caCert.ExportCertificatePem(), secret: false));
            written.Add(Write(caKey, caPrivate.ExportPkcs8PrivateKeyPem(), secret: true));
            written.Add(Write(cert, server.ExportCertificatePem(), secret: false));
            written.Add(Write(key, serverPrivate.ExportPkcs8PrivateKeyPem(), secret: true));
            foreach ((string temp, string final) in written) File.Move(temp, final, overwrite: false);
        }
        finally
        {
            foreach ((string temp, _) in written) File.Delete(temp);
        }
        return Load(cert, key);
    }

    private static (string Temp, string Final) Write(string path, string pem, bool secret)
    {
        string temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        using (var writer = new StreamWriter(temp, System.Text.Encoding.ASCII, options)) writer.Write(pem);
        return (temp, path);
    }

    private static string Beside(string databasePath, string suffix) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, Path.GetFileNameWithoutExtension(databasePath) + suffix);
}
