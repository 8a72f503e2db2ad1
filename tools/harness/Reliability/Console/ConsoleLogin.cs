using System.Text.RegularExpressions;

namespace EdgeSkyrmion.Harness.Reliability.Console;

/// <summary>Logging in to the operator console as a browser does: GET the form, post the token with the form's anti-forgery field.</summary>
public static partial class ConsoleLogin
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>The anti-forgery token a console form carries; throws when the page has none.</summary>
    public static string AntiforgeryToken(string html) =>
        AntiforgeryField().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidDataException("the console page carries no anti-forgery field.");

    /// <summary>Logs in through <paramref name="http"/> (whose handler keeps cookies); throws unless the console took the token.</summary>
    public static async Task LogInAsync(HttpClient http, Uri console, string token, CancellationToken ct)
    {
        string form = await http.GetStringAsync(new Uri(console, "/console/login"), ct).ConfigureAwait(false);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Token"] = token, ["__RequestVerificationToken"] = AntiforgeryToken(form) });
        using HttpResponseMessage response = await http.PostAsync(new Uri(console, "/console/login"), content, ct).ConfigureAwait(false);
        if (response.Headers.Location?.OriginalString != "/console")
            throw new InvalidOperationException($"the console refused the operator token ({(int)response.StatusCode}).");
    }
}
