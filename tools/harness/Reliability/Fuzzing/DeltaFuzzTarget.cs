using EdgeSkyrmion.Cloud.Updates;
using System.Security.Cryptography;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Harness.Reliability.Fuzzing;

/// <summary>
/// The device's update path (SignedUpdate parse → signature → checks → delta decode → image rebuild → programming)
/// against a real provisioned <see cref="EdgeDevice"/> holding v1 of a small network. The first input byte picks the
/// layer that is attacked: 0 = the transport bytes (a forger without the key), 1 = the Update bytes re-signed with
/// the cloud key (garbage the cloud signed), 2 = as 1 but with the result digest recomputed, so corrupt deltas and
/// images reach decoding and programming. A refusal must leave the state file, the journal and the devices as they
/// were; an acceptance must leave the device durably holding exactly the signed result.
/// </summary>
public sealed class DeltaFuzzTarget : IFuzzTarget
{
    private const string DeviceId = "fuzz-device";
    private readonly ECDsa _cloudKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _publicKeyDer;
    private readonly string _directory;
    private readonly byte[] _pristineState;
    private EdgeDevice _device;
    private UpdateApplier _applier;

    public DeltaFuzzTarget(string scratchDirectory)
    {
        _directory = Path.Combine(scratchDirectory, "delta-device");
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        _publicKeyDer = _cloudKey.ExportSubjectPublicKeyInfo();
        _device = EdgeDevice.Provision(_directory, DeviceId, Presets.Get(Presets.Default), 11);
        _applier = new UpdateApplier(_device, _publicKeyDer);
        ModelImage v1 = RandomImages.Random([12, 6, 3], 1, seed: 1);
        UpdateAck first = _applier.Apply(UpdateSigner.Sign(RandomImages.FullImageUpdate(v1, DeviceId), _cloudKey));
        if (!first.Applied) throw new InvalidOperationException($"fuzz device could not be provisioned: {first.Reason}");
        _pristineState = File.ReadAllBytes(StatePath);

        ModelImage v2 = RandomImages.Mutated(v1, 2, 0.2, seed: 2);
        ModelImage other = RandomImages.Random([10, 5, 3], 3, seed: 3);
        Update[] updates = [Delta(v1, v2), RandomImages.FullImageUpdate(v2, DeviceId), RandomImages.FullImageUpdate(other, DeviceId), Delta(v1, RandomImages.Mutated(v1, 4, 0.02, seed: 4))];
        var seeds = new List<byte[]>();
        foreach (Update u in updates)
        {
            seeds.Add([0, .. UpdateSigner.Sign(u, _cloudKey).ToByteArray()]);
            seeds.Add([1, .. u.ToByteArray()]);
            seeds.Add([2, .. u.ToByteArray()]);
        }
        Seeds = seeds;
    }

    public string Name => "delta";

    public IReadOnlyList<byte[]> Seeds { get; }

    private string StatePath => Path.Combine(_directory, EdgeDevice.StateFileName);
    private string JournalPath => Path.Combine(_directory, EdgeDevice.JournalFileName);

    public string? Run(byte[] input)
    {
        int mode = input.Length == 0 ? 0 : input[0] % 3;
        byte[] payload = input.Length == 0 ? [] : input[1..];
        SignedUpdate signed;
        if (mode == 0)
        {
            try { signed = SignedUpdate.Parser.ParseFrom(payload); }
            catch (InvalidProtocolBufferException e) { return e.Message; }
        }
        else
        {
            signed = SignRaw(mode == 2 ? WithResultDigest(payload) : payload);
        }

        EdgeSkyrmion.Edge.Durability.EdgeSnapshot before = _device.Committed;
        byte[] statesBefore = _device.Devices.States.ToArray();
        UpdateAck ack = _applier.Apply(signed);
        if (!ack.Applied)
        {
            if (string.IsNullOrWhiteSpace(ack.Reason)) throw new FuzzInvariantException("refusal without a reason");
            if (!ReferenceEquals(before, _device.Committed) || !statesBefore.AsSpan().SequenceEqual(_device.Devices.States)
                || File.Exists(JournalPath) || !File.ReadAllBytes(StatePath).AsSpan().SequenceEqual(_pristineState))
                throw new FuzzInvariantException($"partial application: refused ({ack.Reason}) but the device changed");
            return ack.Reason;
        }

        Update update = UpdateSignature.Verify(signed, _publicKeyDer);
        if (File.Exists(JournalPath)) throw new FuzzInvariantException("accepted update left its journal behind");
        EdgeDevice reopened = EdgeDevice.Open(_directory);
        if (reopened.Committed.ModelVersion != update.NewVersion || reopened.Committed.ModelId != update.ModelId
            || !SHA256.HashData(reopened.Committed.Image).AsSpan().SequenceEqual(update.ResultSha256.Span))
            throw new FuzzInvariantException($"accepted update {update.ModelId} v{update.NewVersion} but the device durably holds {reopened.Committed.ModelId} v{reopened.Committed.ModelVersion}");
        Reset();
        return null;
    }

    private void Reset()
    {
        File.WriteAllBytes(StatePath, _pristineState);
        File.Delete(JournalPath);
        _device = EdgeDevice.Open(_directory);
        _applier = new UpdateApplier(_device, _publicKeyDer);
    }

    private SignedUpdate SignRaw(byte[] updateBytes) => new()
    {
        UpdateBytes = ByteString.CopyFrom(updateBytes),
        Signature = ByteString.CopyFrom(_cloudKey.SignData(updateBytes, HashAlgorithmName.SHA256)),
        KeyId = UpdateSignature.KeyId(_publicKeyDer),
    };

    /// <summary>What a cloud would sign for this (possibly corrupt) update: the digest of the image it describes.</summary>
    private byte[] WithResultDigest(byte[] updateBytes)
    {
        Update update;
        try { update = Update.Parser.ParseFrom(updateBytes); }
        catch (InvalidProtocolBufferException) { return updateBytes; }
        try
        {
            ModelImage? result = update.Kind == UpdateKind.Delta && update.Header is not null
                ? DeltaCodec.Apply(_device.HeldImage(), update.Header, update.Layers)
                : update.Image;
            if (result is null) return updateBytes;
            update.ResultSha256 = ByteString.CopyFrom(DeltaCodec.Digest(result));
        }
        catch (InvalidDataException)
        {
            return updateBytes;
        }
        return update.ToByteArray();
    }

    private static Update Delta(ModelImage from, ModelImage to)
    {
        var u = new Update
        {
            SchemaVersion = WireSchema.Current, UpdateId = $"delta-{from.Version}-{to.Version}", DeviceId = DeviceId, ModelId = to.ModelId, BaseVersion = from.Version,
            NewVersion = to.Version, Kind = UpdateKind.Delta, ResultSha256 = ByteString.CopyFrom(DeltaCodec.Digest(to)), Header = DeltaEncoder.Header(to),
        };
        u.Layers.Add(DeltaEncoder.Encode(from, to));
        return u;
    }

    public void Dispose() => _cloudKey.Dispose();
}
