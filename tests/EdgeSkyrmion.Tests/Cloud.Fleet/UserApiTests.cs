using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Personalization;

/// <summary>/api/users (the operator contract transcoded to JSON) on a real server process: register, upload, report; bad input is a 400 that stores nothing.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class UserApiTests
{
    [Fact]
    public async Task UsersAndSamplesOverHttp()
    {
        string root = Path.Combine(Path.GetTempPath(), "eskt-userapi-" + Guid.NewGuid().ToString("N"));
        (LoopbackProcesses.Running server, _, Uri http1) = LoopbackProcesses.StartServer(Path.Combine(root, "fleet.db"));
        using (server)
        using (HttpClient http = LoopbackProcesses.Http(http1, Path.Combine(root, "fleet.db")))
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", OperatorConnection.ReadTokenFile(OperatorToken.PathBeside(Path.Combine(root, "fleet.db"))));
            // A bad user id is refused before the (new) device is registered: nothing is stored.
            HttpResponseMessage badId = await http.PostAsJsonAsync("api/users", new { user_id = "al ice", device_id = "wrist-9" });
            Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
            Assert.Contains("user id 'al ice'", await badId.Content.ReadAsStringAsync());
            Assert.DoesNotContain("wrist-9", await http.GetStringAsync("api/devices"));
            HttpResponseMessage added = await http.PostAsJsonAsync("api/users", new { user_id = "alice", device_id = "wrist-9" });
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
            Assert.Contains("deviceToken", await added.Content.ReadAsStringAsync());

            (byte[] images, byte[] labels) = SyntheticDigits.Make(4, seed: 1);
            string good = Convert.ToBase64String(labels);
            HttpResponseMessage ok = await http.PostAsJsonAsync("api/users/alice/samples", new { split = "SAMPLE_SPLIT_TEST", labels = good, images = Convert.ToBase64String(images) });
            Assert.True(ok.IsSuccessStatusCode, await ok.Content.ReadAsStringAsync());

            HttpResponseMessage badLabel = await http.PostAsJsonAsync("api/users/alice/samples", new { split = "SAMPLE_SPLIT_TEST", labels = Convert.ToBase64String(new byte[] { 1, 2, 3, 11 }), images = Convert.ToBase64String(images) });
            Assert.Equal(HttpStatusCode.BadRequest, badLabel.StatusCode);
            Assert.Contains("label 11", await badLabel.Content.ReadAsStringAsync());
            HttpResponseMessage badSize = await http.PostAsJsonAsync("api/users/alice/samples", new { split = "SAMPLE_SPLIT_TEST", labels = good, images = Convert.ToBase64String(images[..^1]) });
            Assert.Contains("28×28", await badSize.Content.ReadAsStringAsync());
            HttpResponseMessage unknown = await http.PostAsJsonAsync("api/users/bob/samples", new { split = "SAMPLE_SPLIT_TEST", labels = good, images = Convert.ToBase64String(images) });
            Assert.Contains("unknown user bob", await unknown.Content.ReadAsStringAsync());

            using JsonDocument report = JsonDocument.Parse(await http.GetStringAsync("api/users/alice/report"));
            Assert.Equal(4, report.RootElement.GetProperty("testSamples").GetInt32());
            Assert.Equal("wrist-9", report.RootElement.GetProperty("deviceId").GetString());
        }
        Directory.Delete(root, recursive: true);
    }
}
