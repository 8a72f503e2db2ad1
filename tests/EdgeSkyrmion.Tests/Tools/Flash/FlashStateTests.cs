using System.Security.Cryptography;
using System.Text.RegularExpressions;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>`tools/flash --state` (the real program) on a provisioned state directory that trusts one cloud key.</summary>
[Collection(RealProcessCollection.Name)]
public partial class FlashStateTests : IDisposable
{
    private static readonly StateTable Table = Presets.Get(Presets.Default);
    private readonly ECDsa _cloud = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "flash-" + Guid.NewGuid().ToString("N"));
    private readonly string _state;

    public FlashStateTests()
    {
        _state = Path.Combine(_root, "edge");
        EdgeDevice.Provision(_state, "wrist-flash", Table, chipSeed: 9);
        new DeviceCredentials(_cloud.ExportSubjectPublicKeyInfo(), "token").Save(_state);
    }

    public void Dispose()
    {
        _cloud.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private string SignedFile(ModelImage image, ECDsa key)
    {
        string path = Path.Combine(_root, $"{image.Version}-{Guid.NewGuid():N}.signed");
        File.WriteAllBytes(path, UpdateSigner.Sign(FullImageUpdates.For("wrist-flash", image), key).ToByteArray());
        return path;
    }

    private byte[] StateBytes() => File.ReadAllBytes(Path.Combine(_state, EdgeDevice.StateFileName));

    private static void AssertHolds(EdgeDevice device, ModelImage image)
    {
        Assert.Equal(image.Version, device.Committed.ModelVersion);
        Assert.Equal(SHA256.HashData(image.ToByteArray()), SHA256.HashData(device.Committed.Image));
        Assert.Equal(ImageTargets.From(image, Table).Targets, device.Committed.Targets);
    }

    [Fact]
    public void FlashProgramsTheSignedImageIntoTheStateDirectory()
    {
        ModelImage v1 = TestImages.Random([60, 20, 10], 1, seed: 21);
        CliProcess.Outcome r = CliProcess.RunProgram("flash.dll", null, "--artifact", SignedFile(v1, _cloud), "--state", _state, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("\"applied\": true", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"devices_programmed\": " + ImageTargets.From(v1, Table).Targets.Length, r.Stdout, StringComparison.Ordinal);
        AssertHolds(EdgeDevice.Open(_state), v1);
    }

    [Fact]
    public void AnImageSignedByAForeignKeyIsRefusedAndTheStateIsByteIdentical()
    {
        using var foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] before = StateBytes();
        CliProcess.Outcome r = CliProcess.RunProgram("flash.dll", null, "--artifact", SignedFile(TestImages.Random([60, 20, 10], 1, seed: 22), foreign), "--state", _state);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("image refused", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("the device trusts key", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, StateBytes());
        Assert.False(File.Exists(Path.Combine(_state, EdgeDevice.JournalFileName)));
    }

    [Fact]
    public void FlashKilledMidProgrammingResumesFromTheJournalWhenRunAgain()
    {
        ModelImage v1 = TestImages.Random([784, 100, 10], 1, seed: 23);
        string signed = SignedFile(v1, _cloud);
        using (LoopbackProcesses.Running flash = LoopbackProcesses.Start("flash.dll", "--artifact", signed, "--state", _state))
        {
            // The progress bar redraws with a carriage return, which the captured output splits into lines.
            while (FlashedPercent(flash.Log) < 20 && !flash.Process.HasExited) Thread.Sleep(5);
            Assert.False(flash.Process.HasExited, "flash finished before it could be killed: " + flash.Log);
            flash.Process.Kill();
            flash.Process.WaitForExit();
        }
        Assert.True(File.Exists(Path.Combine(_state, EdgeDevice.JournalFileName)), "killed mid-programming, the journal must remain");
        Assert.Equal(0UL, EdgeSkyrmion.Edge.Durability.EdgeSnapshot.Load(Path.Combine(_state, EdgeDevice.StateFileName)).ModelVersion);

        CliProcess.Outcome again = CliProcess.RunProgram("flash.dll", null, "--artifact", signed, "--state", _state, "--json");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("finished interrupted update", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"applied\": true", again.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_state, EdgeDevice.JournalFileName)));
        EdgeDevice device = EdgeDevice.Open(_state);
        AssertHolds(device, v1);
        Assert.Equal(1, device.Committed.UpdatesApplied);
    }

    private static int FlashedPercent(string log)
    {
        int highest = -1;
        foreach (Match m in FlashLine().Matches(log)) highest = Math.Max(highest, int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture));
        return highest;
    }

    [GeneratedRegex(@"flashing \[[# ]*\]\s+(\d+)%")]
    private static partial Regex FlashLine();
}
