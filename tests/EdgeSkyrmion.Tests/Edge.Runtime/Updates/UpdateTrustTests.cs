using System.Security.Cryptography;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// A device that pins the root key: it accepts updates from keys the newest root-signed delegation vouches for, and
/// refuses — changing nothing, state.bin byte-identical — updates from keys revoked, past their cutoff, never
/// delegated, or under an expired, forged or rolled-back delegation.
/// </summary>
public sealed class UpdateTrustTests : IDisposable
{
    private static readonly StateTable Table = Presets.Get(Presets.Default);
    private readonly ECDsa _root = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _k1 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _k2 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "trust-" + Guid.NewGuid().ToString("N"));
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
    private DateTimeOffset _now;
    private readonly ModelImage _v1 = TestImages.Random([30, 10, 4], 1, seed: 1);

    public UpdateTrustTests() => _now = _start;

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static byte[] Der(ECDsa key) => key.ExportSubjectPublicKeyInfo();

    private static string Id(ECDsa key) => UpdateSignature.KeyId(Der(key));

    private (EdgeDevice Device, UpdateApplier Applier) Device()
    {
        EdgeDevice device = EdgeDevice.Provision(_dir, "dev-1", Table, 1);
        return (device, new UpdateApplier(device, UpdateTrust.Root(Der(_root), _dir, () => _now)));
    }

    private static Update Full(ModelImage image) => new()
    {
        SchemaVersion = WireSchema.Current, UpdateId = Guid.NewGuid().ToString("N"), DeviceId = "dev-1", ModelId = image.ModelId, NewVersion = image.Version,
        Kind = UpdateKind.FullImage, Image = image, ResultSha256 = ByteString.CopyFrom(DeltaCodec.Digest(image)),
    };

    private static SignedUpdate Signed(ModelImage image, ECDsa key, SignedDelegation? delegation)
    {
        SignedUpdate signed = UpdateSigner.Sign(Full(image), key);
        if (delegation is not null) signed.Delegation = delegation;
        return signed;
    }

    private Delegation V1(TimeSpan validFor) => DelegationSigner.Initial(Der(_k1), validFor, _start);

    private static void AssertRefusedAndUnchanged(EdgeDevice device, UpdateAck ack, string reason)
    {
        Assert.False(ack.Applied);
        Assert.Contains(reason, ack.Reason);
        Assert.Equal(0UL, device.Committed.ModelVersion);
        Assert.False(File.Exists(Path.Combine(device.StateDirectory, EdgeDevice.JournalFileName)));
    }

    private byte[] StateBytes() => File.ReadAllBytes(Path.Combine(_dir, EdgeDevice.StateFileName));

    [Fact]
    public void AnUpdateFromADelegatedKeyIsAppliedAndTheDelegationKept()
    {
        (EdgeDevice device, UpdateApplier applier) = Device();
        UpdateAck ack = applier.Apply(Signed(_v1, _k1, DelegationSigner.Sign(V1(TimeSpan.FromDays(1)), _root)));
        Assert.True(ack.Applied, ack.Reason);
        Assert.Equal(1UL, device.Committed.ModelVersion);
        Assert.Equal(1UL, UpdateTrust.Root(Der(_root), _dir).DelegationVersion);
    }

    [Fact]
    public void AKeyTheRootNeverDelegatedIsRefused()
    {
        (EdgeDevice device, UpdateApplier applier) = Device();
        byte[] before = StateBytes();
        AssertRefusedAndUnchanged(device, applier.Apply(Signed(_v1, _k2, null)), "holds no delegation");
        AssertRefusedAndUnchanged(device, applier.Apply(Signed(_v1, _k2, DelegationSigner.Sign(V1(TimeSpan.FromDays(1)), _root))), $"{Id(_k2)}, which the root");
        Assert.Equal(before, StateBytes());
    }

    [Fact]
    public void ARevokedKeyIsRefusedEvenUnderTheOlderDelegationItsUpdateCarries()
    {
        (EdgeDevice device, UpdateApplier applier) = Device();
        Delegation v1 = V1(TimeSpan.FromDays(1));
        SignedUpdate queued = Signed(_v1, _k1, DelegationSigner.Sign(v1, _root));
        Delegation v3 = DelegationSigner.Revoke(DelegationSigner.Rotate(v1, Der(_k2), TimeSpan.FromHours(1), TimeSpan.FromDays(1), _now), Id(_k1), _now);
        Assert.True(applier.Trust.Accept(DelegationSigner.Sign(v3, _root)));
        byte[] before = StateBytes();
        AssertRefusedAndUnchanged(device, applier.Apply(queued), $"{Id(_k1)}, which delegation v3 revokes");
        Assert.Equal(before, StateBytes());
        Assert.False(applier.Trust.Accept(DelegationSigner.Sign(v1, _root)));
        Assert.Equal(3UL, applier.Trust.DelegationVersion);
        Assert.True(applier.Apply(Signed(_v1, _k2, null)).Applied);
    }

    [Fact]
    public void ARotatedOutKeyWorksUntilItsCutoffThenIsRefused()
    {
        (EdgeDevice device, UpdateApplier applier) = Device();
        Delegation v2 = DelegationSigner.Rotate(V1(TimeSpan.FromDays(1)), Der(_k2), TimeSpan.FromMinutes(10), TimeSpan.FromDays(1), _now);
        Assert.True(applier.Trust.Accept(DelegationSigner.Sign(v2, _root)));
        _now = _start + TimeSpan.FromMinutes(11);
        byte[] before = StateBytes();
        AssertRefusedAndUnchanged(device, applier.Apply(Signed(_v1, _k1, null)), "cutoff passed");
        Assert.Equal(before, StateBytes());
        _now = _start + TimeSpan.FromMinutes(9);
        Assert.True(applier.Apply(Signed(_v1, _k1, null)).Applied);
    }

    [Fact]
    public void AnExpiredDelegationIsRefused()
    {
        (EdgeDevice device, UpdateApplier applier) = Device();
        SignedDelegation shortLived = DelegationSigner.Sign(V1(TimeSpan.FromMinutes(5)), _root);
        _now = _start + TimeSpan.FromMinutes(6);
        byte[] before = StateBytes();
        AssertRefusedAndUnchanged(device, applier.Apply(Signed(_v1, _k1, shortLived)), "expired");
        _now = _start + TimeSpan.FromMinutes(1);
        Assert.True(applier.Trust.Accept(shortLived));
        _now = _start + TimeSpan.FromMinutes(6);
        AssertRefusedAndUnchanged(device, applier.Apply(Signed(_v1, _k1, null)), "delegation v1 expired");
        Assert.Equal(before, StateBytes());
    }

    [Fact]
    public void AForgedTamperedOrForeignRootDelegationIsRefused()
    {
        (EdgeDevice device, UpdateApplier applier) = Device();
        using ECDsa otherRoot = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Delegation v1 = V1(TimeSpan.FromDays(1));
        AssertRefusedAndUnchanged(device, applier.Apply(Signed(_v1, _k1, DelegationSigner.Sign(v1, otherRoot))), "the pinned root is");
        SignedDelegation forged = DelegationSigner.Sign(v1, otherRoot);
        forged.RootKeyId = Id(_root);
        AssertRefusedAndUnchanged(device, applier.Apply(Signed(_v1, _k1, forged)), "bad delegation signature");
        SignedDelegation tampered = DelegationSigner.Sign(v1, _root);
        byte[] bytes = tampered.DelegationBytes.ToByteArray();
        bytes[^1] ^= 1;
        tampered.DelegationBytes = ByteString.CopyFrom(bytes);
        AssertRefusedAndUnchanged(device, applier.Apply(Signed(_v1, _k1, tampered)), "bad delegation signature");
        Assert.False(File.Exists(Path.Combine(_dir, UpdateTrust.DelegationFile)));
    }

    [Fact]
    public void TwoDifferentDelegationsWithOneVersionAreRefused()
    {
        (EdgeDevice device, UpdateApplier applier) = Device();
        Assert.True(applier.Trust.Accept(DelegationSigner.Sign(V1(TimeSpan.FromDays(1)), _root)));
        Delegation other = DelegationSigner.Initial(Der(_k2), TimeSpan.FromDays(1), _start);
        Assert.Contains("differs from the v1", Assert.Throws<InvalidDataException>(() => applier.Trust.Accept(DelegationSigner.Sign(other, _root))).Message);
        AssertRefusedAndUnchanged(device, applier.Apply(Signed(_v1, _k2, null)), "has not delegated");
    }

    [Fact]
    public void ACarriedCopyOfTheHeldDelegationIsIgnoredButOneWithAnAlteredSignatureIsStillRefused()
    {
        (EdgeDevice device, UpdateApplier applier) = Device();
        SignedDelegation v1 = DelegationSigner.Sign(V1(TimeSpan.FromDays(1)), _root);
        Assert.True(applier.Trust.Accept(v1));
        Assert.False(applier.Trust.Accept(v1.Clone()));
        SignedDelegation badSignature = v1.Clone();
        byte[] signature = badSignature.Signature.ToByteArray();
        signature[^1] ^= 1;
        badSignature.Signature = ByteString.CopyFrom(signature);
        Assert.Contains("bad delegation signature", Assert.Throws<InvalidDataException>(() => applier.Trust.Accept(badSignature)).Message);
        AssertRefusedAndUnchanged(device, applier.Apply(Signed(_v1, _k1, badSignature)), "bad delegation signature");
        Assert.True(applier.Apply(Signed(_v1, _k1, v1)).Applied);
    }

    [Fact]
    public void AKeptDelegatedKeyStillRefusesATamperedUpdateAndAKeyTheNewerDelegationRevokes()
    {
        (EdgeDevice device, UpdateApplier applier) = Device();
        Delegation v1 = V1(TimeSpan.FromDays(1));
        Assert.True(applier.Trust.Accept(DelegationSigner.Sign(v1, _root)));
        ModelImage v2 = TestImages.Random([30, 10, 4], 2, seed: 2);
        Assert.True(applier.Apply(Signed(_v1, _k1, null)).Applied);
        SignedUpdate tampered = Signed(v2, _k1, null);
        byte[] bytes = tampered.UpdateBytes.ToByteArray();
        bytes[^1] ^= 1;
        tampered.UpdateBytes = ByteString.CopyFrom(bytes);
        UpdateAck refused = applier.Apply(tampered);
        Assert.False(refused.Applied);
        Assert.Contains("bad signature", refused.Reason);
        Assert.Equal(1UL, device.Committed.ModelVersion);
        Delegation rotated = DelegationSigner.Rotate(v1, Der(_k2), TimeSpan.FromHours(1), TimeSpan.FromDays(1), _now);
        Assert.True(applier.Trust.Accept(DelegationSigner.Sign(DelegationSigner.Revoke(rotated, Id(_k1), _now), _root)));
        UpdateAck revoked = applier.Apply(Signed(v2, _k1, null));
        Assert.False(revoked.Applied);
        Assert.Contains("revokes", revoked.Reason);
        Assert.True(applier.Apply(Signed(v2, _k2, null)).Applied, "the newer delegation's key verifies");
    }
}
