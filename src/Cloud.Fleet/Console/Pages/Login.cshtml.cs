using EdgeSkyrmion.Cloud.Fleet.Operator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EdgeSkyrmion.Cloud.Fleet.Console.Pages;

/// <summary>Takes an operator's token once and gives the session cookie; a wrong or missing token shows this page again, nothing else.</summary>
public sealed class LoginModel(OperatorStore operators, ILogger<LoginModel> log) : PageModel
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
        OperatorStore.Operator? who = string.IsNullOrWhiteSpace(Token) ? null : operators.Authenticate(Token.Trim());
        if (who is null)
        {
            log.LogWarning("console login refused from {Remote}: {Reason}", HttpContext.Connection.RemoteIpAddress, string.IsNullOrWhiteSpace(Token) ? "no token" : "wrong token");
            Error = string.IsNullOrWhiteSpace(Token) ? "Enter the operator token." : "That is not an operator token.";
            return Page();
        }
        log.LogInformation("console login by {Operator} ({Role}) from {Remote}", who.Name, who.Role, HttpContext.Connection.RemoteIpAddress);
        await OperatorConsole.SignInAsync(HttpContext, who).ConfigureAwait(false);
        // Only a local console path: an absolute URL here would send the operator elsewhere after login.
        return LocalRedirect(ReturnUrl is { } r && r.StartsWith(OperatorConsole.PathPrefix, StringComparison.Ordinal) && Url.IsLocalUrl(r) ? r : OperatorConsole.PathPrefix);
    }
}
