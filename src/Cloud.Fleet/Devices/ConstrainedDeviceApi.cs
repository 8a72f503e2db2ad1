using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Cloud.Fleet.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Fleet.Devices;

/// <summary>
/// The same update flow for devices without HTTP/2, as plain HTTP/1.1 with protobuf bodies
/// (Content-Type application/x-protobuf), authenticated by the headers X-Device-Id and Authorization: Bearer TOKEN,
/// within the <see cref="DeviceLimits"/> (requests per device and per source, body size):
///   POST /v1/hello   body Hello      → 200 Welcome
///   GET  /v1/update                  → 200 SignedUpdate (the next one), or 204 when there is none
///   POST /v1/ack     body UpdateAck  → 204 (its telemetry, if any, stored with it; 403 when it names another device)
/// </summary>
public static class ConstrainedDeviceApi
{
    private const string Protobuf = "application/x-protobuf";

    public static void Map(WebApplication app)
    {
        // Device messages are small: a body past the limit is refused (413) before it is read, not buffered.
        int maxBytes = app.Services.GetRequiredService<DeviceLimits>().MaxMessageBytes;
        app.UseWhen(c => c.Request.Path.StartsWithSegments(DeviceLimits.DevicePathPrefix, StringComparison.Ordinal), branch => branch.Use(async (context, next) =>
        {
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = maxBytes;
            await next(context).ConfigureAwait(false);
        }));
        app.MapPost("/v1/hello", async (HttpRequest request, DeviceRegistry devices, ServerIdentity identity, KeyRing keys, ILogger<DeviceRegistry> log) =>
        {
            Hello? hello = await Parse(request, Hello.Parser).ConfigureAwait(false);
            if (hello is null) return Results.BadRequest("body is not a Hello message.");
            if (!Authenticated(request, devices, log, out string deviceId)) return Results.Unauthorized();
            if (deviceId != hello.DeviceId)
            {
                log.LogWarning("rejected /v1/hello: device {Device} sent a Hello naming {Other}", deviceId, hello.DeviceId);
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            devices.RecordHello(hello);
            return Results.Bytes(FleetService.WelcomeFor(identity, keys).ToByteArray(), Protobuf);
        });
        app.MapGet("/v1/update", async (HttpRequest request, DeviceRegistry devices, FleetHub hub, ILogger<DeviceRegistry> log) =>
        {
            if (!Authenticated(request, devices, log, out string deviceId)) return Results.Unauthorized();
            FleetHub.InFlight? next = await hub.PrepareAsync(deviceId, partialUpdateId: null, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return next is null ? Results.NoContent() : Results.Bytes(next.SignedBytes, Protobuf);
        });
        app.MapPost("/v1/ack", async (HttpRequest request, DeviceRegistry devices, FleetHub hub, ILogger<DeviceRegistry> log) =>
        {
            if (!Authenticated(request, devices, log, out string deviceId)) return Results.Unauthorized();
            UpdateAck? ack = await Parse(request, UpdateAck.Parser).ConfigureAwait(false);
            if (ack is null) return Results.BadRequest("body is not an UpdateAck message.");
            if (ack.Telemetry is { } t && t.DeviceId != deviceId)
            {
                log.LogWarning("rejected /v1/ack: device {Device} sent telemetry for {Other}", deviceId, t.DeviceId);
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            try
            {
                await hub.OnAckAsync(deviceId, ack).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                log.LogWarning("rejected /v1/ack: {Reason}", e.Message);
                return Results.BadRequest(e.Message);
            }
            return Results.NoContent();
        });
    }

    /// <summary>
    /// The device id and token must belong together, and the connection's client certificate (mutual TLS) must be the
    /// device's own, or absent where the fleet does not require one; a refusal is logged with its reason (the token never is).
    /// </summary>
    private static bool Authenticated(HttpRequest request, DeviceRegistry devices, ILogger log, out string deviceId)
    {
        deviceId = request.Headers["X-Device-Id"].ToString();
        string auth = request.Headers.Authorization.ToString();
        string? reason = !auth.StartsWith("Bearer ", StringComparison.Ordinal) ? "no bearer token"
            : !devices.Authenticate(deviceId, auth["Bearer ".Length..]) ? "unknown device or a token that is not this device's"
            : request.HttpContext.RequestServices.GetRequiredService<Tls.DeviceCertificates>().Refusal(deviceId, request.HttpContext.Connection.ClientCertificate);
        if (reason is not null)
            log.LogWarning("rejected {Method} {Path} for device \"{Device}\" from {Remote}: {Reason}", request.Method, request.Path, deviceId, request.HttpContext.Connection.RemoteIpAddress, reason);
        return reason is null;
    }

    private static async Task<T?> Parse<T>(HttpRequest request, MessageParser<T> parser) where T : IMessage<T>
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
        try
        {
            return parser.ParseFrom(buffer.ToArray());
        }
        catch (InvalidProtocolBufferException)
        {
            return default;
        }
    }
}
