using System.Net;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Edge.Transport;

/// <summary>
/// The device's local provisioning port (what `flash --device URL` talks to): plain HTTP/1.1,
/// <c>POST /provision</c> with a SignedUpdate body (a full signed image) → an UpdateAck body. The image goes
/// through the same <see cref="UpdateApplier"/> as pushed updates, so it is verified against the pinned key and
/// applied durably; it is meant for a bench or factory link, bound to loopback by default.
/// </summary>
public sealed class ProvisioningListener(UpdateApplier applier, Uri prefix, Action<string> log, Action? applied = null) : IDisposable
{
    private readonly HttpListener _listener = new();

    public async Task RunAsync(CancellationToken ct)
    {
        _listener.Prefixes.Add(prefix.ToString().EndsWith('/') ? prefix.ToString() : prefix + "/");
        _listener.Start();
        log($"provisioning port open on {prefix}");
        using CancellationTokenRegistration stop = ct.Register(_listener.Stop);
        while (!ct.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            await HandleAsync(context).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        HttpListenerResponse response = context.Response;
        try
        {
            if (context.Request.HttpMethod != "POST" || context.Request.Url?.AbsolutePath != "/provision")
            {
                response.StatusCode = 404;
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            UpdateAck ack;
            try
            {
                ack = applier.Apply(SignedUpdate.Parser.ParseFrom(body.ToArray()));
            }
            catch (InvalidProtocolBufferException e)
            {
                ack = new UpdateAck { Applied = false, Reason = $"body is not a signed image ({e.Message})." };
            }
            log(ack.Applied ? $"provisioned {ack.UpdateId} → v{ack.ModelVersion}" : $"refused provisioning image: {ack.Reason}");
            if (ack.Applied) applied?.Invoke();
            response.StatusCode = ack.Applied ? 200 : 400;
            response.ContentType = "application/x-protobuf";
            byte[] bytes = ack.ToByteArray();
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }
        finally
        {
            response.Close();
        }
    }

    public void Dispose() => ((IDisposable)_listener).Dispose();
}
