using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Fleet;

/// <summary>The operator's HTTP/JSON API on the HTTP/1.1 endpoint: devices, models, rollouts, the signing key.</summary>
public static class OperatorApi
{
    public sealed record RegisterRequest(string DeviceId);
    public sealed record RegisterResponse(string DeviceId, string Token);
    public sealed record RolloutRequest(string ModelId, ulong Version, string[]? Devices);
    public sealed record RolloutResponse(string RolloutId, int Devices);
    public sealed record KeyResponse(string KeyId, string PublicKeyDerBase64);
    public sealed record ImageRequest(string ModelId, ulong Version);

    public static void Map(WebApplication app)
    {
        RouteGroupBuilder api = app.MapGroup("/api");
        api.MapPost("/devices", (RegisterRequest request, DeviceRegistry devices) =>
            Run(() => Results.Ok(new RegisterResponse(request.DeviceId, devices.Register(request.DeviceId)))));
        api.MapGet("/devices", (DeviceRegistry devices) => Results.Ok(devices.All()));
        api.MapGet("/devices/{id}", (string id, DeviceRegistry devices, UpdateLog log) =>
            devices.Find(id) is { } d ? Results.Ok(new { device = d, updates = log.ForDevice(id) }) : Results.NotFound(new { error = $"unknown device {id}" }));
        api.MapPost("/models", async (HttpRequest request, ModelCatalog catalog) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
            return Run(() =>
            {
                ModelImage image;
                try { image = ModelImage.Parser.ParseFrom(buffer.ToArray()); }
                catch (InvalidProtocolBufferException e) { throw new InvalidDataException($"request body is not a model image ({e.Message})."); }
                return Results.Ok(catalog.Publish(image));
            });
        });
        api.MapPost("/rollouts", (RolloutRequest request, RolloutStore rollouts, ModelCatalog catalog, DeviceRegistry devices, FleetHub hub, IHostApplicationLifetime life) =>
            Run(() =>
            {
                catalog.Get(request.ModelId, request.Version);
                string[] targets = request.Devices is { Length: > 0 } list ? list : [.. devices.All().Select(d => d.DeviceId)];
                foreach (string d in targets)
                    if (devices.Find(d) is null) throw new ArgumentException($"unknown device {d}.");
                string id = rollouts.Create(request.ModelId, request.Version, targets);
                _ = Task.Run(() => hub.PushAllAsync(targets, life.ApplicationStopping));
                return Results.Ok(new RolloutResponse(id, targets.Length));
            }));
        api.MapGet("/rollouts/{id}", (string id, RolloutStore rollouts) => Run(() =>
        {
            RolloutStore.Rollout r = rollouts.Get(id);
            return Results.Ok(new { r.RolloutId, r.ModelId, r.Version, pending = r.Count("pending"), sent = r.Count("sent"), applied = r.Count("applied"), rejected = r.Count("rejected"), devices = r.Devices });
        }));
        api.MapPost("/devices/{id}/image", (string id, ImageRequest request, DeviceRegistry devices, ModelCatalog catalog, UpdateBuilder builder) => Run(() =>
        {
            DeviceRegistry.Device device = devices.Find(id) ?? throw new ArgumentException($"unknown device {id}.");
            UpdateBuilder.Built built = builder.Build(device, catalog.Get(request.ModelId, request.Version), fullImage: true);
            return Results.Bytes(built.Bytes, "application/x-protobuf");
        }));
        api.MapGet("/signing-key", (ServerIdentity identity) => Results.Ok(new KeyResponse(identity.SigningKeyId, Convert.ToBase64String(identity.SigningPublicKeyDer))));
        api.MapGet("/health", (FleetHub hub) => Results.Ok(new { status = "ok", connected_devices = hub.Connected }));
    }

    /// <summary>Bad input is a 400 with the reason; nothing was changed.</summary>
    private static IResult Run(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            return Results.BadRequest(new { error = e.Message });
        }
    }
}
