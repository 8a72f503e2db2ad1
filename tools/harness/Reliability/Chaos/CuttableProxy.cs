using System.Net;
using System.Net.Sockets;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// A loopback TCP proxy in front of the server whose connections can be cut at once (RST, as a dropped radio link
/// looks to both ends). Traffic towards the device is paced at <paramref name="downstreamBytesPerSecond"/> so an
/// update spends long enough on the wire for a cut to land inside it.
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
            _ = PumpAsync(device, server, paced: false);
            _ = PumpAsync(server, device, paced: true);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool paced)
    {
        var buffer = new byte[SliceBytes];
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0) break;
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (!paced) continue;
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
        _stop.Cancel();
        _listener.Stop();
        CutAll();
        _stop.Dispose();
    }
}
