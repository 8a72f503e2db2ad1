using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EdgeSkyrmion.Cloud.Fleet.Console.Pages;

/// <summary>Every device, a page at a time from the database: search, filter by version held and health.</summary>
public sealed class FleetModel(DeviceRegistry registry) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "version")]
    public ulong? Version { get; set; }

    [BindProperty(SupportsGet = true, Name = "health")]
    public string? Health { get; set; }

    // "p", not "page": Razor Pages keeps "page" for the page's own route value.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<DeviceRegistry.Device> Devices { get; private set; } = [];
    public IReadOnlyList<ulong> Versions { get; private set; } = [];
    public int Total { get; private set; }
    public int Offset => (PageNumber - 1) * PageSize;
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public string? Error { get; private set; }

    public void OnGet()
    {
        Versions = registry.VersionsHeld();
        DeviceHealth? health = Health switch
        {
            null or "" => null,
            "healthy" => DeviceHealth.Healthy,
            "degraded" => DeviceHealth.Degraded,
            "no-model" => DeviceHealth.NoModel,
            _ => DeviceHealth.Unspecified,
        };
        if (health == DeviceHealth.Unspecified || PageNumber < 1 || !ModelState.IsValid)
        {
            Error = "The filter was not understood: choose a version and health from the lists, and a page ≥ 1.";
            return;
        }
        (Devices, Total) = registry.Page(new DeviceRegistry.Query(Q, Version, health, Offset, PageSize));
    }

    public string HealthText(DeviceRegistry.Device d) => Words.Health(HealthOf(d));

    public string HealthClass(DeviceRegistry.Device d) => HealthOf(d) switch
    {
        DeviceHealth.Healthy => "ok",
        DeviceHealth.Degraded => "warn",
        _ => "idle",
    };

    private static DeviceHealth HealthOf(DeviceRegistry.Device d) => Operator.FleetMessages.Device(d).Health;

    public string PageLink(int page)
    {
        var query = new Dictionary<string, string?> { ["q"] = Q, ["version"] = Version?.ToString(System.Globalization.CultureInfo.InvariantCulture), ["health"] = Health, ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(OperatorConsole.PathPrefix, query.Where(kv => !string.IsNullOrEmpty(kv.Value)));
    }
}
