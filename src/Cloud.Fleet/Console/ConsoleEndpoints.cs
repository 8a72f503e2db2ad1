using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Console;

/// <summary>
/// The console's endpoints that are not pages: live rollout progress (server-sent events), the plots (SVG) and the
/// energy CSV. Each needs the console's read policy, like the pages.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>How often a rollout's event stream looks for changes: the bound on ack → page latency it adds.</summary>
    public static readonly TimeSpan RolloutPoll = TimeSpan.FromMilliseconds(100);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(WebApplication app)
    {
        RouteGroupBuilder console = app.MapGroup(OperatorConsole.PathPrefix).RequireAuthorization(OperatorConsole.Read);
        console.MapGet("/rollouts/{rolloutId}/events", RolloutEventsAsync);
        console.MapGet("/plots/devices/{deviceId}/energy.svg", (string deviceId, TelemetryHistory history) =>
        {
            IReadOnlyList<TelemetryHistory.Sample> samples = history.ForDevice(deviceId);
            return Svg(Plots.OverTime("Lifetime energy reported", "energy (nJ)", [.. samples.Select(s => s.UnixMs)], [.. samples.Select(s => Units.Nanojoules(s.LifetimeEnergyFj))]));
        });
        console.MapGet("/plots/devices/{deviceId}/failed.svg", (string deviceId, TelemetryHistory history) =>
        {
            IReadOnlyList<TelemetryHistory.Sample> samples = history.ForDevice(deviceId);
            return Svg(Plots.OverTime("Failed synapse devices reported", "failed devices", [.. samples.Select(s => s.UnixMs)], [.. samples.Select(s => (double)s.FailedDevices)]));
        });
        console.MapGet("/plots/users/{userId}/budget-curve.svg", (string userId, FleetDatabase db) =>
        {
            UserStore.Personalization? last = new UserStore(db).Personalizations(userId).LastOrDefault();
            IReadOnlyList<UserStore.CurvePoint> curve = last?.Curve ?? [];
            var markers = new List<(string, double)>();
            if (last?.BudgetFj is { } budget) markers.Add(("budget", Units.Nanojoules(budget)));
            if (last is not null) markers.Add(("chosen", Units.Nanojoules(last.EnergyFj)));
            return Svg(Plots.Line("Accuracy vs energy of the last plan", "energy (nJ)", "accuracy (%)",
                [.. curve.Select(p => Units.Nanojoules(p.EnergyFj))], [.. curve.Select(p => p.Accuracy * 100)], [.. markers]));
        });
        console.MapGet("/plots/energy/per-update.svg", (UpdateLog log) =>
            Svg(Plots.Histogram("Energy per applied update", "energy (nJ)", [.. log.Applied().Select(u => Units.Nanojoules(u.EnergyFj ?? 0))])));
        console.MapGet("/plots/energy/per-device.svg", (UpdateLog log) =>
            Svg(Plots.Histogram("Update energy per device", "energy (nJ)", [.. log.EnergyByDevice().Select(d => Units.Nanojoules(d.EnergyFj))])));
        console.MapGet("/plots/energy/cumulative.svg", (UpdateLog log) =>
        {
            IReadOnlyList<UpdateLog.Entry> applied = log.Applied();
            double sum = 0;
            return Svg(Plots.OverTime("Cumulative update energy", "energy (nJ)", [.. applied.Select(u => u.AckedMs ?? 0)],
                [.. applied.Select(u => sum += Units.Nanojoules(u.EnergyFj ?? 0))]));
        });
        console.MapGet("/energy.csv", (UpdateLog log) =>
            Results.File(Encoding.UTF8.GetBytes(EnergyCsv(log.Applied())), "text/csv; charset=utf-8", "edgeskyrmion-energy.csv"));
    }

    public const string CsvHeader = "update_id,rollout_id,device_id,model_id,base_version,new_version,kind,bytes,synapses_changed,pulses,energy_fj,estimated_energy_fj,programming_s,acked_utc";

    /// <summary>Every applied update's measured energy, one row each (energies in fJ, invariant culture).</summary>
    public static string EnergyCsv(IEnumerable<UpdateLog.Entry> applied)
    {
        var csv = new StringBuilder(CsvHeader).Append('\n');
        foreach (UpdateLog.Entry u in applied)
            csv.Append(CultureInfo.InvariantCulture, $"{u.UpdateId},{u.RolloutId},{Field(u.DeviceId)},{Field(u.ModelId)},{u.BaseVersion},{u.NewVersion},{Words.Kind(u.Kind)},{u.Bytes},")
               .Append(CultureInfo.InvariantCulture, $"{u.SynapsesChanged},{u.Pulses},{u.EnergyFj?.ToString("R", CultureInfo.InvariantCulture)},{u.EstimatedEnergyFj.ToString("R", CultureInfo.InvariantCulture)},")
               .Append(CultureInfo.InvariantCulture, $"{u.ProgrammingSeconds?.ToString("R", CultureInfo.InvariantCulture)},{DateTimeOffset.FromUnixTimeMilliseconds(u.AckedMs ?? 0).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}\n");
        return csv.ToString();
    }

    /// <summary>Quotes a field that holds a comma or quote (ids are free text).</summary>
    private static string Field(string text) => text.AsSpan().IndexOfAny(",\"\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static IResult Svg(string svg) => Results.Text(svg, "image/svg+xml; charset=utf-8", Encoding.UTF8);

    /// <summary>
    /// A rollout's status as server-sent events: one event when the stream opens and one each time anything changes,
    /// then "done" once the rollout is finished. The page updates in place; the browser reconnects if the stream drops.
    /// </summary>
    private static async Task RolloutEventsAsync(string rolloutId, HttpContext context, RolloutControl control)
    {
        RolloutStatus status;
        try { status = control.Status(rolloutId); }
        catch (KeyNotFoundException e)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync(e.Message, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        string? sent = null;
        CancellationToken ct = context.RequestAborted;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                string json = JsonSerializer.Serialize(Event(status), Json);
                if (json != sent)
                {
                    await context.Response.WriteAsync($"data: {json}\n\n", ct).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                    sent = json;
                }
                if (status.State is not (RolloutState.InProgress or RolloutState.Paused))
                {
                    await context.Response.WriteAsync("event: done\ndata: {}\n\n", ct).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                    return;
                }
                await Task.Delay(RolloutPoll, ct).ConfigureAwait(false);
                status = control.Status(rolloutId);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page was closed.
        }
    }

    private static object Event(RolloutStatus s) => new
    {
        state = Words.State(s.State), s.Pending, s.Sent, s.Applied, s.Rejected, s.Cancelled, s.Superseded, stopReason = s.StopReason,
        groups = s.Groups.Select(g => new { group = g.Group, state = Words.GroupState(g.State), g.Applied, g.Rejected, g.Cancelled, g.Superseded, g.Sent, g.Pending }),
        devices = s.Devices.Select(d => new
        {
            id = d.DeviceId, outcome = Words.Outcome(d.Outcome), bytes = d.Bytes > 0 ? Format.Bytes(d.Bytes) : "", acked = d.AckedUnixMs > 0 ? Format.Time(d.AckedUnixMs) : "",
            ackedMs = d.AckedUnixMs, reason = d.Reason,
        }),
    };
}
