using EdgeSkyrmion.Cloud.Updates;
using System.Security.Cryptography;
using EdgeSkyrmion.Harness.Reliability;
using EdgeSkyrmion.Harness.Reliability.Fuzzing;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Reliability;

/// <summary>Short fuzz campaigns of each target, and the crashers the long campaigns found, kept as regressions.</summary>
public class FuzzRegressionTests
{
    private static string Scratch() => Path.Combine(Path.GetTempPath(), "fuzz-test-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("delta", 1500)]
    [InlineData("metadata", 1500)]
    [InlineData("idx", 3000)]
    [InlineData("state", 1500)]
    public void ShortCampaignFindsNoCrashHangOrPartialApplication(string name, int inputs)
    {
        using IFuzzTarget target = name switch
        {
            "delta" => new DeltaFuzzTarget(Scratch()),
            "metadata" => new MetadataFuzzTarget(Scratch()),
            "idx" => new IdxFuzzTarget(Scratch()),
            _ => new StateFuzzTarget(Scratch()),
        };
        FuzzCampaign.Report report = FuzzCampaign.Run(target, inputs, seed: 3, TimeSpan.FromSeconds(10));
        Assert.True(report.Crashes + report.Hangs + report.PartialApplications == 0, string.Join("\n", report.Findings.Select(f => $"{f.Kind} {f.Exception} {f.Message} {f.InputBase64}")));
        Assert.Equal(inputs, report.Inputs);
        Assert.True(report.Accepted > 0 && report.Rejected > 0, $"{report.Accepted} accepted, {report.Rejected} rejected: the mutations do not exercise both outcomes");
    }

    /// <summary>Delegations whose expiry or cutoff lies outside the calendar once threw ArgumentOutOfRangeException while wording the refusal.</summary>
    [Theory]
    [InlineData("AQgBEAIYnaG/ARACGJ2doL/nojQgnbCyy6yPqPC5AQ==")]
    [InlineData("AQgBEAIYmaC396I0IJ2wvvi9xJLO6QE=")]
    [InlineData("AQgBEAIYnaC396IMIJ2wtsusiNiqgAE5YrY1NDRhNTg=")]
    public void ADelegationTimeOutsideTheCalendarIsAClearRefusal(string crasherBase64)
    {
        using var target = new MetadataFuzzTarget(Scratch());
        Assert.Contains("unix ms -", target.Run(Convert.FromBase64String(crasherBase64)));
    }

    /// <summary>Journals (mode byte 3: re-sealed) whose string lengths are malformed 7-bit integers or negative once threw FormatException or IOException out of the loader.</summary>
    [Theory]
    [InlineData("A0VTS0oBAAAA7vDZzriWwU92Mgp0ZXN0LW1vZGVsAQAAAAAAAAACAAAAXwEAAAgBEgp0ZXN0LW1vZGVsGAIi")]
    [InlineData("A0VTS0oBAAAA/////XRlc3QtbW9kZWwBAAAACgAAAAIAAAAAAAAAXwEAAAgBEgp0ZXN0LW1vZGVsGAIiCW1tbDQtMzABSyo=")]
    [InlineData("A0VTS0oBAAAAvLGVhsDWdHYyCnRlc3QtbW9kZWwBAAAAAAAAAAIAAAAAAAAAXwEAAAgBEgp0ZXN0LW1vZGVsGAIiCW1tbDQtMzAwSyo4etjbpI8D8D8=")]
    [InlineData("A0VTS0oBAAAABgL/////////////////AQACAAAAAAAABAIAAAYABgAEBAAAAAEBAAYFBAAiSAMFAAMAAQIABv8GAAABIQAGBQQAIkgDBQADAAECAAYABgMCAA==")]
    [InlineData("A0VTS0oBAAAAAvrairHCuQ0yCnRtc3QtbW9kZfoBAAATAAAAAAIAAAAAAAADXwEAAAgQEgr///////8OAAAAAWVzdC1tb2RlbBgCIgltbWw0LTMwMEsqOHrY26SPgGVzdC1tb2RlbBgCIgltbWw=")]
    [InlineData("A0VTS0oBAAAAAnaprprfnwsKdGVzdC1tb2RlbAEAAICAAAAAAgAAAAAAAABfAQAACAESCnR7c3QtbW9kAWwYAiIJbW1sNC0zMDBLKjh62NukjwPwP+wG6w==")]
    public void MalformedStringLengthInAJournalIsAClearError(string crasherBase64)
    {
        byte[] input = Convert.FromBase64String(crasherBase64);
        string dir = Scratch();
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "journal.bin");
        byte[] file = input[1..];
        File.WriteAllBytes(path, ChecksummedFile.Seal(file.AsSpan(0, 4), BitConverter.ToUInt32(file, 4), file.AsSpan(8, file.Length - 40)));
        Assert.Contains("malformed string length", Assert.Throws<InvalidDataException>(() => PendingUpdate.Load(path)).Message);
    }

    private static (string Directory, byte[] State, EdgeDevice Device) DeviceHoldingV1()
    {
        string dir = Scratch();
        EdgeDevice device = EdgeDevice.Provision(dir, "reg", Presets.Get(Presets.Default), 1);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ModelImage v1 = RandomImages.Random([12, 6, 3], 1, seed: 1);
        UpdateAck ack = new UpdateApplier(device, key.ExportSubjectPublicKeyInfo()).Apply(UpdateSigner.Sign(new Update
        {
            SchemaVersion = WireSchema.Current, UpdateId = "v1", DeviceId = "reg", ModelId = v1.ModelId, NewVersion = 1, Kind = UpdateKind.FullImage,
            Image = v1, ResultSha256 = ByteString.CopyFrom(DeltaCodec.Digest(v1)),
        }, key));
        Assert.True(ack.Applied, ack.Reason);
        return (dir, File.ReadAllBytes(Path.Combine(dir, EdgeDevice.StateFileName)), device);
    }

    /// <summary>A checksummed journal naming a device outside the crossbar, or a state the preset lacks, once crashed recovery with IndexOutOfRange.</summary>
    [Theory]
    [InlineData(100_000, 1)]
    [InlineData(0, 160)]
    public void JournalNamingImpossibleDevicesOrStatesIsRefusedBeforeAnyPulse(int deviceIndex, byte target)
    {
        (string dir, byte[] state, EdgeDevice device) = DeviceHoldingV1();
        new PendingUpdate
        {
            UpdateId = "bad", ModelId = device.Committed.ModelId, BaseVersion = 1, NewVersion = 2, NewImage = device.Committed.Image,
            Layers = device.Committed.Layers, Devices = [deviceIndex], NewTargets = [target],
        }.Save(Path.Combine(dir, EdgeDevice.JournalFileName));
        Assert.IsType<InvalidDataException>(Record.Exception(() => EdgeDevice.Open(dir)));
        Assert.Equal(state, File.ReadAllBytes(Path.Combine(dir, EdgeDevice.StateFileName)));
    }

    [Fact]
    public void StateFileWithANegativeLayerCountIsAClearError()
    {
        (string dir, _, _) = DeviceHoldingV1();
        string path = Path.Combine(dir, EdgeDevice.StateFileName);
        byte[] file = File.ReadAllBytes(path);
        byte[] payload = file[8..^32];
        // Layer count follows device id, model id (7-bit-length strings), version, preset JSON and chip seed.
        using var r = new BinaryReader(new MemoryStream(payload));
        r.ReadString();
        r.ReadString();
        r.ReadUInt64();
        r.ReadString();
        r.ReadInt32();
        BitConverter.TryWriteBytes(payload.AsSpan((int)r.BaseStream.Position), -5);
        File.WriteAllBytes(path, ChecksummedFile.Seal(file.AsSpan(0, 4), EdgeSnapshot.FormatVersion, payload));
        Assert.Contains("layer count -5", Assert.Throws<InvalidDataException>(() => EdgeDevice.Open(dir)).Message);
    }

    /// <summary>A signed full image whose layers do not chain (or overflow) used to escape the applier as ArgumentException/OverflowException.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SignedImageWithAnImpossibleShapeIsRejectedWithAReason(bool overflow)
    {
        (string dir, byte[] state, EdgeDevice device) = DeviceHoldingV1();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var applier = new UpdateApplier(device, key.ExportSubjectPublicKeyInfo());
        ModelImage bad = RandomImages.Random([12, 6, 3], 2, seed: 5);
        if (overflow)
        {
            bad.Layers[0].Inputs = uint.MaxValue;
            bad.Layers[0].Outputs = uint.MaxValue;
        }
        else
        {
            bad.Layers[1] = RandomImages.Random([5, 3], 2, seed: 6).Layers[0];
        }
        UpdateAck ack = applier.Apply(UpdateSigner.Sign(new Update
        {
            SchemaVersion = WireSchema.Current, UpdateId = "shape", DeviceId = "reg", ModelId = bad.ModelId, NewVersion = 2, Kind = UpdateKind.FullImage,
            Image = bad, ResultSha256 = ByteString.CopyFrom(DeltaCodec.Digest(bad)),
        }, key));
        Assert.False(ack.Applied);
        // Refused by the image rules before the crossbar is sized, naming the field.
        Assert.Contains(overflow ? "layers[0].plus_states has" : "layers[1].inputs 5 differs from layers[0].outputs 6", ack.Reason);
        Assert.Equal(state, File.ReadAllBytes(Path.Combine(dir, EdgeDevice.StateFileName)));
    }
}
