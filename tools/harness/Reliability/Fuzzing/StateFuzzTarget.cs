using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Harness.Reliability.Fuzzing;

/// <summary>
/// The state-file loader: <see cref="EdgeDevice.Open"/> on a state directory whose state.bin (first byte even) or
/// journal.bin (odd) is the mutated input; when bit 1 of the first byte is set the mutated payload is re-sealed with
/// a valid checksum, so the field parsers and journal recovery see the corruption instead of the digest check.
/// A refusal must leave state.bin as it was; an opened device must be self-consistent and journal-free.
/// </summary>
public sealed class StateFuzzTarget : IFuzzTarget
{
    private const int EnvelopeHeader = 8;
    private const int DigestLength = 32;
    private readonly string _directory;
    private readonly byte[] _validState;

    public StateFuzzTarget(string scratchDirectory)
    {
        string source = Path.Combine(scratchDirectory, "state-source");
        _directory = Path.Combine(scratchDirectory, "state-device");
        if (Directory.Exists(source)) Directory.Delete(source, recursive: true);
        Directory.CreateDirectory(_directory);
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        EdgeDevice device = EdgeDevice.Provision(source, "fuzz-device", Presets.Get(Presets.Default), 7);
        byte[] empty = File.ReadAllBytes(Path.Combine(source, EdgeDevice.StateFileName));
        ModelImage v1 = RandomImages.Random([12, 6, 3], 1, seed: 1);
        var applier = new UpdateApplier(device, key.ExportSubjectPublicKeyInfo());
        applier.Apply(UpdateSigner.Sign(new Update
        {
            SchemaVersion = WireSchema.Current, UpdateId = "v1", DeviceId = "fuzz-device", ModelId = v1.ModelId, NewVersion = 1, Kind = UpdateKind.FullImage,
            Image = v1, ResultSha256 = ByteString.CopyFrom(DeltaCodec.Digest(v1)),
        }, key));
        _validState = File.ReadAllBytes(Path.Combine(source, EdgeDevice.StateFileName));
        ModelImage v2 = RandomImages.Mutated(v1, 2, 0.2, seed: 2);
        (_, byte[] targets) = ImageTargets.From(v2, device.Committed.Table);
        int[] changed = [.. Enumerable.Range(0, targets.Length).Where(d => targets[d] != device.Committed.Targets[d])];
        string journalPath = Path.Combine(source, EdgeDevice.JournalFileName);
        new PendingUpdate
        {
            UpdateId = "v2", ModelId = v2.ModelId, BaseVersion = 1, NewVersion = 2, NewImage = v2.ToByteArray(),
            Layers = device.Committed.Layers, Devices = changed, NewTargets = [.. changed.Select(d => targets[d])],
        }.Save(journalPath);
        byte[] journal = File.ReadAllBytes(journalPath);
        Seeds = [[0, .. empty], [0, .. _validState], [2, .. _validState], [1, .. journal], [3, .. journal]];
    }

    public string Name => "state";

    public IReadOnlyList<byte[]> Seeds { get; }

    private string StatePath => Path.Combine(_directory, EdgeDevice.StateFileName);
    private string JournalPath => Path.Combine(_directory, EdgeDevice.JournalFileName);

    public string? Run(byte[] input)
    {
        int mode = input.Length == 0 ? 0 : input[0];
        byte[] payload = input.Length == 0 ? [] : input[1..];
        if ((mode & 2) != 0) payload = Resealed(payload);
        byte[] state = (mode & 1) == 0 ? payload : _validState;
        File.WriteAllBytes(StatePath, state);
        if ((mode & 1) == 1) File.WriteAllBytes(JournalPath, payload);
        else File.Delete(JournalPath);

        EdgeDevice device;
        try
        {
            device = EdgeDevice.Open(_directory);
        }
        catch (InvalidDataException e)
        {
            if (!File.ReadAllBytes(StatePath).AsSpan().SequenceEqual(state)) throw new FuzzInvariantException($"refused ({e.Message}) but state.bin was rewritten");
            return e.Message;
        }
        EdgeSnapshot s = device.Committed;
        if (File.Exists(JournalPath)) throw new FuzzInvariantException("opened device kept its journal");
        if ((s.Targets.Length != 0 && s.Targets.Length != device.Devices.Count) || (device.Layout?.DeviceCount ?? 0) != device.Devices.Count)
            throw new FuzzInvariantException($"opened device is inconsistent: {device.Devices.Count} devices, {device.Layout?.DeviceCount ?? 0} in its layout, {s.Targets.Length} targets");
        return null;
    }

    /// <summary>The input with its envelope's digest recomputed (magic and version kept as mutated).</summary>
    private static byte[] Resealed(byte[] file)
    {
        if (file.Length < EnvelopeHeader + DigestLength) return file;
        return ChecksummedFile.Seal(file.AsSpan(0, 4), BitConverter.ToUInt32(file, 4), file.AsSpan(EnvelopeHeader, file.Length - EnvelopeHeader - DigestLength));
    }

    public void Dispose() { }
}
