using System.Collections.Concurrent;

namespace EdgeSkyrmion.Cloud.Fleet.Devices;

/// <summary>
/// The device streams open on this node: each by the number the node gave it as it opened, and for each device the
/// newest of them, the one pushes are written on. Numbers rise in the order streams open here, so the newest stays the
/// device's whatever order its attaches and closes arrive in: two streams of one device opening at once on this node
/// reach its grain in either order, and the grain, which orders one node's streams by these numbers too, keeps the same.
/// </summary>
public sealed class DeviceStreams
{
    private long _opened;
    private readonly ConcurrentDictionary<string, FleetHub.Session> _byDevice = new();
    private readonly ConcurrentDictionary<long, FleetHub.Session> _byNumber = new();

    public int Count => _byDevice.Count;

    /// <summary>Each device's newest stream on this node.</summary>
    public ICollection<FleetHub.Session> All => _byDevice.Values;

    /// <summary>
    /// Numbers the stream and makes it its device's stream here, unless a newer one of the device is already open.
    /// Returns the stream that is no longer its device's newest here, for the caller to close: the one it replaced, or
    /// itself when it came second; null when the device had none.
    /// </summary>
    public FleetHub.Session? Open(FleetHub.Session session)
    {
        session.Number = Interlocked.Increment(ref _opened);
        _byNumber[session.Number] = session;
        FleetHub.Session? older = null;
        // The factories may run more than once under contention; the run that is stored sets `older` last.
        _byDevice.AddOrUpdate(session.DeviceId, _ =>
        {
            older = null;
            return session;
        }, (_, held) =>
        {
            older = held.Number > session.Number ? session : held;
            return held.Number > session.Number ? held : session;
        });
        return older;
    }

    /// <summary>The device's newest stream on this node, or null.</summary>
    public FleetHub.Session? Of(string deviceId) => _byDevice.TryGetValue(deviceId, out FleetHub.Session? s) ? s : null;

    public bool IsCurrent(FleetHub.Session session) => Of(session.DeviceId) == session;

    /// <summary>The open stream with this number, if it is the device's (the grain names both).</summary>
    public FleetHub.Session? Numbered(string deviceId, long number) =>
        _byNumber.TryGetValue(number, out FleetHub.Session? s) && s.DeviceId == deviceId ? s : null;

    /// <summary>Forgets the stream; true when it was its device's stream here.</summary>
    public bool Remove(FleetHub.Session session)
    {
        _byNumber.TryRemove(session.Number, out _);
        return _byDevice.TryRemove(new KeyValuePair<string, FleetHub.Session>(session.DeviceId, session));
    }
}
