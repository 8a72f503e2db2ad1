using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EdgeSkyrmion.Cloud.Fleet.Console.Pages;

/// <summary>Takes the operator token once and gives the session cookie; a wrong or missing token shows this page again, nothing else.</summary>
public sealed class LoginModel(ConsoleCredential credential, ILogger<LoginModel> log) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Token { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!credential.Matches(Token))
        {
            log.LogWarning("console login refused from {Remote}: {Reason}", HttpContext.Connection.RemoteIpAddress, string.IsNullOrWhiteSpace(Token) ? "no token" : "wrong token");
            Error = string.IsNullOrWhiteSpace(Token) ? "Enter the operator token." : "That is not the operator token.";
            return Page();
        }
        await OperatorConsole.SignInAsync(HttpContext).ConfigureAwait(false);
        // Only a local console path: an absolute URL here would send the operator elsewhere after login.
        return LocalRedirect(ReturnUrl is { } r && r.StartsWith(OperatorConsole.PathPrefix, StringComparison.Ordinal) && Url.IsLocalUrl(r) ? r : OperatorConsole.PathPrefix);
    }
}
