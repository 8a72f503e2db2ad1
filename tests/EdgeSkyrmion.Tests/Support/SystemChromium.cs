using System.Diagnostics;
using PuppeteerSharp;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>
/// Debian's own headless Chromium, driven by PuppeteerSharp through its executable path (no browser is ever
/// downloaded). Missing, it is installed with apt when the tests run as root (as CI does, and scripts/test.sh first);
/// otherwise the tests fail saying how to install it.
/// </summary>
public static class SystemChromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    private static readonly Lock Gate = new();

    public static string ExecutablePath()
    {
        lock (Gate)
        {
            if (Candidates.FirstOrDefault(File.Exists) is { } found) return found;
            if (!IsRoot) throw new InvalidOperationException("Debian's chromium is not installed: run `sudo apt-get install -y chromium` (the console's browser tests drive it).");
            Apt("update");
            Apt("install", "-y", "chromium");
            return Candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("apt-get install chromium finished but no chromium binary is in /usr/bin.");
        }
    }

    /// <summary>
    /// Chromium trusting exactly one more server key besides the system's roots: that of the console under test, whose
    /// certificate a private CA signed. It is pinned by the SHA-256 of its public key (Chromium's SPKI allow-list), not
    /// by turning certificate checks off, so any other certificate on that port still fails the page.
    /// </summary>
    public static Task<IBrowser> LaunchAsync(string serverCertificatePemPath)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(serverCertificatePemPath));
        string spki = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        return Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath(),
            Headless = true,
            // Chromium's sandbox refuses to start as root; the tests load only the local console.
            Args = [$"--ignore-certificate-errors-spki-list={spki}", .. IsRoot ? new[] { "--no-sandbox" } : []],
        });
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static void Apt(params string[] args)
    {
        var psi = new ProcessStartInfo("apt-get") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"apt-get {string.Join(' ', args)} failed ({p.ExitCode}): {err.Result}");
    }
}
