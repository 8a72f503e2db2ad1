using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace EdgeSkyrmion.Cloud.Fleet.Devices;

/// <summary>
/// Abuse limits on the device APIs (the HTTP/1.1 /v1 endpoints and the gRPC Fleet stream), so one flooding device
/// or source cannot starve the rest: a token bucket per device id (the X-Device-Id header) and a larger one per
/// source address (ASP.NET Core's rate limiter, 429 with Retry-After), a cap on a device message's size, a cap
/// on concurrent streams per device id, and the same per-device rate for the messages inside an open stream
/// (<see cref="StreamMessageBudget"/>). The operator API is not limited here (it needs an operator token).
/// </summary>
public sealed record DeviceLimits(double DeviceRequestsPerSecond = 20, int DeviceBurst = 40, double SourceRequestsPerSecond = 2000, int SourceBurst = 20_000,
    int MaxMessageBytes = 64 * 1024, int MaxStreamsPerDevice = 2)
{
    /// <summary>A fresh budget for one stream's messages, at the device's request rate.</summary>
    public StreamMessageBudget StreamBudget() => new(DeviceRequestsPerSecond, DeviceBurst);

    public const string DevicePathPrefix = "/v1";

    public static readonly string StreamPath = "/" + Protos.V1.Fleet.Descriptor.FullName;

    private readonly ConcurrentDictionary<string, int> _streams = new();

    public static bool IsDeviceRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments(DevicePathPrefix, StringComparison.Ordinal) || context.Request.Path.StartsWithSegments(StreamPath, StringComparison.Ordinal);

    public void Configure(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (rejected, _) =>
        {
            rejected.HttpContext.Response.Headers.RetryAfter = "1";
            rejected.HttpContext.RequestServices.GetRequiredService<ILogger<DeviceLimits>>().LogWarning("rate-limited {Path} for device \"{Device}\" from {Remote}",
                rejected.HttpContext.Request.Path, rejected.HttpContext.Request.Headers["X-Device-Id"].ToString(), rejected.HttpContext.Connection.RemoteIpAddress);
            return ValueTask.CompletedTask;
        };
        // The device's own bucket is asked first, so a device over its limit does not also drain its source's.
        options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(c =>
                IsDeviceRequest(c) && c.Request.Headers["X-Device-Id"].ToString() is { Length: > 0 } device
                    ? RateLimitPartition.GetTokenBucketLimiter("device:" + device, _ => Bucket(DeviceRequestsPerSecond, DeviceBurst))
                    : RateLimitPartition.GetNoLimiter("")),
            PartitionedRateLimiter.Create<HttpContext, string>(c =>
                IsDeviceRequest(c)
                    ? RateLimitPartition.GetTokenBucketLimiter("source:" + c.Connection.RemoteIpAddress, _ => Bucket(SourceRequestsPerSecond, SourceBurst))
                    : RateLimitPartition.GetNoLimiter("")));
    }

    /// <summary>Takes a stream slot for the device; false when it already has <see cref="MaxStreamsPerDevice"/> open.</summary>
    public bool TryOpenStream(string deviceId)
    {
        while (true)
        {
            int open = _streams.GetOrAdd(deviceId, 0);
            if (open >= MaxStreamsPerDevice) return false;
            if (_streams.TryUpdate(deviceId, open + 1, open)) return true;
        }
    }

    /// <summary>Gives a stream slot back; a device with none open left is forgotten, so the map holds only devices with streams.</summary>
    public void CloseStream(string deviceId)
    {
        while (_streams.TryGetValue(deviceId, out int open))
        {
            if (open <= 1 ? _streams.TryRemove(new KeyValuePair<string, int>(deviceId, open)) : _streams.TryUpdate(deviceId, open - 1, open)) return;
        }
    }

    /// <summary>Devices holding stream slots now.</summary>
    internal int DevicesWithStreams => _streams.Count;

    private static TokenBucketRateLimiterOptions Bucket(double perSecond, int burst) => new()
    {
        TokenLimit = burst, TokensPerPeriod = Math.Max(1, (int)Math.Round(perSecond / 10)), ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
        QueueLimit = 0, AutoReplenishment = true,
    };
}
