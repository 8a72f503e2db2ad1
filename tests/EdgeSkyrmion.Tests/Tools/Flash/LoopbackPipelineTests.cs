using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using System.Text.Json;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>The whole path with real processes: `fleet-server serve`, `edge run` and `flash --device` on loopback, driven through the operator API.</summary>
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
            using var ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(Path.Combine(root, "fleet.db")));
            RegisterDeviceResponse registered = await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = "wrist-loop" });
            SigningKeyInfo key = await ops.Client.GetSigningKeyAsync(new GetSigningKeyRequest());
            string state = Path.Combine(root, "edge");
            EdgeDevice.Provision(state, "wrist-loop", Presets.Get(Presets.Default), 2);
            new DeviceCredentials(key.PublicKeyDer.ToByteArray(), registered.Token) { CaPem = File.ReadAllBytes(LoopbackProcesses.CaBeside(Path.Combine(root, "fleet.db"))) }.Save(state);

            ModelImage v1 = TestImages.Random([100, 30, 10], 1, seed: 5);
            ModelImage v2 = TestImages.Mutated(v1, 2, 0.01, seed: 6);
            await ops.Client.PublishModelAsync(new PublishModelRequest { Image = v1.ToByteString() });
            await ops.Client.PublishModelAsync(new PublishModelRequest { Image = v2.ToByteString() });

            var provisioning = new Uri($"http://127.0.0.1:{LoopbackProcesses.FreePort()}/");
            using (LoopbackProcesses.Running edge = LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", "wrist-loop",
                       "--state", state, "--provisioning-url", provisioning.ToString()))
            {
                Assert.True(edge.WaitForLog("provisioning port open", TimeSpan.FromSeconds(60)), edge.Log);
                // Provision v1 through tools/flash over the device's local port, then push v2 as a delta over gRPC.
                string signed = Path.Combine(root, "v1.signed");
                await File.WriteAllBytesAsync(signed, (await ops.Client.IssueImageAsync(new IssueImageRequest { DeviceId = "wrist-loop", ModelId = v1.ModelId, Version = 1 })).ToByteArray());
                using (LoopbackProcesses.Running flash = LoopbackProcesses.Start("flash.dll", "--artifact", signed, "--device", provisioning.ToString(), "--json"))
                {
                    Assert.True(flash.Process.WaitForExit(120_000), flash.Log);
                    flash.Process.WaitForExit(); // drains the redirected output
                    Assert.True(flash.Process.ExitCode == 0, flash.Log + "\nedge:\n" + edge.Log);
                    Assert.Contains("\"applied\": true", flash.Log);
                }
                // The edge reconnects after local provisioning; its Hello tells the cloud it now holds v1.
                for (int i = 0; i < 300 && (await ops.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = "wrist-loop" })).Device.ModelVersion != 1; i++)
                    await Task.Delay(100);
                RolloutStatus r = await ops.Client.StartRolloutAsync(new StartRolloutRequest { ModelId = v1.ModelId, Version = 2, DeviceIds = { "wrist-loop" } });
                RolloutStatus status = await ops.WaitForRolloutAsync(r.RolloutId, TimeSpan.FromSeconds(60), default);
                Assert.True(status.Applied == 1, $"rollout v2: {status}\nedge:\n{edge.Log}\nserver:\n{server.Log}");
            }
            DeviceDetail device = await ops.Client.GetDeviceAsync(new GetDeviceRequest { DeviceId = "wrist-loop" });
            UpdateRecord delta = Assert.Single(device.Updates);
            Assert.Equal(UpdateKind.Delta, delta.Kind);
            Assert.True(delta.Bytes < new FileInfo(Path.Combine(root, "v1.signed")).Length / 10);
            Assert.Equal(2UL, EdgeDevice.Open(state).Committed.ModelVersion);
        }
    }
}
