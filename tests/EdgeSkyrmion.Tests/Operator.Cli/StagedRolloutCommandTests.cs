using System.Security.Cryptography;
using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Operator.Cli;

/// <summary>
/// Staged rollouts end to end with real processes: `fleet-server serve`, four `edge run` wearables and the real CLI.
/// A group's updates are built only after the previous group reached the success threshold; a rejection past the
/// error threshold stops the rollout and the waiting group is sent nothing; `fleet rollback --to 1` takes every
/// device back as a signed delta.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class StagedRolloutCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "eskt-staged-" + Guid.NewGuid().ToString("N"));
    private readonly List<LoopbackProcesses.Running> _processes = [];

    public void Dispose()
    {
        foreach (LoopbackProcesses.Running p in _processes) p.Dispose();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>A server, registered devices each running `edge run` (those in <paramref name="untrusting"/> pin a key the server does not sign with), and v1, v2 published.</summary>
    private async Task<(OperatorConnection Ops, string[] At)> FleetAsync(string[] deviceIds, params string[] untrusting)
    {
        Directory.CreateDirectory(_root);
        string db = Path.Combine(_root, "fleet.db");
        (LoopbackProcesses.Running server, Uri grpc, _) = LoopbackProcesses.StartServer(db);
        _processes.Add(server);
        var ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(db));
        byte[] key = (await ops.Client.GetSigningKeyAsync(new GetSigningKeyRequest())).PublicKeyDer.ToByteArray();
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        foreach (string id in deviceIds)
        {
            string token = (await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = id })).Token;
            string state = Path.Combine(_root, id);
            EdgeDevice.Provision(state, id, Presets.Get(Presets.Default), 2);
            new DeviceCredentials(untrusting.Contains(id) ? stranger.ExportSubjectPublicKeyInfo() : key, token) { CaPem = File.ReadAllBytes(LoopbackProcesses.CaBeside(db)) }.Save(state);
            _processes.Add(LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", id, "--state", state));
        }
        ModelImage v1 = TestImages.Random([20, 8, 10], 1, seed: 21, "stg");
        await ops.Client.PublishModelAsync(new PublishModelRequest { Image = v1.ToByteString() });
        await ops.Client.PublishModelAsync(new PublishModelRequest { Image = TestImages.Mutated(v1, 2, 0.05, seed: 22).ToByteString() });
        for (int i = 0; i < 600 && (await ops.Client.GetHealthAsync(new GetHealthRequest())).ConnectedDevices < deviceIds.Length; i++) await Task.Delay(100);
        Assert.Equal((uint)deviceIds.Length, (await ops.Client.GetHealthAsync(new GetHealthRequest())).ConnectedDevices);
        return (ops, ["--server", grpc.ToString(), "--operator-token-file", OperatorToken.PathBeside(db)]);
    }

    private string Logs => string.Join("\n---\n", _processes.Select(p => p.Log));

    [Fact]
    public async Task TheSecondGroupIsBuiltOnlyAfterTheFirstAppliedAndRollbackTakesEveryDeviceBackAsADelta()
    {
        string[] devices = ["st-a", "st-b", "st-c", "st-d"];
        (OperatorConnection ops, string[] at) = await FleetAsync(devices);
        using (ops)
        {
            CliProcess.Outcome started = CliProcess.Run(["fleet", "rollout", "--model-id", "stg", "--version", "1", "--groups", "25%,100%",
                "--success-threshold", "100%", "--error-threshold", "0%", "--json", .. at]);
            Assert.True(started.ExitCode == 0, started.Stderr);
            string id = JsonDocument.Parse(started.Stdout).RootElement.GetProperty("rollout_id").GetString()!;

            CliProcess.Outcome watched = CliProcess.Run(["fleet", "rollout", "status", "--rollout-id", id, "--watch", .. at]);
            Assert.True(watched.ExitCode == 0, watched.Stderr);
            Assert.Contains($"rollout {id} (stg v1): succeeded; 4 applied, 0 rejected, 0 cancelled, 0 in flight, 0 pending of 4; group 2 of 2 open", watched.Stdout);
            Assert.Contains("  group 1: succeeded   1 applied, 0 rejected, 0 cancelled, 0 in flight, 0 pending of 1", watched.Stdout);
            Assert.Contains("  group 2: succeeded   3 applied, 0 rejected, 0 cancelled, 0 in flight, 0 pending of 3", watched.Stdout);
            Assert.Contains("  st-d                 group 2   applied", watched.Stdout);

            // The canary's ack came before any update of group 2 was built.
            UpdateRecord canary = Assert.Single((await ops.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = "st-a" })).Updates);
            foreach (string d in devices[1..])
                Assert.True(Assert.Single((await ops.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = d })).Updates).CreatedUnixMs >= canary.AckedUnixMs, Logs);

            RolloutStatus v2 = await ops.Client.StartRolloutAsync(new StartRolloutRequest { ModelId = "stg", Version = 2 });
            Assert.Equal(4U, (await ops.WaitForRolloutAsync(v2.RolloutId, TimeSpan.FromSeconds(120), default)).Applied);

            CliProcess.Outcome back = CliProcess.Run(["fleet", "rollback", "--model-id", "stg", "--to", "1", "--json", .. at]);
            Assert.True(back.ExitCode == 0, back.Stderr);
            JsonElement rollback = JsonDocument.Parse(back.Stdout).RootElement;
            Assert.Equal("3", rollback.GetProperty("version").GetString());
            RolloutStatus done = await ops.WaitForRolloutAsync(rollback.GetProperty("rollout_id").GetString()!, TimeSpan.FromSeconds(120), default);
            Assert.True(done.Applied == 4, $"{done}\n{Logs}");
            ModelImage v1 = (await ops.Client.GetModelImageAsync(new GetModelImageRequest { ModelId = "stg", Version = 1 }));
            ModelImage v3 = (await ops.Client.GetModelImageAsync(new GetModelImageRequest { ModelId = "stg", Version = 3 }));
            Assert.Equal(v1.Layers, v3.Layers);
            foreach (string d in devices)
            {
                DeviceDetail detail = await ops.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = d });
                Assert.Equal(3UL, detail.Device.ModelVersion);
                UpdateRecord last = detail.Updates.Single(u => u.NewVersion == 3);
                Assert.Equal((UpdateKind.Delta, 2UL), (last.Kind, last.BaseVersion));
            }

            CliProcess.Outcome unknown = CliProcess.Run(["fleet", "rollback", "--model-id", "stg", "--to", "9", .. at]);
            Assert.Equal(1, unknown.ExitCode);
            Assert.Contains("model stg v9 is not in the catalog (it holds v1, v2, v3); there is nothing to roll back to.", unknown.Stderr);
        }
    }

    [Fact]
    public async Task ARejectionPastTheErrorThresholdStopsTheRolloutAndTheWaitingGroupIsSentNothing()
    {
        string[] devices = ["er-a", "er-b", "er-c", "er-d"];
        (OperatorConnection ops, string[] at) = await FleetAsync(devices, untrusting: "er-a");
        using (ops)
        {
            CliProcess.Outcome started = CliProcess.Run(["fleet", "rollout", "--model-id", "stg", "--version", "1", "--groups", "50%,100%",
                "--error-threshold", "10%", "--wait", "120", "--json", .. at]);
            Assert.True(started.ExitCode == 0, started.Stderr);
            JsonElement status = JsonDocument.Parse(started.Stdout).RootElement;
            Assert.True(status.GetProperty("state").GetString() == "ROLLOUT_STATE_STOPPED", started.Stdout + Logs);
            const string reason = "group 1: 1 of 2 devices rejected the update (50 %), past the error threshold of 10 %.";
            Assert.Equal(reason, status.GetProperty("stop_reason").GetString());
            Assert.Equal(["ROLLOUT_GROUP_STATE_FAILED", "ROLLOUT_GROUP_STATE_WAITING"],
                status.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("state").GetString()));
            foreach (string d in new[] { "er-c", "er-d" })
            {
                JsonElement device = status.GetProperty("devices").EnumerateArray().Single(x => x.GetProperty("device_id").GetString() == d);
                Assert.Equal("UPDATE_OUTCOME_CANCELLED", device.GetProperty("outcome").GetString());
                Assert.Equal("rollout stopped: " + reason, device.GetProperty("reason").GetString());
                Assert.Empty((await ops.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = d })).Updates);
            }

            CliProcess.Outcome shown = CliProcess.Run(["fleet", "rollout-status", "--rollout-id", status.GetProperty("rollout_id").GetString()!, .. at]);
            Assert.Contains("): stopped; ", shown.Stdout);
            Assert.Contains("  stopped: " + reason, shown.Stdout);
        }
    }
}
