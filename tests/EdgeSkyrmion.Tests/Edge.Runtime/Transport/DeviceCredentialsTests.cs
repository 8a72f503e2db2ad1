using System.Security.Cryptography;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Edge.Updates;

namespace EdgeSkyrmion.Tests.Edge.Transport;

/// <summary>What a device's state directory keeps of its trust: a good key saved and read back, a bad one refused before anything is written.</summary>
public sealed class DeviceCredentialsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("es-credentials-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void APinnedKeyAndTokenAreSavedAndReadBack()
    {
        using ECDsa cloud = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] der = cloud.ExportSubjectPublicKeyInfo();
        new DeviceCredentials(der, "t0ken").Save(_dir);
        DeviceCredentials read = DeviceCredentials.Load(_dir);
        Assert.Equal(der, read.CloudKeyDer);
        Assert.Equal(("t0ken", false), (read.Token, read.PinsRoot));
    }

    [Fact]
    public void ACloudKeyThatIsNotAnEcdsaPublicKeyIsRefusedNamingItAndNothingIsWritten()
    {
        byte[] garbage = [0x30, 0x03, 0x02, 0x01, 0x05];
        var e = Assert.Throws<InvalidDataException>(() => new DeviceCredentials(garbage, "t0ken").Save(_dir));
        Assert.Contains($"the cloud key {UpdateSignature.KeyId(garbage)} is not an ECDSA public key", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }
}
