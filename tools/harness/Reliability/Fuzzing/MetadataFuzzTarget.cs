using System.Security.Cryptography;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Harness.Reliability.Fuzzing;

/// <summary>
/// The device's signed-metadata path (<see cref="UpdateTrust"/>: delegation parse → root signature → checks →
/// keep the newest → judge the update's key) against a real provisioned <see cref="EdgeDevice"/> that pins a root
/// and holds v1 of a small network under delegation v1 (key k1). The first input byte picks what is attacked:
/// 0 = SignedDelegation bytes as a Welcome would carry them (a forger without the root), 1 = Delegation bytes the
/// root signed (malformed metadata from the trusted root), 2 = as 1 but carried inside an update to v2 signed by
/// k1, k2 (delegated by the seeds) or k3 (never delegated), chosen by the second byte. A refusal must leave
/// state.bin, delegation.bin and the devices as they were; an accepted delegation must be newer and unexpired; an
/// accepted update must be signed by a key the delegation the device now holds vouches for, and be durably held.
/// </summary>
public sealed class MetadataFuzzTarget : IFuzzTarget
{
    private const string DeviceId = "fuzz-device";
    private readonly ECDsa _root = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa[] _keys = [.. Enumerable.Range(0, 3).Select(_ => ECDsa.Create(ECCurve.NamedCurves.nistP256))];
    private readonly byte[] _rootDer;
    private readonly string _directory;
    private readonly byte[] _pristineState;
    private readonly byte[] _pristineDelegation;
    private readonly Update _v2;
    private EdgeDevice _device;
    private UpdateApplier _applier;

    public MetadataFuzzTarget(string scratchDirectory)
    {
        _directory = Path.Combine(scratchDirectory, "metadata-device");
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        _rootDer = _root.ExportSubjectPublicKeyInfo();
        _device = EdgeDevice.Provision(_directory, DeviceId, Presets.Get(Presets.Default), 13);
        _applier = new UpdateApplier(_device, UpdateTrust.Root(_rootDer, _directory));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Delegation v1 = DelegationSigner.Initial(Der(0), TimeSpan.FromDays(30), now);
        ModelImage image1 = RandomImages.Random([12, 6, 3], 1, seed: 1);
        SignedUpdate first = UpdateSigner.Sign(RandomImages.FullImageUpdate(image1, DeviceId), _keys[0]);
        first.Delegation = DelegationSigner.Sign(v1, _root);
        UpdateAck ack = _applier.Apply(first);
        if (!ack.Applied) throw new InvalidOperationException($"fuzz device could not be provisioned: {ack.Reason}");
        _pristineState = File.ReadAllBytes(StatePath);
        _pristineDelegation = File.ReadAllBytes(DelegationPath);
        _v2 = RandomImages.FullImageUpdate(RandomImages.Mutated(image1, 2, 0.2, seed: 2), DeviceId);

        Delegation rotated = DelegationSigner.Rotate(v1, Der(1), TimeSpan.FromHours(1), TimeSpan.FromDays(30), now);
        Delegation revoked = DelegationSigner.Revoke(rotated, UpdateSignature.KeyId(Der(0)), now);
        Delegation expired = new(rotated) { ExpiresUnixMs = now.ToUnixTimeMilliseconds() - 1000 };
        Delegation foreignKey = new(rotated) { Keys = { new DelegatedKey { KeyId = UpdateSignature.KeyId(Der(2)), PublicKeyDer = ByteString.CopyFrom(Der(1)), NotAfterUnixMs = long.MaxValue } } };
        var seeds = new List<byte[]>();
        foreach (Delegation d in new[] { v1, rotated, revoked, expired, foreignKey })
        {
            seeds.Add([0, .. DelegationSigner.Sign(d, _root).ToByteArray()]);
            seeds.Add([1, .. d.ToByteArray()]);
            for (byte k = 0; k < 3; k++) seeds.Add([2, k, .. d.ToByteArray()]);
        }
        Seeds = seeds;
    }

    public string Name => "metadata";

    public IReadOnlyList<byte[]> Seeds { get; }

    private string StatePath => Path.Combine(_directory, EdgeDevice.StateFileName);
    private string DelegationPath => Path.Combine(_directory, UpdateTrust.DelegationFile);

    private byte[] Der(int key) => _keys[key].ExportSubjectPublicKeyInfo();

    public string? Run(byte[] input)
    {
        int mode = input.Length == 0 ? 0 : input[0] % 3;
        try
        {
            return mode switch
            {
                0 => Delegate(input.Length == 0 ? [] : input[1..], resign: false),
                1 => Delegate(input[1..], resign: true),
                _ => ApplyUpdate(input.Length < 2 ? 0 : input[1] % 3, input.Length < 2 ? [] : input[2..]),
            };
        }
        finally
        {
            Reset();
        }
    }

    private string? Delegate(byte[] payload, bool resign)
    {
        SignedDelegation signed;
        if (resign) signed = Resigned(payload);
        else
        {
            try { signed = SignedDelegation.Parser.ParseFrom(payload); }
            catch (InvalidProtocolBufferException e) { return e.Message; }
        }
        bool taken;
        try
        {
            taken = _applier.Trust.Accept(signed);
        }
        catch (InvalidDataException e)
        {
            Unchanged(e.Message);
            return e.Message;
        }
        if (!taken)
        {
            Unchanged("ignored");
            return "an older or the same delegation is ignored";
        }
        Delegation held = Delegation.Parser.ParseFrom(SignedDelegation.Parser.ParseFrom(File.ReadAllBytes(DelegationPath)).DelegationBytes);
        if (!File.ReadAllBytes(DelegationPath).AsSpan().SequenceEqual(signed.ToByteArray()) || held.Version <= 1
            || held.ExpiresUnixMs <= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
            throw new FuzzInvariantException($"kept delegation v{held.Version} that is not the newer, unexpired one offered");
        return null;
    }

    private string? ApplyUpdate(int key, byte[] delegationBytes)
    {
        SignedUpdate signed = UpdateSigner.Sign(_v2, _keys[key]);
        signed.Delegation = Resigned(delegationBytes);
        UpdateAck ack = _applier.Apply(signed);
        if (!ack.Applied)
        {
            if (string.IsNullOrWhiteSpace(ack.Reason)) throw new FuzzInvariantException("refusal without a reason");
            // A refused update may still have taught the device a newer valid delegation (that is the point of carrying it).
            if (!File.ReadAllBytes(StatePath).AsSpan().SequenceEqual(_pristineState) || _device.Committed.ModelVersion != 1)
                throw new FuzzInvariantException($"partial application: refused ({ack.Reason}) but the device changed");
            return ack.Reason;
        }
        var held = Delegation.Parser.ParseFrom(SignedDelegation.Parser.ParseFrom(File.ReadAllBytes(DelegationPath)).DelegationBytes);
        string keyId = signed.KeyId;
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (held.ExpiresUnixMs <= now || held.RevokedKeyIds.Contains(keyId) || !held.Keys.Any(k => k.KeyId == keyId && k.NotAfterUnixMs > now && k.PublicKeyDer.Span.SequenceEqual(Der(key))))
            throw new FuzzInvariantException($"accepted an update signed by {keyId}, which the held delegation v{held.Version} does not vouch for");
        if (EdgeDevice.Open(_directory).Committed.ModelVersion != 2) throw new FuzzInvariantException("accepted update is not durably held");
        return null;
    }

    /// <summary>A refused delegation must not have been kept, nor moved the device.</summary>
    private void Unchanged(string reason)
    {
        if (!File.ReadAllBytes(DelegationPath).AsSpan().SequenceEqual(_pristineDelegation) || !File.ReadAllBytes(StatePath).AsSpan().SequenceEqual(_pristineState))
            throw new FuzzInvariantException($"refused ({reason}) but the device's files changed");
    }

    private SignedDelegation Resigned(byte[] delegationBytes) => new()
    {
        DelegationBytes = ByteString.CopyFrom(delegationBytes),
        Signature = ByteString.CopyFrom(_root.SignData(delegationBytes, HashAlgorithmName.SHA256)),
        RootKeyId = UpdateSignature.KeyId(_rootDer),
    };

    private void Reset()
    {
        if (!File.ReadAllBytes(StatePath).AsSpan().SequenceEqual(_pristineState) || !File.ReadAllBytes(DelegationPath).AsSpan().SequenceEqual(_pristineDelegation))
        {
            File.WriteAllBytes(StatePath, _pristineState);
            File.WriteAllBytes(DelegationPath, _pristineDelegation);
            _device = EdgeDevice.Open(_directory);
        }
        // The trust object caches the held delegation: a fresh one reads the pristine file.
        _applier = new UpdateApplier(_device, UpdateTrust.Root(_rootDer, _directory));
    }

    public void Dispose()
    {
        _root.Dispose();
        foreach (ECDsa k in _keys) k.Dispose();
    }
}
