using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeSkyrmion.Cloud.Fleet.Storage;

namespace EdgeSkyrmion.Cloud.Fleet.Tls;

/// <summary>
/// Per-device client certificates for mutual TLS. The fleet's private CA issues each registered device a certificate
/// (ECDSA P-256, subject CN = device id, client-auth only) with its key, returned once like the token; the server
/// keeps only the certificate's SHA-256. A device that presents a certificate must present its own current one (the
/// CN names it and the hash matches: a re-issued or another device's certificate is refused); with
/// <see cref="Required"/> (serve --require-device-certificates) a device without one is refused too. The handshake
/// itself only accepts certificates this CA issued (<see cref="Chains"/>).
/// </summary>
public sealed class DeviceCertificates
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(825);
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly FleetDatabase _db;
    private readonly X509Certificate2? _ca;

    public DeviceCertificates(FleetDatabase db, X509Certificate2? ca, bool required)
    {
        _db = db;
        _ca = ca;
        Required = required;
    }

    public bool Required { get; }

    /// <summary>Issues (or re-issues, replacing the old) the device's certificate; (null, null) when this server has no CA key.</summary>
    public (string? CertificatePem, string? KeyPem) Issue(string deviceId)
    {
        if (_ca is null) return (null, null);
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + deviceId.Replace("\"", "", StringComparison.Ordinal)), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        DateTimeOffset now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using X509Certificate2 certificate = request.Create(_ca, now, now + Lifetime, RandomNumberGenerator.GetBytes(16));
        using var c = _db.Open();
        FleetDatabase.Execute(c, "INSERT INTO device_certificates (device_id, cert_sha256, issued_ms) VALUES (@d, @h, @t) " +
            "ON CONFLICT (device_id) DO UPDATE SET cert_sha256 = excluded.cert_sha256, issued_ms = excluded.issued_ms",
            ("@d", deviceId), ("@h", SHA256.HashData(certificate.RawData)), ("@t", FleetDatabase.NowMs()));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The handshake's check of a presented client certificate: issued by this fleet's CA for client auth, in date.</summary>
    public bool Chains(X509Certificate2 presented) => _ca is not null && Protos.V1.PinnedCa.IssuedBy(presented, _ca, ClientAuth);

    /// <summary>Why <paramref name="deviceId"/> may not connect with <paramref name="presented"/> (null: it may).</summary>
    public string? Refusal(string deviceId, X509Certificate2? presented)
    {
        if (presented is null)
            return Required ? $"this fleet requires a device certificate (mutual TLS): provision {deviceId} with `edge trust --client-cert --client-key`." : null;
        string subject = presented.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (subject != deviceId) return $"the device certificate is issued to {subject}, not {deviceId}.";
        using var c = _db.Open();
        byte[]? current = FleetDatabase.Scalar<byte[]>(c, "SELECT cert_sha256 FROM device_certificates WHERE device_id = @d", ("@d", deviceId));
        return current is not null && CryptographicOperations.FixedTimeEquals(current, SHA256.HashData(presented.RawData))
            ? null : $"the device certificate presented is not {deviceId}'s current one (re-issued or never issued here).";
    }
}
