using System.Data.Common;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Cloud.Fleet.Updates;
using EdgeSkyrmion.Protos.V1;
using Grpc.Core;

namespace EdgeSkyrmion.Cloud.Fleet.Devices;

/// <summary>
/// The gRPC face of the hub: authenticates the device's Hello, records what it holds, pushes its pending updates
/// and feeds acks and telemetry back. Thin by design; the logic is in <see cref="FleetHub"/>.
/// </summary>
public sealed class FleetService(FleetHub hub, DeviceRegistry devices, ServerIdentity identity, KeyRing keys, DeviceLimits limits, Tls.DeviceCertificates certificates, ILogger<FleetService> logger) : EdgeSkyrmion.Protos.V1.Fleet.FleetBase
{
    /// <summary>What a device hears first: who the server is, the key it signs with now and the newest delegation.</summary>
    public static Welcome WelcomeFor(ServerIdentity identity, KeyRing keys)
    {
        var welcome = new Welcome { ServerId = identity.ServerId, SchemaVersion = WireSchema.Current };
        if (keys.Delegation is { } delegation) welcome.Delegation = delegation;
        try
        {
            welcome.SigningKeyId = keys.Current().KeyId;
        }
        catch (InvalidOperationException)
        {
            // No key is vouched for now: the device still gets the delegation, and updates wait for a rotation.
        }
        return welcome;
    }

    public override async Task Connect(IAsyncStreamReader<DeviceMessage> requestStream, IServerStreamWriter<CloudMessage> responseStream, ServerCallContext context)
    {
        CancellationToken ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct).ConfigureAwait(false) || requestStream.Current.KindCase != DeviceMessage.KindOneofCase.Hello)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the first message on the stream must be Hello."));
        Hello hello = requestStream.Current.Hello;
        if (hello.SchemaVersion != WireSchema.Current)
        {
            logger.LogWarning("rejected connection from {Device}: schema v{Schema}", hello.DeviceId, hello.SchemaVersion);
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"schema v{hello.SchemaVersion} is not supported; this server speaks v{WireSchema.Current}."));
        }
        try
        {
            await AdmitAsync(hello, requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            // What the stream brought and was not stored (an ack, telemetry) comes again: the device reconnects and its
            // Hello says what it holds. Unavailable tells it to retry, where an escaped exception said only Unknown.
            logger.LogWarning("closed the stream of {Device}: the fleet database did not answer ({Message})", hello.DeviceId, e.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, $"the fleet database did not answer ({e.Message}); reconnect in a moment."));
        }
    }

    private async Task AdmitAsync(Hello hello, IAsyncStreamReader<DeviceMessage> requestStream, IServerStreamWriter<CloudMessage> responseStream, ServerCallContext context)
    {
        CancellationToken ct = context.CancellationToken;
        if (!devices.Authenticate(hello.DeviceId, hello.Token))
        {
            logger.LogWarning("rejected connection: unknown device or bad token for {Device}", hello.DeviceId);
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"unknown device {hello.DeviceId} or invalid token."));
        }
        if (certificates.Refusal(hello.DeviceId, context.GetHttpContext().Connection.ClientCertificate) is { } refusal)
        {
            logger.LogWarning("rejected connection from {Device}: {Reason}", hello.DeviceId, refusal);
            throw new RpcException(new Status(StatusCode.Unauthenticated, refusal));
        }
        if (!limits.TryOpenStream(hello.DeviceId))
        {
            logger.LogWarning("refused a stream for {Device}: it already has {Max} open", hello.DeviceId, limits.MaxStreamsPerDevice);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"device {hello.DeviceId} already has {limits.MaxStreamsPerDevice} streams open."));
        }
        try
        {
            await ServeAsync(hello, requestStream, responseStream, ct).ConfigureAwait(false);
        }
        finally
        {
            limits.CloseStream(hello.DeviceId);
        }
    }

    private async Task ServeAsync(Hello hello, IAsyncStreamReader<DeviceMessage> requestStream, IServerStreamWriter<CloudMessage> responseStream, CancellationToken ct)
    {
        devices.RecordHello(hello);
        var session = new FleetHub.Session(hello.DeviceId, responseStream, ct) { Hello = hello };
        try
        {
            await AttachAsync(session).ConfigureAwait(false);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, session.Cut);
            await ReadAsync(hello, session, requestStream, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            hub.Detach(session);
        }
    }

    /// <summary>Makes the stream the device's live one, cluster-wide; refused as Unavailable while the cluster cannot answer (a node just died).</summary>
    private async Task AttachAsync(FleetHub.Session session)
    {
        string? previous;
        try
        {
            previous = await hub.AttachAsync(session).ConfigureAwait(false);
        }
        catch (Exception e) when (FleetHub.IsClusterFault(e))
        {
            logger.LogWarning("refused the stream of {Device}: its grain is out of reach ({Message})", session.DeviceId, e.Message);
            throw new RpcException(new Status(StatusCode.Unavailable,
                $"the fleet cluster cannot take device {session.DeviceId}'s stream right now (a node is being replaced); reconnect in a moment."));
        }
        if (previous is not null && previous != identity.ServerId)
            logger.LogInformation("device {Device} reconnected here; its stream was on {Node}", session.DeviceId, previous);
    }

    /// <summary>Telemetry (on its own or in an ack) naming another device closes the stream, nothing stored.</summary>
    private void RefuseForeign(string deviceId, Telemetry? telemetry)
    {
        if (telemetry is null || telemetry.DeviceId == deviceId) return;
        logger.LogWarning("rejected telemetry: device {Device} reported for {Other}", deviceId, telemetry.DeviceId);
        throw new RpcException(new Status(StatusCode.PermissionDenied, "telemetry for another device."));
    }

    private async Task ReadAsync(Hello hello, FleetHub.Session session, IAsyncStreamReader<DeviceMessage> requestStream, CancellationToken ct)
    {
        try
        {
            await hub.SendAsync(session, new CloudMessage { Welcome = WelcomeFor(identity, keys) }, ct).ConfigureAwait(false);
            await hub.PushNextAsync(hello.DeviceId).ConfigureAwait(false);
            StreamMessageBudget budget = limits.StreamBudget();
            while (await requestStream.MoveNext(ct).ConfigureAwait(false))
            {
                if (!budget.TryTake())
                {
                    logger.LogWarning("closed the stream of {Device}: more than {Rate} messages/s (burst {Burst})", hello.DeviceId, limits.DeviceRequestsPerSecond, limits.DeviceBurst);
                    throw new RpcException(new Status(StatusCode.ResourceExhausted,
                        $"device {hello.DeviceId} sent more than {limits.DeviceRequestsPerSecond} messages/s (burst {limits.DeviceBurst}) on its stream; reconnect later."));
                }
                DeviceMessage message = requestStream.Current;
                switch (message.KindCase)
                {
                    case DeviceMessage.KindOneofCase.Ack:
                        RefuseForeign(hello.DeviceId, message.Ack.Telemetry);
                        try
                        {
                            await hub.OnAckAsync(hello.DeviceId, message.Ack).ConfigureAwait(false);
                        }
                        catch (ArgumentException e)
                        {
                            logger.LogWarning("closed the stream of {Device}: {Reason}", hello.DeviceId, e.Message);
                            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
                        }
                        break;
                    case DeviceMessage.KindOneofCase.Telemetry:
                        RefuseForeign(hello.DeviceId, message.Telemetry);
                        await hub.OnTelemetryAsync(message.Telemetry).ConfigureAwait(false);
                        break;
                    default:
                        throw new RpcException(new Status(StatusCode.InvalidArgument, $"unexpected {message.KindCase} after Hello."));
                }
            }
        }
        catch (OperationCanceledException) when (session.Cut.IsCancellationRequested)
        {
            logger.LogWarning("closed the stream of {Device}: {Reason}", hello.DeviceId, session.EndReason);
            throw new RpcException(new Status(session.Refused ? StatusCode.PermissionDenied : StatusCode.Aborted, session.EndReason ?? "closed by the server."));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The device went away; its in-flight update resumes when it reconnects.
        }
    }
}
