using System.Diagnostics;

namespace EdgeSkyrmion.Cloud.Fleet.Devices;

/// <summary>
/// A token bucket for the messages one device sends on its open stream: the HTTP rate limiter sees a stream once, when
/// it opens, so without this a device could flood acks and telemetry through one long-lived call. One per stream,
/// touched only by that stream's reading loop; no allocation per message.
/// </summary>
public sealed class StreamMessageBudget(double messagesPerSecond, int burst)
{
    private double _tokens = burst;
    private long _lastTicks = Stopwatch.GetTimestamp();

    /// <summary>Takes one message's token; false when the device is over its rate.</summary>
    public bool TryTake()
    {
        long now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + (now - _lastTicks) * messagesPerSecond / Stopwatch.Frequency);
        _lastTicks = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
