using System.Security.Cryptography;
using EdgeSkyrmion.Edge.Updates;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>A key imported once verifies its holder's signatures, every time, and nothing else.</summary>
public sealed class VerifyingKeyTests
{
    [Fact]
    public void AKeyImportedOnceVerifiesItsHoldersSignaturesAgainAndAgainAndNoOthers()
    {
        using ECDsa holder = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] der = holder.ExportSubjectPublicKeyInfo();
        using var key = new VerifyingKey(der);
        Assert.Equal(UpdateSignature.KeyId(der), key.KeyId);
        byte[] data = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];
        byte[] signature = holder.SignData(data, HashAlgorithmName.SHA256);
        for (int i = 0; i < 3; i++) Assert.True(key.Verifies(data, signature));
        Assert.False(key.Verifies(data, other.SignData(data, HashAlgorithmName.SHA256)));
        byte[] tampered = (byte[])data.Clone();
        tampered[17] ^= 1;
        Assert.False(key.Verifies(tampered, signature));
        Assert.True(key.Verifies(data, signature));
    }

    [Fact]
    public void ADerThatIsNotAnEcdsaPublicKeyIsRefusedNamingItsKeyId()
    {
        byte[] garbage = [0x30, 0x03, 0x02, 0x01, 0x05];
        var e = Assert.Throws<InvalidDataException>(() => new VerifyingKey(garbage));
        Assert.Contains($"key {UpdateSignature.KeyId(garbage)} is not an ECDSA public key", e.Message);
    }
}
