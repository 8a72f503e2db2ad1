using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Edge.Energy;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Xunit.Abstractions;

namespace EdgeSkyrmion.Tests.Personalization;

/// <summary>
/// A real fleet server and a real `edge run` wearing a small converted network: `plan-update --send` under a budget
/// and `fleet devices`, both through the real CLI. What the update cost is read from the device's own ledger
/// (its committed state file), not from the plan; what `fleet devices` shows comes from the device's telemetry.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class PlanUpdateSendTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SentPlanCostsTheDeviceNoMoreThanTheBudgetAndItsTelemetryReachesFleetDevices()
    {
        (string data, string model) = SmallTrainedModel.Make(trainImages: 300, testImages: 60);
        string artifact = Path.Combine(data, "base.esmi");
        CliProcess.Outcome convert = CliProcess.Run("convert", "--model", model, "--levels", "13", "--states", Presets.Default, "--sigma", "1",
            "--data", data, "--normalization-images", "200", "--timesteps", "30", "--out", artifact, "--json");
        Assert.True(convert.ExitCode == 0, convert.Stderr);
        ModelImage baseImage = ModelImageFile.Read(artifact);

        string db = Path.Combine(data, "fleet.db");
        (LoopbackProcesses.Running server, Uri grpc, _) = LoopbackProcesses.StartServer(db);
        using (server)
        {
            string[] connection = ["--server", grpc.ToString(), "--operator-token-file", OperatorToken.PathBeside(db)];
            using var ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(db));
            RegisterUserResponse registered = await ops.Client.RegisterUserAsync(new RegisterUserRequest { UserId = "alice", DeviceId = "wrist-alice" });
            SigningKeyInfo key = await ops.Client.GetSigningKeyAsync(new GetSigningKeyRequest());
            string state = Path.Combine(data, "wrist");
            EdgeDevice.Provision(state, "wrist-alice", Presets.Get(Presets.Default), chipSeed: 4);
            new DeviceCredentials(key.PublicKeyDer.ToByteArray(), registered.DeviceToken) { CaPem = File.ReadAllBytes(LoopbackProcesses.CaBeside(db)) }.Save(state);
            await ops.Client.AddSamplesAsync(new AddSamplesRequest { UserId = "alice", Split = SampleSplit.Train, Images = Samples(data, "train-images-idx3-ubyte"), Labels = Samples(data, "train-labels-idx1-ubyte") });
            await ops.Client.AddSamplesAsync(new AddSamplesRequest { UserId = "alice", Split = SampleSplit.Test, Images = Samples(data, "t10k-images-idx3-ubyte"), Labels = Samples(data, "t10k-labels-idx1-ubyte") });

            using LoopbackProcesses.Running edge = LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", "wrist-alice", "--state", state);
            await ops.Client.PublishModelAsync(new PublishModelRequest { Image = baseImage.ToByteString() });
            RolloutStatus flashed = await ops.WaitForRolloutAsync((await ops.Client.StartRolloutAsync(new StartRolloutRequest
            {
                ModelId = baseImage.ModelId, Version = baseImage.Version, DeviceIds = { "wrist-alice" },
            })).RolloutId, TimeSpan.FromSeconds(120), default);
            Assert.True(flashed.Applied == 1, $"{flashed}\n{edge.Log}");

            // Half of what the plan costs without a budget: a budget that binds.
            CliProcess.Outcome free = CliProcess.Run(["plan-update", "--user", "alice", "--base-model", model, "--out", Path.Combine(data, "plan0"), "--json", .. connection]);
            Assert.True(free.ExitCode == 0, free.Stderr);
            double unbudgeted;
            using (JsonDocument doc = JsonDocument.Parse(free.Stdout)) unbudgeted = doc.RootElement.GetProperty("plan").GetProperty("energy_fj").GetDouble();
            Assert.True(unbudgeted > 0, free.Stdout);
            double budget = unbudgeted / 2;

            EnergyTally before = Ledger(state);
            CliProcess.Outcome sent = CliProcess.Run(["plan-update", "--user", "alice", "--base-model", model, "--budget-fj", budget.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                "--send", "--out", Path.Combine(data, "plan1"), "--json", .. connection]);
            Assert.True(sent.ExitCode == 0, sent.Stderr + "\n" + edge.Log);
            using JsonDocument result = JsonDocument.Parse(sent.Stdout);
            Assert.Equal(1, result.RootElement.GetProperty("sent").GetProperty("applied").GetInt32());
            double planned = result.RootElement.GetProperty("plan").GetProperty("energy_fj").GetDouble();
            Assert.True(planned <= budget, $"planned {planned} fJ over the budget {budget} fJ");

            // The state file is committed with the ledger before the ack, and the rollout ended on that ack.
            EnergyTally spent = Ledger(state) - before;
            output.WriteLine($"budget {budget:F0} fJ, planned {planned:F0} fJ, device ledger {spent.TotalEnergyFj:F0} fJ ({spent.ProgrammingPulses} pulses, {spent.Reads} verify reads)");
            Assert.True(spent.ProgrammingPulses > 0, "the sent plan programmed nothing");
            Assert.True(spent.TotalEnergyFj <= budget, $"the device spent {spent.TotalEnergyFj:F0} fJ on a plan budgeted at {budget:F0} fJ");

            // Telemetry follows every ack: what `fleet devices` shows is the device's own ledger and health.
            EdgeSnapshot held = EdgeSnapshot.Load(Path.Combine(state, EdgeDevice.StateFileName));
            JsonElement listed = default;
            for (int i = 0; i < 100; i++)
            {
                CliProcess.Outcome devices = CliProcess.Run(["fleet", "devices", "--json", .. connection]);
                Assert.True(devices.ExitCode == 0, devices.Stderr);
                listed = JsonDocument.Parse(devices.Stdout).RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("device_id").GetString() == "wrist-alice");
                if (Math.Abs(listed.GetProperty("lifetime_energy_fj").GetDouble() - held.Lifetime.TotalEnergyFj) <= 1e-6 * held.Lifetime.TotalEnergyFj) break;
                await Task.Delay(100);
            }
            Assert.Equal(held.Lifetime.TotalEnergyFj, listed.GetProperty("lifetime_energy_fj").GetDouble(), 1e-6 * held.Lifetime.TotalEnergyFj);
            Assert.Equal(held.Targets.Length, listed.GetProperty("total_devices").GetInt32());
            Assert.Equal(held.FailedBits.Sum(b => System.Numerics.BitOperations.PopCount(b)), listed.GetProperty("failed_devices").GetInt32());
            Assert.Equal(held.ModelVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), listed.GetProperty("model_version").GetString());
        }
        Directory.Delete(data, recursive: true);
    }

    private static EnergyTally Ledger(string state) => EdgeSnapshot.Load(Path.Combine(state, EdgeDevice.StateFileName)).Lifetime;

    private static ByteString Samples(string data, string idx) => ByteString.CopyFrom(File.ReadAllBytes(Path.Combine(data, idx))[(idx.Contains("images") ? 16 : 8)..]);
}
