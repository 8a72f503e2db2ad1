using System.Net;
using System.Net.Sockets;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// A loopback TCP proxy in front of the server whose connections can be cut at once (RST, as a dropped radio link
/// looks to both ends). Traffic towards the device is paced at <paramref name="downstreamBytesPerSecond"/> so an
/// update spends long enough on the wire for a cut to land inside it. Either direction can be held (bytes read but
/// not forwarded) to place a fault exactly: nothing of an update delivered yet, or an ack sent but not delivered.
/// </summary>
public sealed class CuttableProxy : IDisposable
{
    private const int SliceBytes = 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly string _scheme;
    private readonly double _downstreamBytesPerSecond;
    private readonly List<Socket> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private long _downstreamBytes;
    private TaskCompletionSource? _downstreamHold, _upstreamHold;

    public CuttableProxy(Uri upstream, double downstreamBytesPerSecond)
    {
        _upstream = new IPEndPoint(IPAddress.Parse(upstream.Host), upstream.Port);
        _scheme = upstream.Scheme;
        _downstreamBytesPerSecond = downstreamBytesPerSecond;
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>The proxy's address, with the upstream's scheme: TLS passes through it end to end.</summary>
    public Uri Url => new($"{_scheme}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Bytes forwarded from the server to devices so far.</summary>
    public long DownstreamBytes => Interlocked.Read(ref _downstreamBytes);

    /// <summary>Stops forwarding traffic towards the devices until <see cref="Release"/> (or a cut drops it).</summary>
    public void HoldDownstream() => Interlocked.CompareExchange(ref _downstreamHold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>Stops forwarding traffic towards the server (acks, telemetry) until <see cref="Release"/> (or a cut drops it).</summary>
    public void HoldUpstream() => Interlocked.CompareExchange(ref _upstreamHold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>Forwards held traffic again, both directions.</summary>
    public void Release()
    {
        Interlocked.Exchange(ref _downstreamHold, null)?.TrySetResult();
        Interlocked.Exchange(ref _upstreamHold, null)?.TrySetResult();
    }

    /// <summary>Resets every open connection; new ones are accepted as before.</summary>
    public int CutAll()
    {
        lock (_open)
        {
            foreach (Socket s in _open)
            {
                try
                {
                    s.LingerState = new LingerOption(true, 0);
                    s.Close();
                }
                catch (ObjectDisposedException)
                {
                    // closed by the other side already
                }
            }
            int count = _open.Count;
            _open.Clear();
            return count;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket device;
            try { device = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await server.ConnectAsync(_upstream, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                device.Close();
                server.Dispose();
                continue;
            }
            lock (_open) _open.AddRange([device, server]);
            _ = PumpAsync(device, server, towardsDevice: false);
            _ = PumpAsync(server, device, towardsDevice: true);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool towardsDevice)
    {
        var buffer = new byte[SliceBytes];
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0) break;
                if ((towardsDevice ? Volatile.Read(ref _downstreamHold) : Volatile.Read(ref _upstreamHold)) is { } hold)
                    await hold.Task.WaitAsync(_stop.Token).ConfigureAwait(false);
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (!towardsDevice) continue;
                Interlocked.Add(ref _downstreamBytes, n);
                await Task.Delay(TimeSpan.FromSeconds(n / _downstreamBytesPerSecond), _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // cut, or the other side went away
        }
        try { to.Shutdown(SocketShutdown.Send); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    public void Dispose()
    {
        Release();
        _stop.Cancel();
        _listener.Stop();
        CutAll();
        _stop.Dispose();
    }
}
