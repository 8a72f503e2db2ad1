using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EdgeSkyrmion.Cloud.Fleet.Console.Pages;

/// <summary>Ends the session (POST only, with the anti-forgery token of the layout's form).</summary>
public sealed class LogoutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect(OperatorConsole.PathPrefix);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(OperatorConsole.Scheme).ConfigureAwait(false);
        return LocalRedirect(OperatorConsole.PathPrefix + "/login");
    }
}
