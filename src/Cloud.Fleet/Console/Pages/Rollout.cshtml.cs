using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Protos.V1;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EdgeSkyrmion.Cloud.Fleet.Console.Pages;

/// <summary>
/// One rollout, live (console.js follows its server-sent events), with pause, resume, abort and roll back. An action
/// the rollout's state no longer allows (the page was stale) changes nothing and says why.
/// </summary>
public sealed class RolloutModel(RolloutControl control, IAuthorizationService authorization) : PageModel
{
    public RolloutStatus Status { get; private set; } = null!;
    public string? Message { get; private set; }

    public IActionResult OnGet(string rolloutId)
    {
        try { Status = control.Status(rolloutId); }
        catch (KeyNotFoundException e) { return NotFound(e.Message); }
        return Page();
    }

    public Task<IActionResult> OnPostPauseAsync(string rolloutId) => Act(rolloutId, control.Pause);

    public Task<IActionResult> OnPostResumeAsync(string rolloutId) => Act(rolloutId, control.Resume);

    public Task<IActionResult> OnPostCancelAsync(string rolloutId) => Act(rolloutId, control.Cancel);

    public Task<IActionResult> OnPostRollBackAsync(string rolloutId) => Act(rolloutId, control.RollBack);

    private async Task<IActionResult> Act(string rolloutId, Func<string, RolloutStatus> action)
    {
        if (!(await authorization.AuthorizeAsync(User, OperatorConsole.Act).ConfigureAwait(false)).Succeeded) return Forbid();
        try
        {
            RolloutStatus result = action(rolloutId);
            // Post/redirect/get: a reload does not repeat the action; a rollback lands on the rollout it started.
            return LocalRedirect($"{OperatorConsole.PathPrefix}/rollouts/{result.RolloutId}");
        }
        catch (KeyNotFoundException e)
        {
            return NotFound(e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            Message = e.Message + " Nothing was changed; the page now shows where the rollout stands.";
            Status = control.Status(rolloutId);
            return Page();
        }
    }
}
