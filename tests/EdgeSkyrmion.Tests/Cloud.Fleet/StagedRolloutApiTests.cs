using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet.Devices;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Fleet.Storage;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// Staged rollouts through the operator API (JSON over HTTP, the real server in memory on SQLite and on PostgreSQL, devices offline): groups and
/// thresholds are stored and shown per group, only the open group's devices are sent anything, a device registered
/// later joins a dynamic rollout's last group, a device already past the rollout's version is superseded rather than
/// sent a downgrade, an update in flight finishes before any other entry, a rollback stops the rollout it undoes, and
/// bad thresholds, groups or rollback versions and devices are a 400 naming what was wrong with nothing stored.
/// </summary>
public abstract class StagedRolloutApiTests(string? postgres) : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        (_app, _http, _) = await InMemoryFleet.StartAsync(postgres: postgres);
        foreach (string d in new[] { "off-1", "off-2", "off-3", "off-4" }) await Ok(await _http.PostAsJsonAsync("/api/devices", new { device_id = d }));
        foreach (ulong v in new ulong[] { 1, 2 })
            await Ok(await _http.PostAsJsonAsync("/api/models", new { image = Convert.ToBase64String(TestImages.Random([20, 8, 10], v, seed: 3, "stg").ToByteArray()) }));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private RolloutStore Store => _app.Services.GetRequiredService<RolloutStore>();

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<string> Refused(string path, object body)
    {
        HttpResponseMessage response = await _http.PostAsJsonAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("message").GetString()!;
    }

    [Fact]
    public async Task OnlyTheOpenGroupIsSentAndEachGroupShowsWhereItStands()
    {
        JsonElement started = await Ok(await _http.PostAsJsonAsync("/api/rollouts", new
        {
            model_id = "stg", version = 1, groups = new[] { new { percent = 25.0 }, new { percent = 100.0 } },
            success_threshold_percent = 100.0, error_threshold_percent = 0.0,
        }));
        string id = started.GetProperty("rolloutId").GetString()!;
        Assert.Equal("ROLLOUT_STATE_IN_PROGRESS", started.GetProperty("state").GetString());
        Assert.Equal((100.0, 0.0), (started.GetProperty("successThresholdPercent").GetDouble(), started.GetProperty("errorThresholdPercent").GetDouble()));
        JsonElement[] groups = [.. started.GetProperty("groups").EnumerateArray()];
        Assert.Equal(["ROLLOUT_GROUP_STATE_IN_PROGRESS", "ROLLOUT_GROUP_STATE_WAITING"], groups.Select(g => g.GetProperty("state").GetString()));
        Assert.Equal([1, 3], groups.Select(g => g.GetProperty("devices").GetInt32()));
        Assert.Equal([("off-1", 1), ("off-2", 2), ("off-3", 2), ("off-4", 2)],
            started.GetProperty("devices").EnumerateArray().Select(d => (d.GetProperty("deviceId").GetString()!, d.GetProperty("group").GetInt32())));

        Assert.Equal(id, Store.NextFor("off-1")?.RolloutId);
        Assert.Null(Store.NextFor("off-2"));

        // Pause holds the open group too; cancel reaches the waiting group's devices as well.
        Assert.Equal("ROLLOUT_STATE_PAUSED", (await Ok(await _http.PostAsJsonAsync($"/api/rollouts/{id}/pause", new { }))).GetProperty("state").GetString());
        Assert.Null(Store.NextFor("off-1"));
        await Ok(await _http.PostAsJsonAsync($"/api/rollouts/{id}/resume", new { }));
        Assert.Equal(id, Store.NextFor("off-1")?.RolloutId);
        Assert.Null(Store.NextFor("off-2"));
        JsonElement cancelled = await Ok(await _http.PostAsJsonAsync($"/api/rollouts/{id}/cancel", new { }));
        Assert.Equal([1, 3], cancelled.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("cancelled").GetInt32()));
    }

    [Fact]
    public async Task TheSummaryCountsWhatTheFullStatusListsWithoutTheDevices()
    {
        string id = (await Ok(await _http.PostAsJsonAsync("/api/rollouts", new
        {
            model_id = "stg", version = 1, groups = new[] { new { percent = 50.0 }, new { percent = 100.0 } }, success_threshold_percent = 50.0,
        }))).GetProperty("rolloutId").GetString()!;
        Store.Mark(id, "off-1", UpdateOutcome.Applied, null, null);
        Store.Mark(id, "off-2", UpdateOutcome.Rejected, null, "no room");
        Store.Advance(id);

        JsonElement full = await Ok(await _http.GetAsync($"/api/rollouts/{id}"));
        JsonElement summary = await Ok(await _http.GetAsync($"/api/rollouts/{id}?summary=true"));
        Assert.Equal(4, full.GetProperty("devices").GetArrayLength());
        Assert.False(summary.TryGetProperty("devices", out JsonElement listed) && listed.GetArrayLength() > 0, "the summary listed devices");
        // JSON leaves zero counts out: compare what each shows, absent included.
        static string Shown(JsonElement status, string field) => status.TryGetProperty(field, out JsonElement v) ? v.GetRawText() : "(absent)";
        foreach (string field in new[] { "state", "applied", "rejected", "sent", "pending", "cancelled", "groups", "successThresholdPercent", "createdUnixMs" })
            Assert.Equal(Shown(full, field), Shown(summary, field));
        Assert.Equal(("1", "1"), (Shown(summary, "applied"), Shown(summary, "rejected")));
        Assert.Equal(["ROLLOUT_GROUP_STATE_SUCCEEDED", "ROLLOUT_GROUP_STATE_IN_PROGRESS"],
            summary.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("state").GetString()));

        HttpResponseMessage unknown = await _http.GetAsync("/api/rollouts/r-000000000000?summary=true");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no rollout r-000000000000", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ADeviceRegisteredLaterJoinsTheLastGroupOfADynamicRollout()
    {
        string id = (await Ok(await _http.PostAsJsonAsync("/api/rollouts", new
        {
            model_id = "stg", version = 1, groups = new[] { new { percent = 50.0 }, new { percent = 100.0 } }, dynamic = true,
        }))).GetProperty("rolloutId").GetString()!;
        string fixedId = (await Ok(await _http.PostAsJsonAsync("/api/rollouts", new { model_id = "stg", version = 2, device_ids = new[] { "off-1" } })))
            .GetProperty("rolloutId").GetString()!;

        await Ok(await _http.PostAsJsonAsync("/api/devices", new { device_id = "late-5" }));

        JsonElement status = await Ok(await _http.GetAsync($"/api/rollouts/{id}"));
        Assert.True(status.GetProperty("dynamic").GetBoolean());
        JsonElement late = Assert.Single(status.GetProperty("devices").EnumerateArray(), d => d.GetProperty("deviceId").GetString() == "late-5");
        Assert.Equal(2, late.GetProperty("group").GetInt32());
        Assert.Equal("UPDATE_OUTCOME_PENDING", late.GetProperty("outcome").GetString());
        Assert.Equal(3, status.GetProperty("groups")[1].GetProperty("devices").GetInt32());
        // A rollout to a fixed list does not take in new devices.
        Assert.Equal(1, (await Ok(await _http.GetAsync($"/api/rollouts/{fixedId}"))).GetProperty("devices").GetArrayLength());
    }

    [Fact]
    public async Task BadThresholdsOrGroupsAreRefusedNamingWhatIsWrongAndNothingIsStored()
    {
        Assert.Equal("success threshold 150 %: must be within 0–100 %.", await Refused("/api/rollouts", new
        {
            model_id = "stg", version = 1, groups = new[] { new { percent = 100.0 } }, success_threshold_percent = 150.0,
        }));
        Assert.Equal("error threshold -5 %: must be within 0–100 %.", await Refused("/api/rollouts", new { model_id = "stg", version = 1, error_threshold_percent = -5.0 }));
        Assert.StartsWith("group 2 (10 %): percents are cumulative and must increase", await Refused("/api/rollouts", new
        {
            model_id = "stg", version = 1, groups = new[] { new { percent = 50.0 }, new { percent = 10.0 }, new { percent = 100.0 } },
        }));
        Assert.Equal("device off-2 is in group 1 and group 2; groups must not overlap.", await Refused("/api/rollouts", new
        {
            model_id = "stg", version = 1, groups = new[] { new { device_ids = new[] { "off-1", "off-2" } }, new { device_ids = new[] { "off-2" } } },
        }));
        Assert.Equal("group 2 is empty: give it a percent above 0 or at least one device.", await Refused("/api/rollouts", new
        {
            model_id = "stg", version = 1, groups = new[] { new { device_ids = new[] { "off-1" } }, new { device_ids = Array.Empty<string>() } },
        }));
        Assert.Equal("unknown device nobody.", await Refused("/api/rollouts", new
        {
            model_id = "stg", version = 1, groups = new[] { new { device_ids = new[] { "off-1" } }, new { device_ids = new[] { "nobody" } } },
        }));
        Assert.Equal(0, (await Ok(await _http.GetAsync("/api/rollouts"))).GetProperty("rollouts").GetArrayLength());
    }

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private async Task PublishAsync(ulong version) =>
        await Ok(await _http.PostAsJsonAsync("/api/models", new { image = Convert.ToBase64String(TestImages.Random([20, 8, 10], version, seed: 3, "stg").ToByteArray()) }));

    private void Holds(string deviceId, ulong version) => Service<DeviceRegistry>().Update(deviceId, "stg", version, new byte[32], "20-8-10", "");

    [Fact]
    public async Task ADeviceHoldingANewerVersionIsSupersededInsteadOfSentADowngradeAndTheNextGroupStillOpens()
    {
        await PublishAsync(3);
        string id = (await Ok(await _http.PostAsJsonAsync("/api/rollouts", new
        {
            model_id = "stg", version = 2, groups = new[] { new { device_ids = new[] { "off-1" } }, new { device_ids = new[] { "off-2" } } },
            success_threshold_percent = 100.0, error_threshold_percent = 0.0,
        }))).GetProperty("rolloutId").GetString()!;
        Holds("off-1", 3);

        Assert.Null(await Service<FleetHub>().PrepareUnboundedAsync("off-1", null));

        RolloutStore.DeviceStatus first = Store.Get(id).Devices.Single(d => d.DeviceId == "off-1");
        Assert.Equal((UpdateOutcome.Superseded, "the device holds v3, newer than v2"), (first.Outcome, first.Reason));
        // The rollout grain opens group 2 on the superseded device's news: a downgrade refused would have stopped it instead.
        var wait = System.Diagnostics.Stopwatch.StartNew();
        while (Store.NextFor("off-2") is null && wait.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50);
        Assert.Equal(id, Store.NextFor("off-2")?.RolloutId);
        JsonElement status = await Ok(await _http.GetAsync($"/api/rollouts/{id}"));
        Assert.Equal("ROLLOUT_STATE_IN_PROGRESS", status.GetProperty("state").GetString());
        Assert.Equal(1, status.GetProperty("superseded").GetInt32());
        Assert.Equal(["ROLLOUT_GROUP_STATE_SUCCEEDED", "ROLLOUT_GROUP_STATE_IN_PROGRESS"],
            status.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task APendingEntryOfAStoppedRolloutIsNotSent()
    {
        string id = (await Ok(await _http.PostAsJsonAsync("/api/rollouts", new
        {
            model_id = "stg", version = 1, groups = new[] { new { percent = 100.0 } }, error_threshold_percent = 0.0, dynamic = true,
        }))).GetProperty("rolloutId").GetString()!;
        Store.Mark(id, "off-1", UpdateOutcome.Rejected, null, "no room");
        Store.Advance(id);
        Assert.Equal(RolloutState.Stopped, Store.Get(id).State);
        // What a device registered on another node at the moment of the stop can leave (PostgreSQL, read committed):
        // a pending entry written after the stop cancelled the others.
        using (var c = Service<FleetDatabase>().Open())
            FleetDatabase.Execute(c, "UPDATE rollout_devices SET status = 'pending', reason = NULL WHERE rollout_id = @r AND device_id = 'off-2'", ("@r", id));

        Assert.Null(Store.NextFor("off-2"));
    }

    [Fact]
    public async Task ALateRejectionOfAnUpdateNoLongerInFlightLeavesTheEntryAlone()
    {
        string id = (await Ok(await _http.PostAsJsonAsync("/api/rollouts", new
        {
            model_id = "stg", version = 1, groups = new[] { new { percent = 100.0 } }, error_threshold_percent = 0.0,
        }))).GetProperty("rolloutId").GetString()!;
        Assert.True(Store.MarkIf(id, "off-1", UpdateOutcome.Pending, null, UpdateOutcome.Sent, "u-b", null));

        Assert.Equal(0, Store.Mark(id, "off-1", UpdateOutcome.Rejected, "u-a", "signed by a revoked key"));
        RolloutStore.DeviceStatus entry = Store.Get(id).Devices.Single(d => d.DeviceId == "off-1");
        Assert.Equal((UpdateOutcome.Sent, "u-b"), (entry.Outcome, entry.UpdateId));
        // The entry's own update's rejection counts.
        Assert.Equal(1, Store.Mark(id, "off-1", UpdateOutcome.Rejected, "u-b", "no room"));
        Assert.Equal(UpdateOutcome.Rejected, Store.Get(id).Devices.Single(d => d.DeviceId == "off-1").Outcome);
    }

    [Fact]
    public async Task AnUpdateAppliedWhoseAckWasLostIsSettledFromTheDevicesReportOfWhatItHolds()
    {
        string id = (await Ok(await _http.PostAsJsonAsync("/api/rollouts", new { model_id = "stg", version = 1, device_ids = new[] { "off-1" } })))
            .GetProperty("rolloutId").GetString()!;
        FleetHub hub = Service<FleetHub>();
        FleetHub.InFlight sent = (await hub.PrepareUnboundedAsync("off-1", null))!;
        // The device applied it and lost its stream before the ack; its next Hello reports the version and image it holds.
        Service<DeviceRegistry>().Update("off-1", "stg", 1, sent.ImageSha256, "20-8-10", "");

        Assert.Null(await hub.PrepareUnboundedAsync("off-1", null));
        Assert.Equal(UpdateOutcome.Applied, Store.Get(id).Devices.Single().Outcome);
        UpdateLog.Entry update = Assert.Single(Service<UpdateLog>().ForDevice("off-1"));
        Assert.Equal((sent.UpdateId, UpdateOutcome.Applied), (update.UpdateId, update.Outcome));
        Assert.NotNull(update.AckedMs);
    }

    [Fact]
    public async Task AnAckReplayedAfterTheDeviceMovedOnChangesNothing()
    {
        await Ok(await _http.PostAsJsonAsync("/api/rollouts", new { model_id = "stg", version = 1, device_ids = new[] { "off-1" } }));
        FleetHub hub = Service<FleetHub>();
        FleetHub.InFlight sent = (await hub.PrepareUnboundedAsync("off-1", null))!;
        var ack = new UpdateAck { UpdateId = sent.UpdateId, Applied = true };
        await hub.OnAckAsync("off-1", ack);
        Assert.Equal(1ul, Service<DeviceRegistry>().Find("off-1")!.ModelVersion);
        Holds("off-1", 2);

        await hub.OnAckAsync("off-1", ack);
        Assert.Equal(2ul, Service<DeviceRegistry>().Find("off-1")!.ModelVersion);
    }

    [Fact]
    public async Task TwoAcksOfOneUpdateAtOnceAreRecordedOnceWithOneOutcomeEverywhere()
    {
        string id = (await Ok(await _http.PostAsJsonAsync("/api/rollouts", new { model_id = "stg", version = 1, device_ids = new[] { "off-1", "off-2" } })))
            .GetProperty("rolloutId").GetString()!;
        FleetHub hub = Service<FleetHub>();
        UpdateAck Ack(string device, FleetHub.InFlight sent, bool applied) => new()
        {
            UpdateId = sent.UpdateId, Applied = applied, Reason = applied ? "" : "replayed with another outcome",
            Energy = new EnergyReport { ProgrammingPulses = 10, ProgrammingEnergyFj = 250 },
            Telemetry = new Telemetry { DeviceId = device, ModelVersion = applied ? 1ul : 0ul, TotalDevices = 200, Lifetime = new EnergyReport { ProgrammingEnergyFj = 250 } },
        };
        FleetHub.InFlight toFirst = (await hub.PrepareUnboundedAsync("off-1", null))!, toSecond = (await hub.PrepareUnboundedAsync("off-2", null))!;

        // Not awaited one by one: each reads the update still sent before either's writes reach the database (a retry
        // racing the first, or the same ack over each of two streams).
        await Task.WhenAll(hub.OnAckAsync("off-1", Ack("off-1", toFirst, true)), hub.OnAckAsync("off-1", Ack("off-1", toFirst, true)),
            hub.OnAckAsync("off-2", Ack("off-2", toSecond, true)), hub.OnAckAsync("off-2", Ack("off-2", toSecond, false)));

        Assert.Single(Service<TelemetryHistory>().ForDevice("off-1"));
        Assert.Single(Service<TelemetryHistory>().ForDevice("off-2"));
        Assert.Equal(UpdateOutcome.Applied, Store.Get(id).Devices.Single(d => d.DeviceId == "off-1").Outcome);
        // Of two acks saying different things, whichever was written first is what the update, the rollout entry, the
        // device's row and the energy ledger all say.
        UpdateOutcome logged = Service<UpdateLog>().Find(toSecond.UpdateId)!.Outcome;
        Assert.Equal(logged, Store.Get(id).Devices.Single(d => d.DeviceId == "off-2").Outcome);
        Assert.Equal(logged == UpdateOutcome.Applied ? 1ul : 0ul, Service<DeviceRegistry>().Find("off-2")!.ModelVersion);
        Assert.Equal(logged == UpdateOutcome.Applied ? [("off-1", 1, 250.0), ("off-2", 1, 250.0)] : [("off-1", 1, 250.0)],
            Service<UpdateLog>().EnergyByDevice().Select(e => (e.DeviceId, e.Updates, e.EnergyFj)).OrderBy(e => e.DeviceId));
    }

    [Fact]
    public async Task AnUpdateInFlightFinishesBeforeAnOlderRolloutResumedMeanwhileIsSent()
    {
        string older = (await Ok(await _http.PostAsJsonAsync("/api/rollouts", new { model_id = "stg", version = 1, device_ids = new[] { "off-1" } })))
            .GetProperty("rolloutId").GetString()!;
        await Ok(await _http.PostAsJsonAsync($"/api/rollouts/{older}/pause", new { }));
        await Task.Delay(5);
        string newer = (await Ok(await _http.PostAsJsonAsync("/api/rollouts", new { model_id = "stg", version = 2, device_ids = new[] { "off-1" } })))
            .GetProperty("rolloutId").GetString()!;
        Assert.True(Store.MarkIf(newer, "off-1", UpdateOutcome.Pending, null, UpdateOutcome.Sent, "u-newer", null));
        await Ok(await _http.PostAsJsonAsync($"/api/rollouts/{older}/resume", new { }));

        RolloutStore.NextEntry? next = Store.NextFor("off-1");
        Assert.Equal((newer, UpdateOutcome.Sent, "u-newer"), (next?.RolloutId, next?.Outcome, next?.UpdateId));
    }

    [Fact]
    public async Task ARolloutWhoseDevicesAreAllInFlightCanBePausedAndResumed()
    {
        string id = (await Ok(await _http.PostAsJsonAsync("/api/rollouts", new { model_id = "stg", version = 1, device_ids = new[] { "off-1" } })))
            .GetProperty("rolloutId").GetString()!;
        Assert.True(Store.MarkIf(id, "off-1", UpdateOutcome.Pending, null, UpdateOutcome.Sent, "u-1", null));

        Assert.Equal("ROLLOUT_STATE_PAUSED", (await Ok(await _http.PostAsJsonAsync($"/api/rollouts/{id}/pause", new { }))).GetProperty("state").GetString());
        Assert.Equal($"rollout {id} is paused; it cannot pause (it must be in progress).", await Refused($"/api/rollouts/{id}/pause", new { }));
        Assert.Equal("ROLLOUT_STATE_IN_PROGRESS", (await Ok(await _http.PostAsJsonAsync($"/api/rollouts/{id}/resume", new { }))).GetProperty("state").GetString());
    }

    [Fact]
    public async Task RollingBackARunningRolloutCancelsItAndTakesBackTheDevicesItReachedOrHasInFlight()
    {
        string id = (await Ok(await _http.PostAsJsonAsync("/api/rollouts", new { model_id = "stg", version = 2, device_ids = new[] { "off-1", "off-2", "off-3" } })))
            .GetProperty("rolloutId").GetString()!;
        Store.Mark(id, "off-1", UpdateOutcome.Applied, null, null);
        Holds("off-1", 2);
        Assert.True(Store.MarkIf(id, "off-2", UpdateOutcome.Pending, null, UpdateOutcome.Sent, "u-2", null));

        JsonElement back = await Ok(await _http.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { }));
        Assert.Equal("3", back.GetProperty("version").ToString());
        Assert.Equal(["off-1", "off-2"], back.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()));
        RolloutStore.Rollout undone = Store.Get(id);
        Assert.Equal(RolloutState.Cancelled, undone.State);
        Assert.Equal(UpdateOutcome.Cancelled, undone.Devices.Single(d => d.DeviceId == "off-3").Outcome);
    }

    [Fact]
    public async Task ARollbackOfAListedDeviceThatHoldsNoNewerVersionIsRefusedAndPublishesNothing()
    {
        Holds("off-1", 1);
        Assert.Equal("device off-1 holds stg v1, not a version of stg newer than v1; there is nothing to roll back.",
            await Refused("/api/models/stg/rollback", new { to_version = 1, device_ids = new[] { "off-1" } }));
        Assert.Equal("device off-4 holds no model, not a version of stg newer than v1; there is nothing to roll back.",
            await Refused("/api/models/stg/rollback", new { to_version = 1, device_ids = new[] { "off-4" } }));
        Assert.Equal(2, (await Ok(await _http.GetAsync("/api/models?model_id=stg"))).GetProperty("models").GetArrayLength());
        Assert.Equal(0, (await Ok(await _http.GetAsync("/api/rollouts"))).GetProperty("rollouts").GetArrayLength());
    }

    [Fact]
    public async Task ARollbackToAVersionTheCatalogDoesNotHoldIsRefusedAndPublishesNothing()
    {
        Assert.Equal("model stg v7 is not in the catalog (it holds v1, v2); there is nothing to roll back to.",
            await Refused("/api/models/stg/rollback", new { to_version = 7 }));
        Assert.Equal("model nope is not published.", await Refused("/api/models/nope/rollback", new { to_version = 1 }));
        Assert.Equal(2, (await Ok(await _http.GetAsync("/api/models?model_id=stg"))).GetProperty("models").GetArrayLength());
        Assert.Equal(0, (await Ok(await _http.GetAsync("/api/rollouts"))).GetProperty("rollouts").GetArrayLength());
    }
}

public sealed class StagedRolloutApiTestsOnSqlite() : StagedRolloutApiTests(null);

[Collection(PostgresCollection.Name)]
public sealed class StagedRolloutApiTestsOnPostgres(PostgresServer server) : StagedRolloutApiTests(server.NewDatabase());
