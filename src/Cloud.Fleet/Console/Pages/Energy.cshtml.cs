using EdgeSkyrmion.Cloud.Fleet.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EdgeSkyrmion.Cloud.Fleet.Console.Pages;

/// <summary>What updates cost: per update and per device, cumulative and as histograms (the plots), with a CSV of every applied update.</summary>
public sealed class EnergyModel(UpdateLog log) : PageModel
{
    public IReadOnlyList<UpdateLog.Entry> Applied { get; private set; } = [];
    public IReadOnlyList<UpdateLog.DeviceEnergy> ByDevice { get; private set; } = [];
    public IReadOnlyList<UpdateLog.DeviceEnergy> TopDevices => [.. ByDevice.Take(20)];
    public IReadOnlyList<UpdateLog.Entry> Latest => [.. Applied.TakeLast(50).Reverse()];
    public double TotalFj => Applied.Sum(u => u.EnergyFj ?? 0);

    public void OnGet()
    {
        Applied = log.Applied();
        ByDevice = log.EnergyByDevice();
    }
}
