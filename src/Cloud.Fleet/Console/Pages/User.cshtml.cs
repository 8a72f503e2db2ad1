using System.Globalization;
using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Cloud.Fleet.Updates;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.Protos.V1;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EdgeSkyrmion.Cloud.Fleet.Console.Pages;

/// <summary>
/// One user: base vs personalized accuracy, the last plan's budget curve, and sending a published plan to their device
/// under an energy budget. Each field is checked first (budget at least one programming pulse of the device's preset,
/// threshold 0–100 %, the plan's predicted energy within the budget and its accuracy at the threshold); a refusal is
/// shown beside its field and nothing is stored.
/// </summary>
public sealed class UserPageModel(FleetDatabase db, DeviceRegistry registry, ModelCatalog catalog, UpdateBuilder builder, RolloutControl control,
    IAuthorizationService authorization) : PageModel
{
    public Protos.V1.UserReport Report { get; private set; } = null!;
    public IReadOnlyList<ModelCatalog.Entry> Versions { get; private set; } = [];
    public string ModelId => UserStore.ModelId(Report.UserId);
    public Dictionary<string, string> Errors { get; } = [];

    [BindProperty]
    public ulong? Version { get; set; }

    [BindProperty]
    public string? BudgetFj { get; set; }

    [BindProperty]
    public string? ThresholdPercent { get; set; } = "0";

    [BindProperty(SupportsGet = true, Name = "sent")]
    public string? Sent { get; set; }

    public IActionResult OnGet(string userId) => Load(userId) ? Page() : NotFound($"unknown user {userId}.");

    public async Task<IActionResult> OnPostAsync(string userId)
    {
        if (!(await authorization.AuthorizeAsync(User, OperatorConsole.Act).ConfigureAwait(false)).Succeeded) return Forbid();
        if (!Load(userId)) return NotFound($"unknown user {userId}.");
        ModelImage? target = Version is { } v ? catalog.Find(ModelId, v) : null;
        if (target is null) Errors[nameof(Version)] = $"Choose a published plan of {ModelId}.";
        DeviceRegistry.Device device = registry.Find(Report.DeviceId)!;
        double? budget = ParseNumber(BudgetFj);
        double? threshold = ParseNumber(ThresholdPercent);
        if (threshold is not (>= 0 and <= 100)) Errors[nameof(ThresholdPercent)] = $"\"{ThresholdPercent}\" is not a percentage from 0 to 100.";
        if (budget is null) Errors[nameof(BudgetFj)] = $"\"{BudgetFj}\" is not an energy in fJ.";
        else if (target is not null)
        {
            StateTable table = Presets.Get(device.Preset.Length > 0 ? device.Preset : target.PresetName);
            double pulseFj = Units.Femtojoules(table.PulseEnergyJ);
            if (budget < pulseFj)
                Errors[nameof(BudgetFj)] = $"{budget.Value.ToString("G4", CultureInfo.InvariantCulture)} fJ is below the energy of one programming pulse ({Format.Energy(pulseFj)} on preset {table.Name}); nothing could be sent.";
            else if (Errors.Count == 0)
            {
                double predicted = Units.Femtojoules(builder.Build(device, target).Cost.EnergyJ);
                UserStore.Personalization? plan = new UserStore(db).Personalizations(Report.UserId).LastOrDefault(p => p.ModelId == ModelId && p.Version == target.Version);
                if (predicted > budget)
                    Errors[nameof(BudgetFj)] = $"{ModelId} v{target.Version} needs {Format.Energy(predicted)} on {device.DeviceId}, over the budget of {Format.Energy(budget.Value)}: plan it again with this budget (plan-update --budget-fj).";
                else if (plan is not null && plan.PersonalAccuracy * 100 < threshold)
                    Errors[nameof(ThresholdPercent)] = $"{ModelId} v{target.Version} reaches {Format.Percent(plan.PersonalAccuracy)}, below the threshold of {threshold.Value.ToString("0.#", CultureInfo.InvariantCulture)} %.";
                else if (plan is null && threshold > 0)
                    Errors[nameof(ThresholdPercent)] = $"{ModelId} v{target.Version} has no recorded plan, so its accuracy is unknown; set the threshold to 0 to send it anyway.";
            }
        }
        if (Errors.Count > 0)
        {
            return Page();
        }
        RolloutStatus started = control.Start(ModelId, target!.Version, [device.DeviceId]);
        return LocalRedirect($"{OperatorConsole.PathPrefix}/users/{Uri.EscapeDataString(userId)}?sent={started.RolloutId}");
    }

    private bool Load(string userId)
    {
        if (new UserStore(db).Find(userId) is null) return false;
        Report = Operator.UserReport.For(db, userId);
        Versions = catalog.List(ModelId);
        return true;
    }

    private static double? ParseNumber(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;
}
