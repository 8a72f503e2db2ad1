using System.Globalization;

namespace EdgeSkyrmion.Cloud.Fleet.Console;

/// <summary>Numbers as people read them: energies with an SI prefix (fJ … µJ), sizes in B/kB/MB, shares in %, times in UTC (the contract's enums: <see cref="Protos.V1.Words"/>).</summary>
public static class Format
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>An energy given in femtojoules, scaled to fJ, pJ, nJ, µJ or mJ with three significant digits.</summary>
    public static string Energy(double femtojoules)
    {
        if (femtojoules == 0) return "0 fJ";
        (double scale, string unit) = Math.Abs(femtojoules) switch
        {
            < 1e3 => (1.0, "fJ"),
            < 1e6 => (1e3, "pJ"),
            < 1e9 => (1e6, "nJ"),
            < 1e12 => (1e9, "µJ"),
            _ => (1e12, "mJ"),
        };
        return (femtojoules / scale).ToString("G3", Culture) + " " + unit;
    }

    public static string Bytes(long bytes) => bytes switch
    {
        < 1_000 => bytes.ToString("N0", Culture) + " B",
        < 1_000_000 => (bytes / 1e3).ToString("0.0", Culture) + " kB",
        _ => (bytes / 1e6).ToString("0.00", Culture) + " MB",
    };

    /// <summary>A share 0–1 as a percentage with one decimal.</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0.0", Culture) + " %";

    public static string Count(long n) => n.ToString("N0", Culture);

    public static string Seconds(double seconds) => seconds < 1 ? (seconds * 1e3).ToString("0", Culture) + " ms" : seconds.ToString("0.00", Culture) + " s";

    /// <summary>A Unix-ms time in UTC; "never" for 0 or none.</summary>
    public static string Time(long? unixMs) => unixMs is null or 0 ? "never"
        : DateTimeOffset.FromUnixTimeMilliseconds(unixMs.Value).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Culture) + " UTC";
}
