using System.Security.Cryptography;

namespace EdgeSkyrmion.Edge.Updates;

/// <summary>
/// An ECDSA P-256 public key (SubjectPublicKeyInfo DER) imported once. A device checks every update against the same
/// key, and importing the DER costs twice the verify itself (this machine, OpenSSL 3: 177 µs import and verify,
/// 54 µs verify alone), so the trust keeps its keys imported.
/// </summary>
public sealed class VerifyingKey : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create();
    private readonly Lock _gate = new();

    /// <summary>A DER that is not an ECDSA public key is an <see cref="InvalidDataException"/> naming the key id.</summary>
    public VerifyingKey(byte[] publicKeyDer)
    {
        KeyId = UpdateSignature.KeyId(publicKeyDer);
        try
        {
            _key.ImportSubjectPublicKeyInfo(publicKeyDer, out _);
        }
        catch (CryptographicException e)
        {
            _key.Dispose();
            throw new InvalidDataException($"key {KeyId} is not an ECDSA public key in DER form ({e.Message}).", e);
        }
    }

    /// <summary>The first 8 bytes of SHA-256 of the DER, hex (<see cref="UpdateSignature.KeyId"/>).</summary>
    public string KeyId { get; }

    /// <summary>Whether <paramref name="signature"/> (IEEE P1363 r‖s) is this key's holder's signature of SHA-256 of <paramref name="data"/>.</summary>
    public bool Verifies(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        // One key may serve a pushed update and the provisioning port at once; an ECDsa instance is not documented thread-safe.
        lock (_gate) return _key.VerifyData(data, signature, HashAlgorithmName.SHA256);
    }

    public void Dispose() => _key.Dispose();
}
