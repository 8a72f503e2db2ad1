using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Edge.Updates;

namespace EdgeSkyrmion.Edge.Transport;

/// <summary>
/// What a device trusts and how it proves who it is, kept in its state directory (owner-only files): the cloud key
/// pinned at provisioning (SubjectPublicKeyInfo DER) — the root key of the key hierarchy (root-key.der), or, on a
/// device provisioned before it, the one update-signing key (cloud-key.der) — the bearer token issued at
/// registration (token), the fleet server's TLS CA certificate (cloud-ca.pem) the device pins for https, and, in a
/// fleet with mutual TLS, the client certificate and key issued at registration (client-cert.pem, client-key.pem).
/// </summary>
public sealed record DeviceCredentials(byte[] CloudKeyDer, string Token, bool PinsRoot = false)
{
    public const string KeyFile = "cloud-key.der";
    public const string RootKeyFile = "root-key.der";
    public const string TokenFile = "token";
    public const string CaFile = "cloud-ca.pem";
    public const string ClientCertificateFile = "client-cert.pem";
    public const string ClientKeyFile = "client-key.pem";

    /// <summary>The fleet server's CA certificate (PEM); null keeps the one pinned before, if any.</summary>
    public byte[]? CaPem { get; init; }

    /// <summary>The pinned CA, for TLS to the cloud.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Ca() =>
        CaPem is null ? null : System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(CaPem));

    /// <summary>The device's client certificate and its private key (PEM) for mutual TLS; null keeps the ones stored before, if any.</summary>
    public (string CertificatePem, string KeyPem)? ClientCertificatePem { get; init; }

    /// <summary>The client certificate with its key, for the TLS handshake; null when the device has none.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate() =>
        ClientCertificatePem is { } pem ? System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem.CertificatePem, pem.KeyPem) : null;

    /// <summary>Presents this device's client certificate on <paramref name="handler"/>'s TLS connections, when it has one.</summary>
    public SocketsHttpHandler WithClientCertificate(SocketsHttpHandler handler)
    {
        if (ClientCertificate() is { } certificate)
        {
            handler.SslOptions ??= new System.Net.Security.SslClientAuthenticationOptions();
            handler.SslOptions.ClientCertificates = [certificate];
        }
        return handler;
    }

    public string CloudKeyId => UpdateSignature.KeyId(CloudKeyDer);

    /// <summary>The keys this device accepts updates from.</summary>
    public UpdateTrust Trust(string stateDirectory, Func<DateTimeOffset>? clock = null) =>
        PinsRoot ? UpdateTrust.Root(CloudKeyDer, stateDirectory, clock) : UpdateTrust.PinnedSigningKey(CloudKeyDer);

    public void Save(string stateDirectory)
    {
        try { using var _ = new VerifyingKey(CloudKeyDer); }
        catch (InvalidDataException e) { throw new InvalidDataException($"the cloud {e.Message}", e); }
        if (CaPem is not null)
        {
            try { using var _ = Ca(); }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException) { throw new InvalidDataException($"the CA is not a PEM certificate ({e.Message}).", e); }
            AtomicFile.Write(Path.Combine(stateDirectory, CaFile), CaPem);
        }
        if (ClientCertificatePem is { } client)
        {
            try { using var _ = ClientCertificate(); }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                throw new InvalidDataException($"the client certificate and key are not a matching PEM certificate and private key ({e.Message}).", e);
            }
            AtomicFile.Write(Path.Combine(stateDirectory, ClientCertificateFile), System.Text.Encoding.ASCII.GetBytes(client.CertificatePem));
            AtomicFile.Write(Path.Combine(stateDirectory, ClientKeyFile), System.Text.Encoding.ASCII.GetBytes(client.KeyPem));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(stateDirectory, ClientKeyFile), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        string keyFile = PinsRoot ? RootKeyFile : KeyFile;
        string rootPath = Path.Combine(stateDirectory, RootKeyFile);
        // A delegation is kept across re-trusting the same root (so an older one cannot be replayed), never across a root change.
        bool sameRoot = PinsRoot && File.Exists(rootPath) && File.ReadAllBytes(rootPath).AsSpan().SequenceEqual(CloudKeyDer);
        if (!sameRoot) AtomicFile.Delete(Path.Combine(stateDirectory, UpdateTrust.DelegationFile));
        AtomicFile.Write(Path.Combine(stateDirectory, keyFile), CloudKeyDer);
        AtomicFile.Write(Path.Combine(stateDirectory, TokenFile), System.Text.Encoding.UTF8.GetBytes(Token));
        if (!OperatingSystem.IsWindows())
            foreach (string f in new[] { keyFile, TokenFile })
                File.SetUnixFileMode(Path.Combine(stateDirectory, f), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // One pin at a time: a device moved to the root forgets its old signing key, and the other way round.
        AtomicFile.Delete(Path.Combine(stateDirectory, PinsRoot ? KeyFile : RootKeyFile));
    }

    public static DeviceCredentials Load(string stateDirectory)
    {
        string root = Path.Combine(stateDirectory, RootKeyFile);
        string key = Path.Combine(stateDirectory, KeyFile);
        string token = Path.Combine(stateDirectory, TokenFile);
        bool pinsRoot = File.Exists(root);
        if ((!pinsRoot && !File.Exists(key)) || !File.Exists(token))
            throw new FileNotFoundException($"{stateDirectory} has no pinned cloud key or token: provision with --root-key (or --cloud-key) and --token (or `edge trust`).");
        string ca = Path.Combine(stateDirectory, CaFile);
        string clientCert = Path.Combine(stateDirectory, ClientCertificateFile), clientKey = Path.Combine(stateDirectory, ClientKeyFile);
        return new DeviceCredentials(File.ReadAllBytes(pinsRoot ? root : key), File.ReadAllText(token).Trim(), pinsRoot)
        {
            CaPem = File.Exists(ca) ? File.ReadAllBytes(ca) : null,
            ClientCertificatePem = File.Exists(clientCert) && File.Exists(clientKey) ? (File.ReadAllText(clientCert), File.ReadAllText(clientKey)) : null,
        };
    }
}
