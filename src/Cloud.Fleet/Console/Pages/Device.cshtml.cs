using EdgeSkyrmion.Cloud.Fleet.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EdgeSkyrmion.Cloud.Fleet.Console.Pages;

/// <summary>One device: what it holds, its update history (estimate, then what it measured) and its telemetry over time.</summary>
public sealed class DevicePageModel(DeviceRegistry registry, UpdateLog log, TelemetryHistory history) : PageModel
{
    public DeviceRegistry.Device Device { get; private set; } = null!;
    public IReadOnlyList<UpdateLog.Entry> Updates { get; private set; } = [];
    public IReadOnlyList<TelemetryHistory.Sample> Telemetry { get; private set; } = [];

    public IActionResult OnGet(string deviceId)
    {
        if (registry.Find(deviceId) is not { } device) return NotFound($"unknown device {deviceId}.");
        Device = device;
        Updates = log.ForDevice(deviceId);
        Telemetry = history.ForDevice(deviceId);
        return Page();
    }
}
