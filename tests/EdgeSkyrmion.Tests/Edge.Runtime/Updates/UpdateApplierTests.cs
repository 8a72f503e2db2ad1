using EdgeSkyrmion.Cloud.Updates;
using System.Security.Cryptography;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Microsoft.Win32.SafeHandles;

namespace EdgeSkyrmion.Tests.Fleet;

public class UpdateApplierTests
{
    private static readonly ECDsa CloudKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly StateTable Table = Presets.Get(Presets.Default);

    private static (EdgeDevice Device, UpdateApplier Applier, ModelImage V1) Provisioned(string deviceId = "dev-1")
    {
        string dir = Path.Combine(Path.GetTempPath(), "applier-" + Guid.NewGuid().ToString("N"));
        EdgeDevice device = EdgeDevice.Provision(dir, deviceId, Table, 1);
        var applier = new UpdateApplier(device, CloudKey.ExportSubjectPublicKeyInfo());
        ModelImage v1 = TestImages.Random([30, 10, 4], 1, seed: 1);
        UpdateAck ack = applier.Apply(UpdateSigner.Sign(Full(deviceId, v1), CloudKey));
        Assert.True(ack.Applied, ack.Reason);
        return (device, applier, v1);
    }

    private static Update Full(string deviceId, ModelImage image) => FullImageUpdates.For(deviceId, image);

    private static Update Delta(string deviceId, ModelImage from, ModelImage to)
    {
        var u = new Update
        {
            SchemaVersion = WireSchema.Current, UpdateId = Guid.NewGuid().ToString("N"), DeviceId = deviceId, ModelId = to.ModelId, BaseVersion = from.Version,
            NewVersion = to.Version, Kind = UpdateKind.Delta, ResultSha256 = ByteString.CopyFrom(DeltaCodec.Digest(to)),
        };
        u.Layers.Add(DeltaEncoder.Encode(from, to));
        u.Header = DeltaEncoder.Header(to);
        return u;
    }

    /// <summary>Applies, and checks the refusal gives the reason and leaves the state file byte-identical, with no journal.</summary>
    private static void AssertRejectedAndUnchanged(EdgeDevice device, Func<UpdateAck> apply, string reason)
    {
        string state = Path.Combine(device.StateDirectory, EdgeDevice.StateFileName);
        byte[] before = File.ReadAllBytes(state);
        ulong version = device.Committed.ModelVersion;
        UpdateAck ack = apply();
        Assert.False(ack.Applied);
        Assert.Contains(reason, ack.Reason, StringComparison.Ordinal);
        Assert.Equal(version, device.Committed.ModelVersion);
        Assert.Equal(before, File.ReadAllBytes(state));
        Assert.False(File.Exists(Path.Combine(device.StateDirectory, EdgeDevice.JournalFileName)));
    }

    [Fact]
    public void SignedDeltaIsAppliedAndItsReplayIsANoOp()
    {
        (EdgeDevice device, UpdateApplier applier, ModelImage v1) = Provisioned();
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.05, seed: 2);
        v2.AnnTestAccuracy = 0.99;
        v2.Layers[0].Threshold = 2.5f;
        SignedUpdate signed = UpdateSigner.Sign(Delta("dev-1", v1, v2), CloudKey);
        UpdateAck ack = applier.Apply(signed);
        Assert.True(ack.Applied, ack.Reason);
        Assert.Equal(2UL, device.Committed.ModelVersion);
        Assert.True(ack.Energy.ProgrammingPulses > 0);
        UpdateAck again = applier.Apply(signed);
        Assert.True(again.Applied);
        Assert.Equal(0UL, again.Energy?.ProgrammingPulses ?? 0);
    }

    [Fact]
    public void TamperedUpdateFailsItsSignature()
    {
        (EdgeDevice device, UpdateApplier applier, ModelImage v1) = Provisioned();
        SignedUpdate signed = UpdateSigner.Sign(Delta("dev-1", v1, TestImages.Mutated(v1, 2, 0.05, 3)), CloudKey);
        byte[] bytes = signed.UpdateBytes.ToByteArray();
        bytes[^3] ^= 0x01;
        signed.UpdateBytes = ByteString.CopyFrom(bytes);
        AssertRejectedAndUnchanged(device, () => applier.Apply(signed), "bad signature");
    }

    [Fact]
    public void UpdateSignedByAnotherKeyIsRefused()
    {
        (EdgeDevice device, UpdateApplier applier, ModelImage v1) = Provisioned();
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        AssertRejectedAndUnchanged(device, () => applier.Apply(UpdateSigner.Sign(Delta("dev-1", v1, TestImages.Mutated(v1, 2, 0.05, 3)), forger)), "the device trusts key");
    }

    [Fact]
    public void AnotherDevicesUpdateIsRefused()
    {
        (EdgeDevice device, UpdateApplier applier, ModelImage v1) = Provisioned();
        AssertRejectedAndUnchanged(device, () => applier.Apply(UpdateSigner.Sign(Delta("dev-2", v1, TestImages.Mutated(v1, 2, 0.05, 3)), CloudKey)), "is for device dev-2");
    }

    [Fact]
    public void WrongBaseVersionIsRefused()
    {
        (EdgeDevice device, UpdateApplier applier, ModelImage v1) = Provisioned();
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.05, 3);
        ModelImage v3 = TestImages.Mutated(v2, 3, 0.05, 4);
        AssertRejectedAndUnchanged(device, () => applier.Apply(UpdateSigner.Sign(Delta("dev-1", v2, v3), CloudKey)), "wrong base version");
    }

    [Fact]
    public void OldUpdateReplayedAfterANewerOneIsRefused()
    {
        (EdgeDevice device, UpdateApplier applier, ModelImage v1) = Provisioned();
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.05, 3);
        ModelImage v3 = TestImages.Mutated(v2, 3, 0.05, 4);
        SignedUpdate toV2 = UpdateSigner.Sign(Delta("dev-1", v1, v2), CloudKey);
        Assert.True(applier.Apply(toV2).Applied);
        Assert.True(applier.Apply(UpdateSigner.Sign(Delta("dev-1", v2, v3), CloudKey)).Applied);
        AssertRejectedAndUnchanged(device, () => applier.Apply(toV2), "replay or downgrade: update to v2, device holds v3");
    }

    public static TheoryData<string> ImageDefectNames => [.. ImageDefects.All.Keys];

    public static TheoryData<string> HeaderDefectNames => [.. ImageDefects.InHeader];

    [Theory]
    [MemberData(nameof(ImageDefectNames))]
    public void AFullImageBreakingAnImageRuleIsRefusedNamingTheFieldBeforeAnyPulse(string named)
    {
        (EdgeDevice device, UpdateApplier applier, ModelImage v1) = Provisioned();
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.05, 3);
        ImageDefects.All[named](v2);
        AssertRejectedAndUnchanged(device, () => applier.Apply(UpdateSigner.Sign(Full("dev-1", v2), CloudKey)), named);
    }

    [Theory]
    [MemberData(nameof(HeaderDefectNames))]
    public void ADeltaWhoseHeaderBreaksAnImageRuleIsRefusedNamingTheFieldBeforeAnyPulse(string named)
    {
        (EdgeDevice device, UpdateApplier applier, ModelImage v1) = Provisioned();
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.05, 3);
        ImageDefects.All[named](v2);
        AssertRejectedAndUnchanged(device, () => applier.Apply(UpdateSigner.Sign(Delta("dev-1", v1, v2), CloudKey)), named);
    }

    [Fact]
    public void DigestMismatchIsRefused()
    {
        (EdgeDevice device, UpdateApplier applier, ModelImage v1) = Provisioned();
        Update u = Delta("dev-1", v1, TestImages.Mutated(v1, 2, 0.05, 3));
        u.ResultSha256 = ByteString.CopyFrom(new byte[32]);
        AssertRejectedAndUnchanged(device, () => applier.Apply(UpdateSigner.Sign(u, CloudKey)), "SHA-256 mismatch");
    }

    /// <summary>An empty state directory and a 10,000-byte update "u1" in four chunks (3 × 3,000 bytes and 1,000).</summary>
    private static (string Dir, byte[] Payload, List<UpdateChunk> Chunks) NewTransfer()
    {
        string dir = Path.Combine(Path.GetTempPath(), "chunks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        byte[] payload = RandomNumberGenerator.GetBytes(10_000);
        return (dir, payload, UpdateChunks.Split("u1", payload, 3000));
    }

    [Fact]
    public void AChunkStoredWithoutItsMetaIsCutOffWhenItComesAgainAndTheLastChunkLeavesNoMetaPastTheEnd()
    {
        (string dir, byte[] payload, List<UpdateChunk> chunks) = NewTransfer();
        var assembler = new ChunkAssembler(dir);
        Assert.Null(assembler.Accept(chunks[0]));
        Assert.Null(assembler.Accept(chunks[1]));
        // Killed after chunk 2's bytes reached incoming.part but before its meta: the device still asks for chunk 2.
        using (var part = new FileStream(Path.Combine(dir, "incoming.part"), FileMode.Append)) part.Write(chunks[2].Data.Span);
        var restarted = new ChunkAssembler(dir);
        Assert.Equal(("u1", 2u), restarted.Partial);
        Assert.Null(restarted.Accept(chunks[2]));
        // The last chunk is taken whole and leaves no partial transfer naming a chunk past the end.
        Assert.Equal(payload, restarted.Accept(chunks[3]));
        Assert.Null(restarted.Partial);
        Assert.False(File.Exists(Path.Combine(dir, ChunkAssembler.MetaFileName)));
    }

    [Fact]
    public void TheLastChunkIsJoinedInMemoryAndAnUpdateSentInOneChunkWritesNoFile()
    {
        (string dir, byte[] payload, List<UpdateChunk> chunks) = NewTransfer();
        var assembler = new ChunkAssembler(dir);
        for (int i = 0; i < 3; i++) Assert.Null(assembler.Accept(chunks[i]));
        string part = Path.Combine(dir, "incoming.part");
        // A handle on the stored chunks' file sees any write to it, even after the file's name is gone.
        using (SafeFileHandle stored = File.OpenHandle(part, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            Assert.Equal(payload, assembler.Accept(chunks[3]));
            Assert.Equal(9_000, RandomAccess.GetLength(stored));
        }
        Assert.False(File.Exists(part));

        // A part file left by an abandoned transfer is removed, and the one-chunk update is not written to it.
        byte[] small = RandomNumberGenerator.GetBytes(375);
        List<UpdateChunk> one = UpdateChunks.Split("u2", small);
        Assert.Single(one);
        File.WriteAllBytes(part, []);
        using (SafeFileHandle stale = File.OpenHandle(part, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            Assert.Equal(small, assembler.Accept(one[0]));
            Assert.Equal(0, RandomAccess.GetLength(stale));
        }
        Assert.False(File.Exists(part));
        Assert.Null(assembler.Partial);
    }

    [Fact]
    public void ChunkZeroStartsATransferAfreshEvenInTheMiddleOfOne()
    {
        (string dir, byte[] payload, List<UpdateChunk> chunks) = NewTransfer();
        var assembler = new ChunkAssembler(dir);
        Assert.Null(assembler.Accept(chunks[0]));
        Assert.Null(assembler.Accept(chunks[1]));
        byte[]? whole = null;
        foreach (UpdateChunk c in chunks) whole = assembler.Accept(c);
        Assert.Equal(payload, whole);
    }

    [Fact]
    public void ChunksMustArriveInOrderAndWhole()
    {
        (string dir, byte[] payload, List<UpdateChunk> chunks) = NewTransfer();
        var assembler = new ChunkAssembler(dir);
        Assert.Null(assembler.Accept(chunks[0]));
        Assert.Contains("out-of-order", Assert.Throws<InvalidDataException>(() => assembler.Accept(chunks[2])).Message);
        Assert.Null(assembler.Partial);

        Assert.Null(assembler.Accept(chunks[0]));
        Assert.Equal(("u1", 1u), assembler.Partial);
        var resumed = new ChunkAssembler(dir);
        for (int i = 1; i < 3; i++) Assert.Null(resumed.Accept(chunks[i]));
        UpdateChunk truncated = chunks[3].Clone();
        truncated.Data = ByteString.CopyFrom(truncated.Data.Span[..10]);
        Assert.Contains("do not match", Assert.Throws<InvalidDataException>(() => resumed.Accept(truncated)).Message);

        var fresh = new ChunkAssembler(dir);
        byte[]? whole = null;
        foreach (UpdateChunk c in chunks) whole = fresh.Accept(c);
        Assert.Equal(payload, whole);
    }
}
