using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EdgeSkyrmion.Cloud.Fleet.Console.Pages;

/// <summary>
/// Every rollout with its counts, and starting one, staged or not (the same <see cref="RolloutControl"/> and
/// <see cref="Rollouts.RolloutPlan"/> rules as the operator API): a refusal is shown beside the field it is about.
/// </summary>
public sealed class RolloutsModel(ModelCatalog catalog, RolloutStore rollouts, RolloutControl control, IAuthorizationService authorization) : PageModel
{
    [BindProperty]
    public string? Target { get; set; }

    [BindProperty]
    public string? DeviceIds { get; set; }

    /// <summary>Cumulative percents such as "1%,10%,100%"; empty: one group.</summary>
    [BindProperty]
    public string? Groups { get; set; }

    [BindProperty]
    public string? SuccessThreshold { get; set; }

    [BindProperty]
    public string? ErrorThreshold { get; set; }

    [BindProperty]
    public bool Dynamic { get; set; }

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
        RolloutPlan.GroupSpec[] groups = [];
        double? success = null, error = null;
        Read(nameof(Groups), () => groups = string.IsNullOrWhiteSpace(Groups) ? []
            : [.. Percent.Groups(Groups, "groups").Select(g => new RolloutPlan.GroupSpec(g.Percent, []))]);
        Read(nameof(SuccessThreshold), () => success = string.IsNullOrWhiteSpace(SuccessThreshold) ? null : Percent.Parse(SuccessThreshold, "success threshold"));
        Read(nameof(ErrorThreshold), () => error = string.IsNullOrWhiteSpace(ErrorThreshold) ? null : Percent.Parse(ErrorThreshold, "error threshold"));
        if (Errors.Count == 0)
        {
            try
            {
                RolloutStatus started = control.Start(Target![..at], version, devices, groups, success, error, Dynamic);
                return LocalRedirect($"{OperatorConsole.PathPrefix}/rollouts/{started.RolloutId}");
            }
            catch (ArgumentException e)
            {
                Errors[FieldOf(e.Message)] = e.Message;
            }
        }
        Load();
        return Page();
    }

    private void Read(string field, Action parse)
    {
        try { parse(); }
        catch (ArgumentException e) { Errors[field] = e.Message; }
    }

    /// <summary>Which field a refusal of <see cref="RolloutControl.Start"/> is about, from the words it begins with.</summary>
    private static string FieldOf(string message) => message switch
    {
        _ when message.StartsWith("success threshold", StringComparison.Ordinal) => nameof(SuccessThreshold),
        _ when message.StartsWith("error threshold", StringComparison.Ordinal) => nameof(ErrorThreshold),
        _ when message.StartsWith("group", StringComparison.Ordinal) => nameof(Groups),
        _ when message.StartsWith("dynamic", StringComparison.Ordinal) => nameof(Dynamic),
        _ when message.StartsWith("unknown device", StringComparison.Ordinal) || message.StartsWith("give the devices", StringComparison.Ordinal) => nameof(DeviceIds),
        _ => nameof(Target),
    };

    private void Load()
    {
        Models = catalog.List(null);
        Rollouts = rollouts.List();
    }
}
