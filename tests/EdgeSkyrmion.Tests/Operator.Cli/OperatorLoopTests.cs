using System.Text.Json;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Operator.Cli;

/// <summary>
/// The operator's loop through the real CLI against a real fleet server and a real `edge run`: train → convert →
/// publish v1 → roll out, retrain from v1's weights (`train --init`) → convert → `fleet publish --next` → roll out;
/// the device gets the new version as a delta. Publishing a different shape or an older version is refused and
/// stores nothing.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class OperatorLoopTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "eskt-loop-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static CliProcess.Outcome Ok(params string[] args)
    {
        CliProcess.Outcome r = CliProcess.Run(args);
        Assert.True(r.ExitCode == 0, $"{string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        return r;
    }

    private static JsonElement Json(CliProcess.Outcome r) => JsonDocument.Parse(r.Stdout).RootElement.Clone();

    private string TrainAndConvert(string data, string name, string hidden, string? init)
    {
        string model = Path.Combine(_root, name + ".eskm"), image = Path.Combine(_root, name + ".esmi");
        string[] train = ["train", "--data", data, "--out", model, "--hidden", hidden, "--epochs", "1", "--dropout", "0", "--validation", "50", "--seed", name.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        Ok(init is null ? train : [.. train, "--init", init]);
        Ok("convert", "--model", model, "--levels", "13", "--states", "mml4-300K", "--sigma", "2", "--data", data, "--normalization-images", "200",
            "--timesteps", "20", "--out", image);
        return image;
    }

    [Fact]
    public void RetrainedModelPublishedAsTheNextVersionReachesTheDeviceAsADelta()
    {
        Directory.CreateDirectory(_root);
        string data = SyntheticDigits.WriteFolder(300, 60);
        string db = Path.Combine(_root, "fleet.db");
        (LoopbackProcesses.Running server, Uri grpc, _) = LoopbackProcesses.StartServer(db);
        using (server)
        {
            string[] at = ["--server", grpc.ToString(), "--operator-token-file", Path.ChangeExtension(db, ".operator-token")];
            string state = Path.Combine(_root, "edge"), key = Path.Combine(_root, "cloud-key.der");
            string token = Json(Ok(["fleet", "register", "--device-id", "wrist-loop", "--json", .. at])).GetProperty("token").GetString()!;
            Ok(["fleet", "signing-key", "--out", key, .. at]);
            Assert.Equal(0, EdgeProcess.Run("provision", "--state", state, "--device-id", "wrist-loop").ExitCode);
            Assert.Equal(0, EdgeProcess.Run("trust", "--state", state, "--cloud-key", key, "--token", token, "--ca", LoopbackProcesses.CaBeside(db)).ExitCode);

            string v1 = TrainAndConvert(data, "v1", "24", init: null);
            Assert.Equal("1", Json(Ok(["fleet", "publish", "--artifact", v1, "--model-id", "loop", "--version", "1", "--json", .. at])).GetProperty("version").GetString());
            using LoopbackProcesses.Running edge = LoopbackProcesses.Start("edge.dll", "run", "--cloud", grpc.ToString(), "--device-id", "wrist-loop", "--state", state);
            JsonElement first = Json(Ok(["fleet", "rollout", "--model-id", "loop", "--version", "1", "--wait", "120", "--json", .. at]));
            Assert.True(first.GetProperty("applied").GetInt32() == 1, $"{first}\n{edge.Log}");

            string v2 = TrainAndConvert(data, "v2-retrained", "24", init: Path.Combine(_root, "v1.eskm"));
            JsonElement published = Json(Ok(["fleet", "publish", "--artifact", v2, "--model-id", "loop", "--next", "--json", .. at]));
            Assert.Equal("2", published.GetProperty("version").GetString());

            CliProcess.Outcome older = CliProcess.Run(["fleet", "publish", "--artifact", v2, "--model-id", "loop", "--version", "1", .. at]);
            Assert.Equal(1, older.ExitCode);
            Assert.Contains("already published with different contents", older.Stderr);
            string other = TrainAndConvert(data, "other-shape", "16", init: null);
            CliProcess.Outcome reshaped = CliProcess.Run(["fleet", "publish", "--artifact", other, "--model-id", "loop", "--next", .. at]);
            Assert.Equal(1, reshaped.ExitCode);
            Assert.Contains("has shape 784-16-10, the published v2 has 784-24-10", reshaped.Stderr);
            Assert.Equal(2, Json(Ok(["fleet", "models", "--model-id", "loop", "--json", .. at])).GetProperty("models").GetArrayLength());

            JsonElement second = Json(Ok(["fleet", "rollout", "--model-id", "loop", "--version", "2", "--wait", "120", "--json", .. at]));
            Assert.True(second.GetProperty("applied").GetInt32() == 1, $"{second}\n{edge.Log}");
            JsonElement[] updates = [.. Json(Ok(["fleet", "device", "--device-id", "wrist-loop", "--json", .. at])).GetProperty("updates").EnumerateArray()];
            Assert.Equal(["UPDATE_KIND_FULL_IMAGE", "UPDATE_KIND_DELTA"], updates.Select(u => u.GetProperty("kind").GetString()));
            Assert.Equal("UPDATE_OUTCOME_APPLIED", updates[1].GetProperty("outcome").GetString());
            Assert.Equal("2", updates[1].GetProperty("new_version").GetString());
        }
    }
}
