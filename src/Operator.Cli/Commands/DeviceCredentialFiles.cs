using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// A registered device's credentials as files for `edge trust`, named as the device keeps them (DeviceCredentials), owner-only,
/// written into a temporary folder renamed into place at the end, so a failure leaves no half-saved credentials.
/// </summary>
internal static class DeviceCredentialFiles
{
    public static void Save(string folder, RegisterDeviceResponse registered)
    {
        string full = Path.GetFullPath(folder);
        string temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(temp);
        try
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Write(Path.Combine(temp, DeviceCredentials.TokenFile), registered.Token);
            if (registered.ClientCertificatePem.Length > 0)
            {
                Write(Path.Combine(temp, DeviceCredentials.ClientCertificateFile), registered.ClientCertificatePem);
                Write(Path.Combine(temp, DeviceCredentials.ClientKeyFile), registered.ClientKeyPem);
            }
            if (Directory.Exists(full)) Directory.Delete(full);
            Directory.Move(temp, full);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    private static void Write(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(text);
    }
}
