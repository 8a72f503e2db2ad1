using System.Security.Cryptography;
using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// The key hierarchy with real processes: `fleet-server serve`, the operator CLI's `fleet keys init|rotate|revoke`
/// (the root key stays in the CLI's file), `edge trust --root-key`, `edge run` and `flash --state`. Updates signed by
/// a revoked key, by a key under an expired delegation, or by a key the root never delegated are refused and program
/// nothing (state.bin byte-identical); a rotation in the middle of a rollout leaves every device on the new version,
/// each update applied once.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class KeyHierarchyTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "eskt-keys-" + Guid.NewGuid().ToString("N"));

    public KeyHierarchyTests() => Directory.CreateDirectory(Path.Combine(_root, "offline"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private string Db => Path.Combine(_root, "fleet.db");

    private string RootPem => Path.Combine(_root, "offline", "root.pem");

    private string RootDer => Path.Combine(_root, "root.der");

    private static JsonElement Cli(params string[] args)
    {
        CliProcess.Outcome r = CliProcess.Run([.. args, "--json"]);
        Assert.True(r.ExitCode == 0, $"{string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        return JsonDocument.Parse(r.Stdout).RootElement.Clone();
    }

    private string[] At(Uri grpc) => ["--server", grpc.ToString(), "--operator-token-file", OperatorToken.PathBeside(Db)];

    private static CliProcess.Outcome Flash(string artifact, string state)
    {
        using LoopbackProcesses.Running flash = LoopbackProcesses.Start("flash.dll", "--artifact", artifact, "--state", state);
        Assert.True(flash.Process.WaitForExit(120_000), flash.Log);
        flash.Process.WaitForExit();
        return new CliProcess.Outcome(flash.Process.ExitCode, flash.Log, flash.Log);
    }

    private async Task<string> IssueAsync(OperatorConnection ops, string deviceId, ModelImage image, string name)
    {
        string path = Path.Combine(_root, name);
        SignedUpdate signed = await ops.Client.IssueImageAsync(new IssueImageRequest { DeviceId = deviceId, ModelId = image.ModelId, Version = image.Version });
        await File.WriteAllBytesAsync(path, signed.ToByteArray());
        return path;
    }

    private string ProvisionWithCli(string deviceId, string token)
    {
        string state = Path.Combine(_root, deviceId);
        Assert.Equal(0, EdgeProcess.Run("provision", "--state", state, "--device-id", deviceId).ExitCode);
        CliProcess.Outcome trusted = EdgeProcess.Run("trust", "--state", state, "--root-key", RootDer, "--token", token, "--ca", LoopbackProcesses.CaBeside(Db));
        Assert.True(trusted.ExitCode == 0, trusted.Stderr);
        return state;
    }

    private static byte[] StateBytes(string state) => File.ReadAllBytes(Path.Combine(state, EdgeDevice.StateFileName));

    [Fact]
    public async Task UpdatesSignedByARevokedOrAnUndelegatedKeyAreRefusedAndProgramNothing()
    {
        (LoopbackProcesses.Running server, Uri grpc, _) = LoopbackProcesses.StartServer(Db);
        using (server)
        {
            using var ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(Db));
            JsonElement init = Cli(["fleet", "keys", "init", "--root-key", RootPem, "--out", RootDer, .. At(grpc)]);
            string k1 = init.GetProperty("active_key_id").GetString()!;
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(RootPem));
            CliProcess.Outcome again = CliProcess.Run(["fleet", "keys", "init", "--root-key", Path.Combine(_root, "second.pem"), "--out", Path.Combine(_root, "second.der"), .. At(grpc)]);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("already has root key", again.Stderr);
            Assert.False(File.Exists(Path.Combine(_root, "second.pem")));

            string token = (await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = "wrist-k" })).Token;
            string state = ProvisionWithCli("wrist-k", token);
            ModelImage v1 = TestImages.Random([100, 30, 10], 1, seed: 5), v2 = TestImages.Mutated(v1, 2, 0.02, seed: 6);
            await ops.Client.PublishModelAsync(new PublishModelRequest { Image = v1.ToByteString() });
            await ops.Client.PublishModelAsync(new PublishModelRequest { Image = v2.ToByteString() });
            string a1 = await IssueAsync(ops, "wrist-k", v1, "v1.signed"), queued = await IssueAsync(ops, "wrist-k", v2, "v2-k1.signed");
            CliProcess.Outcome first = Flash(a1, state);
            Assert.True(first.ExitCode == 0, first.Stdout);

            string k2 = Cli(["fleet", "keys", "rotate", "--root-key", RootPem, .. At(grpc)]).GetProperty("active_key_id").GetString()!;
            Assert.NotEqual(k1, k2);
            JsonElement revoked = Cli(["fleet", "keys", "revoke", k1, "--root-key", RootPem, .. At(grpc)]);
            Assert.Equal(k2, revoked.GetProperty("active_key_id").GetString());
            CliProcess.Outcome last = CliProcess.Run(["fleet", "keys", "revoke", k2, "--root-key", RootPem, .. At(grpc)]);
            Assert.Equal(1, last.ExitCode);
            Assert.Contains("would leave no signing key", last.Stderr);
            // The audit names what each published delegation vouched for and revoked, not just that one was published.
            string[] published = [.. (await ops.Client.ListAuditAsync(new ListAuditRequest())).Entries.Where(e => e.Action == "PublishDelegation" && e.Outcome == "done").Select(e => e.Target)];
            Assert.Contains(published, t => t.Contains($"keys={k1},{k2}", StringComparison.Ordinal) || t.Contains($"keys={k2}", StringComparison.Ordinal));
            Assert.Contains(published, t => t.Contains($"revoked={k1}", StringComparison.Ordinal));

            // The device hears of the revocation at its next contact with the cloud.
            using (LoopbackProcesses.Running edge = LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", "wrist-k", "--state", state))
                Assert.True(edge.WaitForLog("now trusting delegation v3", TimeSpan.FromSeconds(60)), edge.Log);

            byte[] before = StateBytes(state);
            CliProcess.Outcome refused = Flash(queued, state);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains($"{k1}, which delegation v3 revokes", refused.Stdout);
            Assert.Equal(before, StateBytes(state));

            SignedUpdate original = SignedUpdate.Parser.ParseFrom(await File.ReadAllBytesAsync(queued));
            using ECDsa stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            string forged = Path.Combine(_root, "v2-stranger.signed");
            await File.WriteAllBytesAsync(forged, UpdateSigner.Sign(Update.Parser.ParseFrom(original.UpdateBytes), stranger).ToByteArray());
            CliProcess.Outcome undelegated = Flash(forged, state);
            Assert.Equal(1, undelegated.ExitCode);
            Assert.Contains("has not delegated", undelegated.Stdout);
            Assert.Equal(before, StateBytes(state));

            CliProcess.Outcome renewed = Flash(await IssueAsync(ops, "wrist-k", v2, "v2-k2.signed"), state);
            Assert.True(renewed.ExitCode == 0, renewed.Stdout);
            Assert.Equal(2UL, EdgeDevice.Open(state).Committed.ModelVersion);
        }
    }

    [Fact]
    public async Task AnExpiredDelegationIsRefusedByDeviceAndServerUntilARotationRenewsIt()
    {
        (LoopbackProcesses.Running server, Uri grpc, _) = LoopbackProcesses.StartServer(Db);
        using (server)
        {
            using var ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(Db));
            // 21.6 s: long enough to provision and issue one update on a loaded machine, short enough to wait out.
            Cli(["fleet", "keys", "init", "--root-key", RootPem, "--out", RootDer, "--valid-days", "0.00025", .. At(grpc)]);
            KeysInfo keys = await ops.Client.GetKeysAsync(new GetKeysRequest());
            long expiresUnixMs = Delegation.Parser.ParseFrom(keys.Delegation.DelegationBytes).ExpiresUnixMs;
            string token = (await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = "wrist-e" })).Token;
            string state = ProvisionWithCli("wrist-e", token);
            ModelImage v1 = TestImages.Random([100, 30, 10], 1, seed: 7);
            await ops.Client.PublishModelAsync(new PublishModelRequest { Image = v1.ToByteString() });
            string frozen = await IssueAsync(ops, "wrist-e", v1, "v1.signed");

            // Waits for the expiry the delegation itself carries (the CLI's start-up time is not the server's clock).
            TimeSpan wait = DateTimeOffset.FromUnixTimeMilliseconds(expiresUnixMs) + TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            byte[] before = StateBytes(state);
            CliProcess.Outcome refused = Flash(frozen, state);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("delegation v1 expired", refused.Stdout);
            Assert.Equal(before, StateBytes(state));
            ArgumentException serverRefuses = await Assert.ThrowsAsync<ArgumentException>(async () => await IssueAsync(ops, "wrist-e", v1, "v1-again.signed"));
            Assert.Contains("vouches for no signing key", serverRefuses.Message);

            Cli(["fleet", "keys", "rotate", "--root-key", RootPem, .. At(grpc)]);
            CliProcess.Outcome applied = Flash(await IssueAsync(ops, "wrist-e", v1, "v1-renewed.signed"), state);
            Assert.True(applied.ExitCode == 0, applied.Stdout);
        }
    }

    [Fact]
    public async Task ARotationMidRolloutLeavesEveryDeviceOnTheNewVersionEachUpdateAppliedOnce()
    {
        (LoopbackProcesses.Running server, Uri grpc, _) = LoopbackProcesses.StartServer(Db);
        using (server)
        {
            using var ops = OperatorConnection.FromTokenFile(grpc, OperatorToken.PathBeside(Db));
            string k1 = Cli(["fleet", "keys", "init", "--root-key", RootPem, "--out", RootDer, .. At(grpc)]).GetProperty("active_key_id").GetString()!;
            byte[] rootDer = await File.ReadAllBytesAsync(RootDer);
            string[] ids = ["wrist-r1", "wrist-r2", "wrist-r3"];
            var states = new Dictionary<string, string>();
            foreach (string id in ids)
            {
                string token = (await ops.Client.RegisterDeviceAsync(new RegisterDeviceRequest { DeviceId = id })).Token;
                states[id] = Path.Combine(_root, id);
                EdgeDevice.Provision(states[id], id, Presets.Get(Presets.Default), ids.ToList().IndexOf(id) + 1);
                new DeviceCredentials(rootDer, token, PinsRoot: true) { CaPem = File.ReadAllBytes(LoopbackProcesses.CaBeside(Db)) }.Save(states[id]);
            }
            ModelImage v1 = TestImages.Random([100, 30, 10], 1, seed: 8), v2 = TestImages.Mutated(v1, 2, 0.02, seed: 9);
            await ops.Client.PublishModelAsync(new PublishModelRequest { Image = v1.ToByteString() });
            await ops.Client.PublishModelAsync(new PublishModelRequest { Image = v2.ToByteString() });
            LoopbackProcesses.Running Edge(string id) => LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", id, "--state", states[id]);

            var edges = ids.ToDictionary(id => id, Edge);
            try
            {
                RolloutStatus first = await ops.WaitForRolloutAsync((await ops.Client.StartRolloutAsync(new StartRolloutRequest { ModelId = v1.ModelId, Version = 1 })).RolloutId, TimeSpan.FromSeconds(120), default);
                Assert.True(first.Applied == 3, $"{first}\n{server.Log}");
                foreach (string id in ids[1..]) edges[id].Dispose();
                for (int i = 0; i < 600 && (await ops.Client.GetHealthAsync(new GetHealthRequest())).ConnectedDevices > 1; i++) await Task.Delay(100);

                // v2 reaches the one connected device under k1; then the key rotates and the others get v2 under k2.
                string rollout = (await ops.Client.StartRolloutAsync(new StartRolloutRequest { ModelId = v1.ModelId, Version = 2 })).RolloutId;
                for (int i = 0; i < 600 && (await ops.Client.GetRolloutAsync(new GetRolloutRequest { RolloutId = rollout })).Applied < 1; i++) await Task.Delay(100);
                string k2 = Cli(["fleet", "keys", "rotate", "--root-key", RootPem, "--cutoff-hours", "1", .. At(grpc)]).GetProperty("active_key_id").GetString()!;
                foreach (string id in ids[1..]) edges[id] = Edge(id);
                RolloutStatus second = await ops.WaitForRolloutAsync(rollout, TimeSpan.FromSeconds(120), default);
                Assert.True(second.Applied == 3, $"{second}\n{server.Log}");

                Dictionary<string, string> signers = V2Signers();
                Assert.Equal(k1, signers["wrist-r1"]);
                Assert.Equal(k2, signers["wrist-r2"]);
                Assert.Equal(k2, signers["wrist-r3"]);
            }
            finally
            {
                foreach (LoopbackProcesses.Running e in edges.Values) e.Dispose();
            }
            foreach (string id in ids)
            {
                EdgeSnapshot held = EdgeDevice.Open(states[id]).Committed;
                Assert.Equal(2UL, held.ModelVersion);
                Assert.Equal(2, held.UpdatesApplied);
            }
        }
    }

    /// <summary>Which key signed each device's applied v2 update, from the fleet database (exactly one applied update per device).</summary>
    private Dictionary<string, string> V2Signers()
    {
        using var c = new SqliteConnection($"Data Source={Db}");
        c.Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT device_id, signed FROM updates WHERE new_version = 2 AND status = 'applied'";
        using SqliteDataReader row = cmd.ExecuteReader();
        var signers = new Dictionary<string, string>();
        while (row.Read()) signers.Add(row.GetString(0), SignedUpdate.Parser.ParseFrom((byte[])row[1]).KeyId);
        return signers;
    }
}
