using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>The whole path with real processes: `edgeskyrmion serve`, `edge run` and `flash --device` on loopback, driven through the operator API.</summary>
[Collection(RealProcessCollection.Name)]
public class LoopbackPipelineTests
{
    [Fact]
    public async Task FlashOverTheProvisioningPortThenADeltaPushedToTheRunningEdge()
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

            var provisioning = new Uri($"http://127.0.0.1:{LoopbackProcesses.FreePort()}/");
            using (LoopbackProcesses.Running edge = LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", "wrist-loop",
                       "--state", state, "--provisioning-url", provisioning.ToString()))
            {
                Assert.True(edge.WaitForLog("provisioning port open", TimeSpan.FromSeconds(60)), edge.Log);
                // Provision v1 through tools/flash over the device's local port, then push v2 as a delta over gRPC.
                string signed = Path.Combine(root, "v1.signed");
                await File.WriteAllBytesAsync(signed, await ops.SignedImageAsync("wrist-loop", v1.ModelId, 1, default));
                using (LoopbackProcesses.Running flash = LoopbackProcesses.Start("flash.dll", "--artifact", signed, "--device", provisioning.ToString(), "--json"))
                {
                    Assert.True(flash.Process.WaitForExit(120_000), flash.Log);
                    flash.Process.WaitForExit(); // drains the redirected output
                    Assert.True(flash.Process.ExitCode == 0, flash.Log + "\nedge:\n" + edge.Log);
                    Assert.Contains("\"applied\": true", flash.Log);
                }
                // The edge reconnects after local provisioning; its Hello tells the cloud it now holds v1.
                for (int i = 0; i < 300 && (await ops.GetAsync("api/devices/wrist-loop", default)).GetProperty("device").GetProperty("model_version").GetUInt64() != 1; i++)
                    await Task.Delay(100);
                OperatorApi.RolloutResponse r = await ops.RolloutAsync(v1.ModelId, 2, ["wrist-loop"], default);
                JsonElement status = await ops.WaitForRolloutAsync(r.RolloutId, TimeSpan.FromSeconds(60), default);
                Assert.True(status.GetProperty("applied").GetInt32() == 1, $"rollout v2: {status}\nedge:\n{edge.Log}\nserver:\n{server.Log}");
            }
            JsonElement device = await ops.GetAsync("api/devices/wrist-loop", default);
            JsonElement[] updates = [.. device.GetProperty("updates").EnumerateArray()];
            JsonElement delta = Assert.Single(updates);
            Assert.Equal("delta", delta.GetProperty("kind").GetString());
            Assert.True(delta.GetProperty("bytes").GetInt32() < new FileInfo(Path.Combine(root, "v1.signed")).Length / 10);
            Assert.Equal(2UL, EdgeDevice.Open(state).Committed.ModelVersion);
        }
    }
}
