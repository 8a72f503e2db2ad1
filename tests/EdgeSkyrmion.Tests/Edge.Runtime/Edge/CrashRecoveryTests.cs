using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Harness.Reliability.Chaos;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Xunit.Abstractions;

namespace EdgeSkyrmion.Tests.Edge;

/// <summary>
/// Kills the real edge process (`edge apply`) with SIGKILL at instants aimed like the chaos harness's
/// (<see cref="FaultTrigger"/>: its schedule, and its reading of the edge's "programming:  40%" lines) while it
/// programs a new image — six in ten mid-programming, the rest before the journal or after the commit — then
/// reopens the state directory and checks the invariant: the device holds exactly version 1 or version 2 — the
/// committed targets match that version's image and every device that did not fail reads, without noise, inside
/// its target's verify window (<see cref="VerifyWindow"/>). A mix of versions would instead leave ~40 % of the
/// devices at the other version's level.
/// </summary>
[Collection(RealProcessCollection.Name)]
public class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Trials = 50;
    private const double MisverifiedFraction = 1e-3;
    private static readonly StateTable Table = Presets.Get(Presets.Default);

    [Fact]
    public void KillNineDuringProgrammingNeverLeavesAMixOfVersions()
    {
        string root = Path.Combine(Path.GetTempPath(), "crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        ModelImage v1 = TestImages.Random([784, 200, 10], 1, seed: 11);
        ModelImage v2 = TestImages.Mutated(v1, 2, 0.5, seed: 12);
        string v2Path = Path.Combine(root, "v2.img");
        File.WriteAllBytes(v2Path, v2.ToByteArray());
        byte[] v1Targets = ImageTargets.From(v1, Table).Targets;
        byte[] v2Targets = ImageTargets.From(v2, Table).Targets;

        string baseDir = Path.Combine(root, "base");
        EdgeDevice seeded = EdgeDevice.Provision(baseDir, "crash-device", Table, chipSeed: 5);
        var (layers, _) = ImageTargets.From(v1, Table);
        seeded.ApplyImage("v1", v1.ModelId, 1, v1.ToByteArray(), layers, v1Targets);

        var rng = new Random(2024);
        int midProgramming = 0, onOld = 0, onNew = 0;
        for (int trial = 0; trial < Trials; trial++)
        {
            string dir = Path.Combine(root, $"t{trial}");
            EdgeProcess.CopyDirectory(baseDir, dir);
            FaultPhase aim = FaultTrigger.Schedule[trial % FaultTrigger.Schedule.Length];
            // Progress lines go to stderr when it is not a terminal: one per 10 % programmed, 100 % after the commit.
            using (LoopbackProcesses.Running edge = LoopbackProcesses.Start("edge.dll", "apply", "--state", dir, "--artifact", v2Path))
            {
                int percent = aim switch
                {
                    FaultPhase.MidProgramming => 10 * rng.Next(0, 9),
                    FaultPhase.AfterCommitBeforeAck or FaultPhase.AfterAck => 100,
                    _ => -1,
                };
                while (percent >= 0 && FaultTrigger.ProgrammingPercent(edge.Log) < percent && !edge.Process.HasExited) Thread.Sleep(5);
                try { edge.Process.Kill(); } catch (InvalidOperationException) { }
                edge.Process.WaitForExit();
            }
            if (File.Exists(Path.Combine(dir, EdgeDevice.JournalFileName))) midProgramming++;

            EdgeDevice recovered = EdgeDevice.Open(dir);
            ulong version = recovered.Committed.ModelVersion;
            Assert.True(version is 1 or 2, $"trial {trial}: version {version}");
            byte[] expected = version == 1 ? v1Targets : v2Targets;
            Assert.Equal(expected, recovered.Committed.Targets);
            int wrong = 0;
            for (int d = 0; d < expected.Length; d++)
                if (!recovered.Devices.IsFailed(d) && !VerifyWindow.Contains(Table, expected[d], recovered.Devices.Sense(d, 0), new ProgrammingOptions().ReadsPerVerify)) wrong++;
            Assert.True(wrong <= MisverifiedFraction * expected.Length, $"trial {trial}: {wrong} devices read neither as failed nor as their v{version} target");
            if (version == 1) onOld++; else onNew++;
            Directory.Delete(dir, recursive: true);
        }
        output.WriteLine($"{Trials} kills: {midProgramming} mid-programming (journal present), {onOld} left on v1, {onNew} on v2");
        Assert.True(midProgramming >= Trials / 2, $"only {midProgramming} of {Trials} kills landed mid-programming");
        Assert.True(onOld > 0 && onNew > 0, $"the kills aimed before the journal and after the commit should leave both versions: {onOld} on v1, {onNew} on v2");
        Directory.Delete(root, recursive: true);
    }
}
