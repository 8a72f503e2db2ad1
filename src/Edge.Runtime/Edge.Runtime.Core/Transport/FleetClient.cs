using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace EdgeSkyrmion.Edge.Transport;

/// <summary>
/// The device's side of the fleet stream: connect, say Hello (with what it holds and any partial transfer to
/// resume), reassemble pushed chunks durably, apply each complete update through <see cref="UpdateApplier"/>, ack
/// it and report telemetry. Reconnects after <see cref="ReconnectBackoff"/> waits (full jitter under a ceiling of 0.2 s
/// doubling to 60 s, back to 0.2 s once a session is welcomed); a refusal
/// that retrying cannot fix (unknown device, bad token, unsupported schema) ends the loop with an error.
/// Given several cloud URLs (the nodes of a fleet cluster), a session that fails moves to the next one, so a device
/// whose node died reconnects through another.
/// </summary>
public sealed class FleetClient(EdgeDevice device, DeviceCredentials credentials, IReadOnlyList<Uri> clouds, Action<string> log)
{
    public FleetClient(EdgeDevice device, DeviceCredentials credentials, Uri cloud, Action<string> log) : this(device, credentials, [cloud], log)
    {
    }

    private int _node;

    /// <summary>The cloud URL this client connects to now (or next).</summary>
    public Uri Cloud => clouds[_node];

    private readonly ChunkAssembler _assembler = new(device.StateDirectory);
    private readonly UpdateApplier _applier = new(device, credentials.Trust(device.StateDirectory));

    // A device trusts only the CA it pinned at provisioning: without one it will not speak TLS to anybody.
    private readonly Lazy<System.Security.Cryptography.X509Certificates.X509Certificate2?> _ca = new(() =>
        clouds.Any(c => c.Scheme == Uri.UriSchemeHttps) && credentials.CaPem is null
            ? throw new InvalidDataException($"the cloud {clouds.First(c => c.Scheme == Uri.UriSchemeHttps)} speaks TLS but this device has pinned no CA: provision it with `edge trust --ca`.")
            : credentials.Ca());

    /// <summary>The applier this client uses (shared with the local provisioning port).</summary>
    public UpdateApplier Applier => _applier;

    /// <summary>Called after each ack is sent (tests and the demo wait on it).</summary>
    public event Action<UpdateAck>? Acked;

    /// <summary>Raised when a node welcomes this device, with that node's URL (cluster harnesses count failovers).</summary>
    public event Action<Uri>? Welcomed;

    public int Sessions { get; private set; }

    private CancellationTokenSource? _session;
    private volatile bool _reconnectRequested;

    /// <summary>
    /// Ends the current session and connects again at once, so the cloud hears a fresh Hello (used after the
    /// device was reprogrammed locally, e.g. through the provisioning port).
    /// </summary>
    public void Reconnect()
    {
        _reconnectRequested = true;
        _session?.Cancel();
    }

    /// <summary>Overrides the channel's HTTP handler (in-memory test servers).</summary>
    public HttpMessageHandler? Handler { get; init; }

    public async Task RunAsync(CancellationToken ct)
    {
        ReconnectBackoff backoff = ReconnectBackoff.ForFleet();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await SessionAsync(backoff.Reset, ct).ConfigureAwait(false);
                backoff.Reset();
            }
            catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                return;
            }
            catch (Exception e) when (_reconnectRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                _reconnectRequested = false;
                log("reconnecting to report the locally programmed image");
                continue;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.FailedPrecondition or StatusCode.InvalidArgument)
            {
                throw new UnauthorizedAccessException($"the cloud refused this device: {e.Status.Detail}", e);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && IsCertificateRefusal(e))
            {
                log($"refused the server at {Cloud}: its TLS certificate is not one the pinned CA issued for this host; {Next()} within {backoff.Ceiling.TotalSeconds:F1} s");
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is RpcException or IOException or HttpRequestException or ObjectDisposedException)
            {
                log($"connection lost ({e.GetType().Name}: {e.Message.Split('\n')[0]}); {Next()} within {backoff.Ceiling.TotalSeconds:F1} s");
            }
            if (ct.IsCancellationRequested) return;
            await Task.Delay(backoff.Next(), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Moves to the next cloud URL, if there are several; says where the next attempt goes.</summary>
    private string Next()
    {
        if (clouds.Count == 1) return "retrying";
        _node = (_node + 1) % clouds.Count;
        return $"trying {Cloud}";
    }

    private static bool IsCertificateRefusal(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is System.Security.Authentication.AuthenticationException) return true;
        return false;
    }

    private async Task SessionAsync(Action welcomed, CancellationToken runToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(runToken);
        _session = session;
        CancellationToken ct = session.Token;
        Uri cloud = Cloud;
        using GrpcChannel channel = GrpcChannel.ForAddress(cloud, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 16 * 1024 * 1024,
            HttpHandler = Handler ?? credentials.WithClientCertificate(PinnedCa.Handler(cloud, _ca.Value)),
            DisposeHttpClient = Handler is null,
        });
        var client = new Fleet.FleetClient(channel);
        using AsyncDuplexStreamingCall<DeviceMessage, CloudMessage> call = client.Connect(cancellationToken: ct);
        await call.RequestStream.WriteAsync(new DeviceMessage { Hello = Hello() }, ct).ConfigureAwait(false);
        Sessions++;
        while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
        {
            CloudMessage message = call.ResponseStream.Current;
            if (message.KindCase == CloudMessage.KindOneofCase.Welcome)
            {
                welcomed();
                Welcomed?.Invoke(cloud);
                if (clouds.Count > 1) log($"welcomed by {cloud} (server {message.Welcome.ServerId})");
                if (message.Welcome.Delegation is { } current) TakeDelegation(current);
                else if (!credentials.PinsRoot && message.Welcome.SigningKeyId != credentials.CloudKeyId)
                    log($"warning: the cloud signs with key {message.Welcome.SigningKeyId}, this device trusts {credentials.CloudKeyId}; its updates will be refused.");
                continue;
            }
            if (message.KindCase == CloudMessage.KindOneofCase.Delegation)
            {
                TakeDelegation(message.Delegation);
                continue;
            }
            if (message.KindCase != CloudMessage.KindOneofCase.Chunk) continue;
            UpdateAck ack;
            try
            {
                UpdateChunk chunk = message.Chunk;
                byte[]? whole = _assembler.Accept(chunk);
                log($"received chunk {chunk.Index + 1} of {chunk.Count} of {chunk.UpdateId}");
                if (whole is null) continue;
                SignedUpdate signed = SignedUpdate.Parser.ParseFrom(whole);
                ack = _applier.Apply(signed, ProgrammingProgress(chunk.UpdateId));
                // An update refused before its signature verified has no trusted id; the chunks' id still tells the
                // cloud which of its sends failed, so its rollout records the rejection instead of waiting forever.
                if (ack.UpdateId.Length == 0) ack.UpdateId = chunk.UpdateId;
            }
            catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException)
            {
                ack = new UpdateAck { UpdateId = message.Chunk.UpdateId, Applied = false, ModelVersion = device.Committed.ModelVersion, Reason = e.Message };
            }
            log(ack.Applied ? $"applied {ack.UpdateId} → v{ack.ModelVersion} ({ack.DevicesProgrammed} devices, {ack.Seconds:F2} s)" : $"rejected {ack.UpdateId}: {ack.Reason}");
            ack.Telemetry = Telemetry();
            await call.RequestStream.WriteAsync(new DeviceMessage { Ack = ack }, ct).ConfigureAwait(false);
            Acked?.Invoke(ack);
        }
    }

    /// <summary>
    /// A line per 10 % of the devices programmed ("programming ID:  30%", the form `edge apply` prints), so an
    /// operator, or a fault injector, sees how far an update got; ten lines an update, nothing per pulse.
    /// </summary>
    private Action<double> ProgrammingProgress(string updateId)
    {
        int last = -1;
        return fraction =>
        {
            int percent = (int)(Math.Clamp(fraction, 0, 1) * 10) * 10;
            if (percent == last) return;
            last = percent;
            log($"programming {updateId}: {percent,3}%");
        };
    }

    /// <summary>A newer delegation is kept (a revocation takes effect before the next update); a bad one is logged and changes nothing.</summary>
    private void TakeDelegation(SignedDelegation signed)
    {
        try
        {
            if (_applier.Trust.Accept(signed)) log($"now trusting delegation v{_applier.Trust.DelegationVersion} from root {_applier.Trust.PinnedKeyId}");
        }
        catch (InvalidDataException e)
        {
            log($"refused a delegation: {e.Message}");
        }
    }

    private Hello Hello()
    {
        var s = device.Committed;
        var hello = new Hello
        {
            SchemaVersion = WireSchema.Current, DeviceId = s.DeviceId, Token = credentials.Token, ModelId = s.ModelId, ModelVersion = s.ModelVersion,
            ImageSha256 = s.Image.Length == 0 ? ByteString.Empty : ByteString.CopyFrom(System.Security.Cryptography.SHA256.HashData(s.Image)),
            Shape = device.Layout?.Shape ?? "none", Preset = s.Table.Name,
        };
        if (_assembler.Partial is { } partial)
        {
            hello.PartialUpdateId = partial.UpdateId;
            hello.NextChunk = partial.NextChunk;
        }
        return hello;
    }

    private Telemetry Telemetry() => new()
    {
        DeviceId = device.Committed.DeviceId, ModelVersion = device.Committed.ModelVersion, Lifetime = UpdateApplier.Report(device.Committed.Lifetime),
        FailedDevices = (uint)device.Devices.FailedCount, TotalDevices = (uint)device.Devices.Count, UnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        TemperatureK = device.TemperatureK ?? 0,
    };
}
