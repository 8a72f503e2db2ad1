using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>The whole path with real processes: `edgeskyrmion serve` and `edge run` on loopback, driven through the operator API.</summary>
public class LoopbackPipelineTests
{
    [Fact]
    public async Task ServerAndEdgeProcessesRollOutAFullImageThenADelta()
    {
        string root = Path.Combine(Path.GetTempPath(), "loop-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        (LoopbackProcesses.Running server, Uri grpc, Uri http1) = LoopbackProcesses.StartServer(Path.Combine(root, "fleet.db"));
        using (server)
        {
            using var ops = new OperatorClient(http1, OperatorToken.Read(OperatorToken.PathBeside(Path.Combine(root, "fleet.db"))));
            OperatorApi.RegisterResponse registered = await ops.RegisterAsync("wrist-loop", default);
            OperatorApi.KeyResponse key = await ops.SigningKeyAsync(default);
            string state = Path.Combine(root, "edge");
            EdgeDevice.Provision(state, "wrist-loop", Presets.Get(Presets.Default), 2);
            new DeviceCredentials(Convert.FromBase64String(key.PublicKeyDerBase64), registered.Token).Save(state);

            ModelImage v1 = TestImages.Random([100, 30, 10], 1, seed: 5);
            ModelImage v2 = TestImages.Mutated(v1, 2, 0.01, seed: 6);
            await ops.PublishAsync(v1.ToByteArray(), default);
            await ops.PublishAsync(v2.ToByteArray(), default);

            using (LoopbackProcesses.Running edge = LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", "wrist-loop", "--state", state))
            {
                foreach (ulong version in new ulong[] { 1, 2 })
                {
                    OperatorApi.RolloutResponse r = await ops.RolloutAsync(v1.ModelId, version, ["wrist-loop"], default);
                    JsonElement status = await ops.WaitForRolloutAsync(r.RolloutId, TimeSpan.FromSeconds(60), default);
                    Assert.True(status.GetProperty("applied").GetInt32() == 1, $"rollout v{version}: {status}\nedge:\n{edge.Log}\nserver:\n{server.Log}");
                }
            }
            JsonElement device = await ops.GetAsync("api/devices/wrist-loop", default);
            JsonElement[] updates = [.. device.GetProperty("updates").EnumerateArray()];
            Assert.Equal("full", updates[0].GetProperty("kind").GetString());
            Assert.Equal("delta", updates[1].GetProperty("kind").GetString());
            Assert.True(updates[1].GetProperty("bytes").GetInt32() < updates[0].GetProperty("bytes").GetInt32() / 10);
            Assert.Equal(2UL, EdgeDevice.Open(state).Committed.ModelVersion);
        }
    }
}
