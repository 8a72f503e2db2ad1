using EdgeSkyrmion.Cloud.Fleet;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Cloud.Fleet.Updates;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using System.Net;
using System.Net.Http.Json;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeSkyrmion.Tests.Reliability;

/// <summary>The operator credential on /api and device credentials on the HTTP/1.1 device API, against the real server in memory.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private readonly RecordingLoggerProvider _logs = new();
    private WebApplication _app = null!;
    private HttpClient _anonymous = null!;
    private HttpClient _operator = null!;

    public async Task InitializeAsync()
    {
        string db = Path.Combine(Path.GetTempPath(), $"auth-{Guid.NewGuid():N}", "fleet.db");
        _app = FleetServer.Build(new FleetServer.Options([], [], db), b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.AddProvider(_logs);
        });
        await _app.StartAsync();
        _anonymous = _app.GetTestServer().CreateClient();
        _operator = _app.GetTestServer().CreateClient();
        _operator.DefaultRequestHeaders.Authorization = new("Bearer", OperatorConnection.ReadTokenFile(OperatorToken.PathBeside(db)));
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        _operator.Dispose();
        await _app.DisposeAsync();
    }

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    [Fact]
    public async Task OperatorCallsWithoutTheOperatorTokenAre401AndChangeNothing()
    {
        HttpResponseMessage register = await _anonymous.PostAsJsonAsync("/api/devices", new { device_id = "intruder" });
        Assert.Equal(HttpStatusCode.Unauthorized, register.StatusCode);
        Assert.Null(Service<DeviceRegistry>().Find("intruder"));

        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/devices") { Content = JsonContent.Create(new { device_id = "intruder" }) };
        wrong.Headers.Authorization = new("Bearer", "not-the-operator-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.SendAsync(wrong)).StatusCode);
        Assert.Null(Service<DeviceRegistry>().Find("intruder"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.GetAsync("/api/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.GetAsync("/api/signing-key")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.PostAsJsonAsync("/api/rollouts", new { model_id = "m", version = 1 })).StatusCode);
        // A route added later under /api is covered without its author doing anything.
        Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.GetAsync("/api/users/someone")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _operator.PostAsJsonAsync("/api/devices", new { device_id = "legit" })).StatusCode);
        Assert.NotNull(Service<DeviceRegistry>().Find("legit"));
        Assert.Contains(_logs.Lines, l => l.Contains("rejected POST /api/devices", StringComparison.Ordinal) && l.Contains("no operator bearer token", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Contains("wrong operator token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADeviceAskingForAnotherDevicesUpdatesIsRefusedAndNothingChanges()
    {
        string tokenA = Service<DeviceRegistry>().Register("dev-a");
        string tokenB = Service<DeviceRegistry>().Register("dev-b");
        ModelImage v1 = TestImages.Random([20, 6, 3], 1, seed: 7);
        Service<ModelCatalog>().Publish(v1);
        Assert.Equal(HttpStatusCode.OK, (await _operator.PostAsJsonAsync("/api/rollouts", new { model_id = v1.ModelId, version = 1, device_ids = new[] { "dev-b" } })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Get("dev-b", tokenA)).StatusCode);
        Assert.Empty(Service<UpdateLog>().ForDevice("dev-b"));
        Assert.Equal(HttpStatusCode.NoContent, (await Get("dev-a", tokenA)).StatusCode);

        // dev-b fetches its update; dev-a then claims to have applied it: the claim is ignored.
        HttpResponseMessage own = await Get("dev-b", tokenB);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        SignedUpdate signed = SignedUpdate.Parser.ParseFrom(await own.Content.ReadAsByteArrayAsync());
        string updateId = EdgeSkyrmion.Edge.Updates.UpdateSignature.Verify(signed, Service<KeyRing>().Current().Key.ExportSubjectPublicKeyInfo()).UpdateId;
        using var forgedAck = new HttpRequestMessage(HttpMethod.Post, "/v1/ack") { Content = new ByteArrayContent(Google.Protobuf.MessageExtensions.ToByteArray(new UpdateAck { UpdateId = updateId, Applied = true, ModelVersion = 1 })) };
        forgedAck.Headers.Add("X-Device-Id", "dev-a");
        forgedAck.Headers.Authorization = new("Bearer", tokenA);
        await _anonymous.SendAsync(forgedAck);
        Assert.Equal(UpdateOutcome.Sent, Service<UpdateLog>().ForDevice("dev-b").Single().Outcome);
        Assert.Equal(0UL, Service<DeviceRegistry>().Find("dev-b")!.ModelVersion);

        Assert.Contains(_logs.Lines, l => l.Contains("rejected GET /v1/update for device \"dev-b\"", StringComparison.Ordinal) && l.Contains("not this device's", StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> Get(string deviceId, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/update");
        request.Headers.Add("X-Device-Id", deviceId);
        request.Headers.Authorization = new("Bearer", token);
        return await _anonymous.SendAsync(request);
    }
}
