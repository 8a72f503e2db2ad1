using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Edge;

public class EdgeDeviceTests
{
    private static readonly StateTable Table = Presets.Get(Presets.Default);

    private static string NewDir() => Path.Combine(Path.GetTempPath(), "edge-" + Guid.NewGuid().ToString("N"));

    private static UpdateReport Flash(EdgeDevice device, ModelImage image)
    {
        var (layers, targets) = ImageTargets.From(image, Table);
        return device.ApplyImage($"{image.ModelId}@{image.Version}", image.ModelId, image.Version, image.ToByteArray(), layers, targets);
    }

    private static (int[] Devices, byte[] Targets) Diff(ModelImage from, ModelImage to)
    {
        byte[] a = ImageTargets.From(from, Table).Targets;
        byte[] b = ImageTargets.From(to, Table).Targets;
        int[] devices = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToArray();
        return (devices, devices.Select(i => b[i]).ToArray());
    }

    [Fact]
    public void FullImageIsProgrammedVerifiedAndSurvivesReopen()
    {
        string dir = NewDir();
        EdgeDevice device = EdgeDevice.Provision(dir, "wrist-1", Table, chipSeed: 4);
        ModelImage image = TestImages.Random([20, 8, 3], 1, seed: 1);
        UpdateReport report = Flash(device, image);
        Assert.Equal(2 * (160 + 24), report.DevicesProgrammed);
        Assert.True(report.DevicesVerified >= 0.9 * report.DevicesProgrammed, $"{report.DevicesVerified} of {report.DevicesProgrammed} verified");
        Assert.Equal(report.DevicesFailed, device.Devices.FailedCount);
        Assert.True(report.Energy.ProgrammingPulses > 0 && report.Energy.TotalEnergyJ > 0);

        EdgeDevice reopened = EdgeDevice.Open(dir);
        Assert.Equal(1UL, reopened.Committed.ModelVersion);
        Assert.Equal(device.Devices.States.ToArray(), reopened.Devices.States.ToArray());
        Assert.Equal(report.Energy, reopened.Committed.Lifetime);
    }

    [Fact]
    public void DeltaMovesOnlyChangedDevicesAndIsIdempotent()
    {
        string dir = NewDir();
        EdgeDevice device = EdgeDevice.Provision(dir, "wrist-2", Table, 1);
        ModelImage v1 = TestImages.Random([30, 10, 4], 1, seed: 2);
        Flash(device, v1);
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.05, seed: 3);
        (int[] devices, byte[] targets) = Diff(v1, v2);
        var layers = ImageTargets.From(v2, Table).Layers;
        UpdateReport r = device.ApplyDelta("u2", v2.ModelId, 1, 2, v2.ToByteArray(), layers, devices, targets);
        Assert.Equal(devices.Length, r.DevicesProgrammed);
        Assert.True(r.DevicesProgrammed < device.Devices.Count / 5);
        UpdateReport again = device.ApplyDelta("u2", v2.ModelId, 1, 2, v2.ToByteArray(), layers, devices, targets);
        Assert.True(again.AlreadyApplied);
        Assert.Equal(0, again.Energy.ProgrammingPulses);
    }

    [Fact]
    public void WrongBaseVersionOrShapeIsRejectedAndChangesNothing()
    {
        string dir = NewDir();
        EdgeDevice device = EdgeDevice.Provision(dir, "wrist-3", Table, 1);
        ModelImage v1 = TestImages.Random([10, 5, 2], 1, seed: 4);
        Flash(device, v1);
        byte[] before = File.ReadAllBytes(Path.Combine(dir, EdgeDevice.StateFileName));
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.2, seed: 5);
        (int[] devices, byte[] targets) = Diff(v1, v2);
        var layers = ImageTargets.From(v2, Table).Layers;

        var wrongBase = Assert.Throws<InvalidDataException>(() => device.ApplyDelta("u", v2.ModelId, 7, 8, [], layers, devices, targets));
        Assert.Contains("based on version 7", wrongBase.Message);
        var wrongShape = Assert.Throws<InvalidDataException>(() => device.ApplyDelta("u", v2.ModelId, 1, 2, [], [(10, 4), (4, 2)], devices, targets));
        Assert.Contains("10-4-2", wrongShape.Message);
        var badState = Assert.Throws<InvalidDataException>(() => device.ApplyDelta("u", v2.ModelId, 1, 2, [], layers, [0], [9]));
        Assert.Contains("target state 9", badState.Message);
        var downgrade = Assert.Throws<InvalidDataException>(() => device.ApplyDelta("u", v2.ModelId, 1, 0, [], layers, [0], [1]));
        Assert.Contains("versions only go up", downgrade.Message);

        Assert.Equal(before, File.ReadAllBytes(Path.Combine(dir, EdgeDevice.StateFileName)));
        Assert.False(File.Exists(Path.Combine(dir, EdgeDevice.JournalFileName)));
    }

    [Fact]
    public void JournaledUpdateIsFinishedWhenTheDirectoryIsReopened()
    {
        string dir = NewDir();
        EdgeDevice device = EdgeDevice.Provision(dir, "wrist-4", Table, 1);
        ModelImage v1 = TestImages.Random([12, 6, 2], 1, seed: 6);
        Flash(device, v1);
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.3, seed: 7);
        (int[] devices, byte[] targets) = Diff(v1, v2);
        new PendingUpdate
        {
            UpdateId = "u2", ModelId = v2.ModelId, BaseVersion = 1, NewVersion = 2, NewImage = v2.ToByteArray(),
            Layers = ImageTargets.From(v2, Table).Layers, Devices = devices, NewTargets = targets,
        }.Save(Path.Combine(dir, EdgeDevice.JournalFileName));

        EdgeDevice recovered = EdgeDevice.Open(dir);
        Assert.NotNull(recovered.Recovered);
        Assert.Equal(2UL, recovered.Committed.ModelVersion);
        Assert.Equal(ImageTargets.From(v2, Table).Targets, recovered.Committed.Targets);
        Assert.False(File.Exists(Path.Combine(dir, EdgeDevice.JournalFileName)));
    }

    [Fact]
    public void StateOfANewerFormatIsRefused()
    {
        string dir = NewDir();
        EdgeDevice.Provision(dir, "wrist-5", Table, 1);
        string path = Path.Combine(dir, EdgeDevice.StateFileName);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[4] = 2;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => EdgeDevice.Open(dir));
        Assert.Contains("newer than", e.Message);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void TheStreamedStateFileEndsWithTheSha256OfEverythingBeforeIt()
    {
        string dir = NewDir();
        EdgeDevice.Provision(dir, "wrist-7", Table, 1);
        byte[] file = File.ReadAllBytes(Path.Combine(dir, EdgeDevice.StateFileName));
        Assert.Equal(EdgeSnapshot.FormatVersion, BitConverter.ToUInt32(file, 4));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(file.AsSpan(0, file.Length - 32)), file.AsSpan(file.Length - 32).ToArray());
        Assert.False(File.Exists(Path.Combine(dir, EdgeDevice.StateFileName + ".tmp")));
    }

    [Fact]
    public void DamagedStateIsRefusedByItsChecksum()
    {
        string dir = NewDir();
        EdgeDevice.Provision(dir, "wrist-6", Table, 1);
        string path = Path.Combine(dir, EdgeDevice.StateFileName);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[20] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => EdgeDevice.Open(dir)).Message);
    }
}
