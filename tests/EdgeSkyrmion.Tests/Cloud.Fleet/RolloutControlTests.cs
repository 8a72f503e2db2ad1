using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Fleet.Storage;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// Pause, resume, cancel and roll back through the operator API (JSON over HTTP, the real server in memory, on SQLite and on PostgreSQL): each
/// moves the rollout as named, pending devices wait while paused and get nothing once cancelled, and an action the
/// rollout's state does not allow is a 400 naming the state, changing nothing.
/// </summary>
public abstract class RolloutControlTests(string? postgres) : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        (_app, _http, _) = await InMemoryFleet.StartAsync(postgres: postgres);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private RolloutStore Store => _app.Services.GetRequiredService<RolloutStore>();

    private async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<string> Refused(string path, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        HttpResponseMessage response = await _http.PostAsJsonAsync(path, new { });
        Assert.Equal(status, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()!;
    }

    private async Task<string> StartOnOfflineDevicesAsync()
    {
        foreach (string d in new[] { "off-1", "off-2" }) await Ok(await _http.PostAsJsonAsync("/api/devices", new { device_id = d }));
        ModelImage v1 = TestImages.Random([20, 8, 10], 1, seed: 3, "ctl");
        await Ok(await _http.PostAsJsonAsync("/api/models", new { image = Convert.ToBase64String(v1.ToByteArray()) }));
        JsonElement started = await Ok(await _http.PostAsJsonAsync("/api/rollouts", new { model_id = "ctl", version = 1, device_ids = new[] { "off-1", "off-2" } }));
        Assert.Equal("ROLLOUT_STATE_IN_PROGRESS", started.GetProperty("state").GetString());
        return started.GetProperty("rolloutId").GetString()!;
    }

    [Fact]
    public async Task PausedPendingDevicesWaitUntilResumedAndCancelledOnesGetNothing()
    {
        string id = await StartOnOfflineDevicesAsync();
        Assert.NotNull(Store.NextFor("off-1"));

        JsonElement paused = await Ok(await _http.PostAsJsonAsync($"/api/rollouts/{id}/pause", new { }));
        Assert.Equal("ROLLOUT_STATE_PAUSED", paused.GetProperty("state").GetString());
        Assert.Null(Store.NextFor("off-1"));
        Assert.Equal($"rollout {id} is paused; it cannot pause (it must be in progress).", await Refused($"/api/rollouts/{id}/pause"));

        JsonElement resumed = await Ok(await _http.PostAsJsonAsync($"/api/rollouts/{id}/resume", new { }));
        Assert.Equal("ROLLOUT_STATE_IN_PROGRESS", resumed.GetProperty("state").GetString());
        Assert.Equal(id, Store.NextFor("off-2")?.RolloutId);

        JsonElement cancelled = await Ok(await _http.PostAsJsonAsync($"/api/rollouts/{id}/cancel", new { }));
        Assert.Equal("ROLLOUT_STATE_CANCELLED", cancelled.GetProperty("state").GetString());
        Assert.Equal(2, cancelled.GetProperty("cancelled").GetInt32());
        Assert.All(cancelled.GetProperty("devices").EnumerateArray(), d => Assert.Equal("UPDATE_OUTCOME_CANCELLED", d.GetProperty("outcome").GetString()));
        Assert.Null(Store.NextFor("off-1"));
        Assert.Null(Store.NextFor("off-2"));

        Assert.Equal($"rollout {id} is cancelled; it cannot resume (it must be paused).", await Refused($"/api/rollouts/{id}/resume"));
        Assert.Equal($"rollout {id} is cancelled with no device that applied it; there is nothing to roll back.", await Refused($"/api/rollouts/{id}/rollback"));
        Assert.Equal(RolloutState.Cancelled, Store.Get(id).State);

        JsonElement listed = Assert.Single((await Ok(await _http.GetAsync("/api/rollouts"))).GetProperty("rollouts").EnumerateArray());
        Assert.Equal(id, listed.GetProperty("rolloutId").GetString());
        Assert.Equal(2, listed.GetProperty("cancelled").GetInt32());
        Assert.Equal(0, listed.GetProperty("devices").GetArrayLength());
    }

    [Fact]
    public async Task AnUnknownRolloutIsNotFound()
    {
        Assert.Equal("no rollout r-000000000000.", await Refused("/api/rollouts/r-000000000000/pause", HttpStatusCode.NotFound));
    }
}

public sealed class RolloutControlTestsOnSqlite() : RolloutControlTests(null);

[Collection(PostgresCollection.Name)]
public sealed class RolloutControlTestsOnPostgres(PostgresServer server) : RolloutControlTests(server.NewDatabase());
