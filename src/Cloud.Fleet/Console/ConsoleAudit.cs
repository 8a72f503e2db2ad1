using System.Security.Claims;
using System.Text;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace EdgeSkyrmion.Cloud.Fleet.Console;

/// <summary>
/// Every form posted to the console (a rollout started, paused, aborted or rolled back, an update planned and sent)
/// goes into the same append-only <see cref="AuditLog"/> as the operator API's calls: who, which page and button, the
/// route and form values, from where, and whether it was done or refused. Logging in and out are not fleet actions.
/// A form added later is audited without being listed here.
/// </summary>
public sealed class ConsoleAudit(AuditLog audit) : IAsyncPageFilter
{
    private const string AntiForgeryField = "__RequestVerificationToken";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        HttpContext http = context.HttpContext;
        string page = context.ActionDescriptor.ViewEnginePath.TrimStart('/');
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || page is "Login" or "Logout")
        {
            await next().ConfigureAwait(false);
            return;
        }
        string action = "console " + page + (context.HandlerMethod?.Name is { Length: > 0 } handler ? "." + handler : "");
        string target = Target(context);
        PageHandlerExecutedContext executed = await next().ConfigureAwait(false);
        ClaimsPrincipal user = http.User;
        audit.Append(user.Identity?.Name ?? "", user.FindFirstValue(ClaimTypes.Role) ?? "", action, target,
            http.Connection.RemoteIpAddress?.ToString() ?? "", Outcome(executed));
    }

    /// <summary>Route values and form fields (never the anti-forgery token), each cut at 200 characters.</summary>
    private static string Target(PageHandlerExecutingContext context)
    {
        var text = new StringBuilder();
        void Add(string name, string value)
        {
            if (value.Length == 0) return;
            if (text.Length > 0) text.Append(' ');
            text.Append(name).Append('=').Append(value.Length > 200 ? value[..200] + "…" : value);
        }
        foreach ((string name, object? value) in context.RouteData.Values)
            if (name is not ("page" or "handler")) Add(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        if (context.HttpContext.Request.HasFormContentType)
            foreach ((string name, Microsoft.Extensions.Primitives.StringValues value) in context.HttpContext.Request.Form)
                if (name != AntiForgeryField) Add(name, value.ToString());
        return text.ToString();
    }

    /// <summary>A redirect is how every console action reports success; anything else re-showed the form or refused.</summary>
    private static string Outcome(PageHandlerExecutedContext executed) => executed.Exception is { } e ? $"failed: {e.Message}" : executed.Result switch
    {
        LocalRedirectResult or RedirectResult or RedirectToPageResult => "done",
        ForbidResult => "refused: not an admin",
        NotFoundObjectResult { Value: var why } => $"refused: {why}",
        _ => "refused (the page was shown again with the reason)",
    };
}
