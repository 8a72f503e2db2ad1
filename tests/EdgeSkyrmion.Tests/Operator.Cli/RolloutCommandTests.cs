using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Operator.Cli;

/// <summary>`fleet rollout-pause|rollout-resume|rollout-cancel` through the real CLI against a real `fleet-server serve`.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class RolloutCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "eskt-rollcli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task PauseResumeAndCancelPrintTheNewStateAndARefusalExitsOneNamingTheState()
    {
        Directory.CreateDirectory(_root);
        string db = Path.Combine(_root, "fleet.db");
        (LoopbackProcesses.Running server, Uri grpc, _) = LoopbackProcesses.StartServer(db);
        using (server)
        {
            using var ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(db));
            await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = "wrist-cli" });
            await ops.Client.PublishModelAsync(new PublishModelRequest { Image = TestImages.Random([20, 8, 10], 1, seed: 9, "cli").ToByteString() });
            string id = (await ops.Client.StartRolloutAsync(new StartRolloutRequest { ModelId = "cli", Version = 1, DeviceIds = { "wrist-cli" } })).RolloutId;
            string[] at = ["--server", grpc.ToString(), "--operator-token-file", OperatorToken.PathBeside(db)];

            CliProcess.Outcome paused = CliProcess.Run(["fleet", "rollout-pause", "--rollout-id", id, "--json", .. at]);
            Assert.True(paused.ExitCode == 0, paused.Stderr);
            Assert.Equal("ROLLOUT_STATE_PAUSED", JsonDocument.Parse(paused.Stdout).RootElement.GetProperty("state").GetString());

            CliProcess.Outcome resumed = CliProcess.Run(["fleet", "rollout-resume", "--rollout-id", id, .. at]);
            Assert.True(resumed.ExitCode == 0, resumed.Stderr);
            Assert.Contains($"rollout {id} (cli v1): in progress;", resumed.Stdout);

            CliProcess.Outcome cancelled = CliProcess.Run(["fleet", "rollout-cancel", "--rollout-id", id, .. at]);
            Assert.True(cancelled.ExitCode == 0, cancelled.Stderr);
            Assert.Contains("cancelled; 0 applied, 0 rejected, 1 cancelled, 0 in flight, 0 pending of 1", cancelled.Stdout);

            CliProcess.Outcome refused = CliProcess.Run(["fleet", "rollout-resume", "--rollout-id", id, .. at]);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains($"rollout {id} is cancelled; it cannot resume (it must be paused).", refused.Stderr);
            Assert.Equal(RolloutState.Cancelled, (await ops.Client.GetRolloutAsync(new GetRolloutRequest { RolloutId = id })).State);
        }
    }
}
