using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeSkyrmion.Protos.V1;

/// <summary>
/// A client's trust in the fleet server's TLS certificate: the server's private CA (NAME.tls-ca.pem beside its
/// database), pinned by devices at provisioning and by the CLI. A certificate is accepted only when it chains to
/// that CA alone (not the system's roots) and names the host the client dialled.
/// </summary>
public static class PinnedCa
{
    public const string FileSuffix = ".tls-ca.pem";

    public static X509Certificate2 Load(string pemPath)
    {
        if (!File.Exists(pemPath)) throw new FileNotFoundException($"CA certificate {pemPath} does not exist.", pemPath);
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(pemPath));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidDataException($"{pemPath} is not a PEM certificate ({e.Message}).", e);
        }
    }

    /// <summary>Accepts exactly the certificates <paramref name="ca"/> issued for the dialled host.</summary>
    public static RemoteCertificateValidationCallback Validator(X509Certificate2 ca) => (_, certificate, _, errors) =>
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0) return false;
        using X509Certificate2 presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return IssuedBy(presented, ca);
    };

    /// <summary>
    /// Whether <paramref name="ca"/> alone (not the system roots) issued <paramref name="presented"/>, in date and, when
    /// <paramref name="usage"/> is given, for that extended key usage. A private CA publishes no revocation list:
    /// revoking what it issued means replacing it (servers) or forgetting the certificate's hash (devices).
    /// </summary>
    public static bool IssuedBy(X509Certificate2 presented, X509Certificate2 ca, Oid? usage = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (usage is not null) chain.ChainPolicy.ApplicationPolicy.Add(usage);
        return chain.Build(presented) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span);
    }

    /// <summary>An HTTP handler for <paramref name="server"/>: TLS pinned to <paramref name="ca"/> when it is https (system roots when no CA is given).</summary>
    public static SocketsHttpHandler Handler(Uri server, X509Certificate2? ca)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, ConnectTimeout = TimeSpan.FromSeconds(5) };
        if (server.Scheme == Uri.UriSchemeHttps && ca is not null)
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validator(ca) };
        return handler;
    }
}
