using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EdgeSkyrmion.Cloud.Fleet.Console.Pages;

/// <summary>Every rollout with its counts, and starting one (the same <see cref="RolloutControl"/> as the operator API).</summary>
public sealed class RolloutsModel(ModelCatalog catalog, RolloutStore rollouts, RolloutControl control, IAuthorizationService authorization) : PageModel
{
    [BindProperty]
    public string? Target { get; set; }

    [BindProperty]
    public string? DeviceIds { get; set; }

    public IReadOnlyList<ModelCatalog.Entry> Models { get; private set; } = [];
    public IReadOnlyList<RolloutStore.Summary> Rollouts { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];

    public void OnGet() => Load();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!(await authorization.AuthorizeAsync(User, OperatorConsole.Act).ConfigureAwait(false)).Succeeded) return Forbid();
        int at = Target?.LastIndexOf('@') ?? -1;
        ulong version = 0;
        if (at <= 0 || !ulong.TryParse(Target![(at + 1)..], System.Globalization.CultureInfo.InvariantCulture, out version))
            Errors[nameof(Target)] = "Choose a published version.";
        string[] devices = DeviceIds?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (Errors.Count == 0)
        {
            try
            {
                RolloutStatus started = control.Start(Target![..at], version, devices);
                return LocalRedirect($"{OperatorConsole.PathPrefix}/rollouts/{started.RolloutId}");
            }
            catch (ArgumentException e)
            {
                Errors[e.Message.StartsWith("unknown device", StringComparison.Ordinal) ? nameof(DeviceIds) : nameof(Target)] = e.Message;
            }
        }
        Load();
        return Page();
    }

    private void Load()
    {
        Models = catalog.List(null);
        Rollouts = rollouts.List();
    }
}
