using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Personalization;

/// <summary>/api/users on a real server process: register, upload, report; bad input is a 400 that stores nothing.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class UserApiTests
{
    [Fact]
    public async Task UsersAndSamplesOverHttp()
    {
        string root = Path.Combine(Path.GetTempPath(), "eskt-userapi-" + Guid.NewGuid().ToString("N"));
        (LoopbackProcesses.Running server, _, Uri http1) = LoopbackProcesses.StartServer(Path.Combine(root, "fleet.db"));
        using (server)
        using (var http = new HttpClient { BaseAddress = http1 })
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", EdgeSkyrmion.Cloud.Fleet.OperatorToken.Read(EdgeSkyrmion.Cloud.Fleet.OperatorToken.PathBeside(Path.Combine(root, "fleet.db"))));
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("api/users", new { user_id = "alice", device_id = "wrist-9" })).StatusCode);
            Assert.True((await http.PostAsJsonAsync("api/devices", new { device_id = "wrist-9" })).IsSuccessStatusCode);
            Assert.True((await http.PostAsJsonAsync("api/users", new { user_id = "alice", device_id = "wrist-9" })).IsSuccessStatusCode);

            (byte[] images, byte[] labels) = SyntheticDigits.Make(4, seed: 1);
            int[] good = [.. labels.Select(l => (int)l)];
            HttpResponseMessage ok = await http.PostAsJsonAsync("api/users/alice/samples", new { split = "test", labels = good, images_base64 = Convert.ToBase64String(images) });
            Assert.True(ok.IsSuccessStatusCode, await ok.Content.ReadAsStringAsync());

            HttpResponseMessage badLabel = await http.PostAsJsonAsync("api/users/alice/samples", new { split = "test", labels = new[] { 1, 2, 3, 11 }, images_base64 = Convert.ToBase64String(images) });
            Assert.Equal(HttpStatusCode.BadRequest, badLabel.StatusCode);
            Assert.Contains("label 11", await badLabel.Content.ReadAsStringAsync());
            HttpResponseMessage badSize = await http.PostAsJsonAsync("api/users/alice/samples", new { split = "test", labels = good, images_base64 = Convert.ToBase64String(images[..^1]) });
            Assert.Contains("28×28", await badSize.Content.ReadAsStringAsync());
            HttpResponseMessage unknown = await http.PostAsJsonAsync("api/users/bob/samples", new { split = "test", labels = good, images_base64 = Convert.ToBase64String(images) });
            Assert.Contains("unknown user bob", await unknown.Content.ReadAsStringAsync());

            using JsonDocument report = JsonDocument.Parse(await http.GetStringAsync("api/users/alice/report"));
            Assert.Equal(4, report.RootElement.GetProperty("test_samples").GetInt32());
            Assert.Equal("wrist-9", report.RootElement.GetProperty("device").GetString());
        }
        Directory.Delete(root, recursive: true);
    }
}
