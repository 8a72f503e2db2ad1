using System.Diagnostics;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Xunit.Abstractions;

namespace EdgeSkyrmion.Tests.Edge;

/// <summary>
/// `edge age` on real state directories, as real processes: killed with SIGKILL at random instants it leaves the
/// states from before or after aging, never a mix; it finishes a pending journal before aging; bad input changes
/// nothing and exits 1.
/// </summary>
[Collection(RealProcessCollection.Name)]
public class AgingDurabilityTests(ITestOutputHelper output)
{
    private const int Trials = 12;
    private static readonly StateTable Table = Presets.Get(Presets.Default);

    [Fact]
    public void KillNineDuringAgingLeavesTheStatesBeforeOrAfterIt()
    {
        string root = NewRoot();
        string baseDir = Provisioned(root, [784, 600, 10]);
        string after = EdgeProcess.CopyDirectory(baseDir, Path.Combine(root, "after"));
        byte[] before = EdgeDevice.Open(baseDir).Devices.States.ToArray();
        EdgeDevice agedDevice = EdgeDevice.Open(after);
        Assert.True(agedDevice.Age(240 * 3600, 310, seed: 4).DevicesMoved > 0);
        byte[] aged = agedDevice.Devices.States.ToArray();
        Assert.False(before.AsSpan().SequenceEqual(aged));

        string calibration = EdgeProcess.CopyDirectory(baseDir, Path.Combine(root, "calibration"));
        var timer = Stopwatch.StartNew();
        using (Process full = EdgeProcess.Start("age", "--state", calibration, "--hours", "240", "--seed", "4", "--json")) full.WaitForExit();
        int fullMs = (int)timer.ElapsedMilliseconds;
        Assert.True(EdgeDevice.Open(calibration).Devices.States.SequenceEqual(aged), "the process ages as the library does");

        string[] killed = EdgeProcess.KilledRuns(baseDir, root, Trials, fullMs / 2, fullMs * 11 / 10, seed: 18, "age", "--hours", "240", "--seed", "4", "--json");
        int onBefore = 0, onAfter = 0;
        for (int trial = 0; trial < Trials; trial++)
        {
            byte[] states = EdgeDevice.Open(killed[trial]).Devices.States.ToArray();
            bool isBefore = states.AsSpan().SequenceEqual(before), isAfter = states.AsSpan().SequenceEqual(aged);
            Assert.True(isBefore || isAfter, $"trial {trial}: the states are neither those before aging nor those after");
            if (isBefore) onBefore++; else onAfter++;
        }
        output.WriteLine($"{Trials} kills in a {fullMs} ms run: {onBefore} before aging, {onAfter} after");
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void APendingJournalIsFinishedBeforeAging()
    {
        string root = NewRoot();
        string dir = Provisioned(root, [64, 16, 10]);
        ModelImage v1 = TestImages.Random([64, 16, 10], 1, seed: 11);
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.5, seed: 12);
        var (layers, targets) = ImageTargets.From(v2, Table);
        new PendingUpdate
        {
            UpdateId = "v2", ModelId = v2.ModelId, BaseVersion = 1, NewVersion = 2, NewImage = v2.ToByteArray(), Layers = layers,
            Devices = Enumerable.Range(0, targets.Length).ToArray(), NewTargets = targets,
        }.Save(Path.Combine(dir, EdgeDevice.JournalFileName));

        CliProcess.Outcome r = EdgeProcess.Run("age", "--state", dir, "--hours", "1", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("finished on open, before aging", r.Stdout);
        Assert.False(File.Exists(Path.Combine(dir, EdgeDevice.JournalFileName)));
        Assert.Equal(2UL, EdgeDevice.Open(dir).Committed.ModelVersion);
        Directory.Delete(root, recursive: true);
    }

    [Theory]
    [InlineData("age", "--hours", "-1", "--hours must be ≥ 0")]
    [InlineData("age", "--hours", "5", "outside the characterized range", "--temperature", "330")]
    [InlineData("lifetime", "--days", "-1", "--days must be ≥ 0")]
    [InlineData("lifetime", "--budget-nj-per-day", "-5", "--budget-nj-per-day must be ≥ 0")]
    [InlineData("refresh", "--budget-nj", "-5", "--budget-nj must be a finite energy ≥ 0")]
    [InlineData("refresh", "--budget-nj", "5", "outside the characterized range", "--temperature", "330")]
    public void BadInputExitsOneAndChangesNothing(string verb, string option, string value, string message, params string[] more)
    {
        string root = NewRoot();
        string dir = Provisioned(root, [64, 16, 10]);
        byte[] state = File.ReadAllBytes(Path.Combine(dir, EdgeDevice.StateFileName));
        CliProcess.Outcome r = EdgeProcess.Run([verb, "--state", dir, option, value, .. more, "--json"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Equal(state, File.ReadAllBytes(Path.Combine(dir, EdgeDevice.StateFileName)));
        Assert.False(File.Exists(Path.Combine(dir, EdgeDevice.RefreshCursorFileName)));
        Directory.Delete(root, recursive: true);
    }

    private static string NewRoot()
    {
        string root = Path.Combine(Path.GetTempPath(), "aging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return root;
    }

    private static string Provisioned(string root, int[] sizes)
    {
        string dir = Path.Combine(root, "base");
        ModelImage v1 = TestImages.Random(sizes, 1, seed: 11);
        var (layers, targets) = ImageTargets.From(v1, Table);
        EdgeDevice.Provision(dir, "aging-device", Table, chipSeed: 5).ApplyImage("v1", v1.ModelId, 1, v1.ToByteArray(), layers, targets);
        return dir;
    }
}
