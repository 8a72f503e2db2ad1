using System.Globalization;
using Npgsql;

namespace EdgeSkyrmion.Harness.Reliability.Load;

/// <summary>
/// CPU time (user + system, seconds) processes have used, from Linux's /proc. Read before and after a rollout and
/// divided by the updates applied, it is what one update costs each part — the nodes, the load generators, PostgreSQL
/// — a figure that, unlike the rate, does not swing with whatever else shares the cores.
/// </summary>
public static class CpuClock
{
    /// <summary>/proc's clock ticks a second (USER_HZ, 100 on Linux whatever the kernel's own tick).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The CPU seconds each part has used so far; <see cref="Database"/> is null when PostgreSQL is not on this machine (or not used).</summary>
    public sealed record Reading(double Nodes, double Loadgens, double? Database);

    public static Reading Read(IEnumerable<int> nodes, IEnumerable<int> loadgens, int? postmaster) =>
        new(nodes.Sum(p => Seconds(p)), loadgens.Sum(p => Seconds(p)), postmaster is { } pm ? ServerSeconds(pm) : null);

    /// <summary>Milliseconds of CPU per update of each part between two readings.</summary>
    public static Dictionary<string, double> PerUpdateMs(Reading before, Reading after, int updates)
    {
        double Ms(double seconds) => seconds * 1000 / Math.Max(1, updates);
        var parts = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["nodes"] = Ms(after.Nodes - before.Nodes),
            ["loadgens"] = Ms(after.Loadgens - before.Loadgens),
        };
        if (before.Database is { } d0 && after.Database is { } d1) parts["database"] = Ms(d1 - d0);
        parts["total"] = parts.Values.Sum();
        return parts;
    }

    /// <summary>
    /// The PostgreSQL server behind <paramref name="connectionString"/>, if it runs on this machine: the parent of the
    /// backend serving this connection (the postmaster). Null when that backend is not a local process.
    /// </summary>
    public static int? PostmasterOf(string connectionString)
    {
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        int backend = c.ProcessID;
        return Stat(backend) is { } stat && Comm(backend) == "postgres" ? int.Parse(stat[1], CultureInfo.InvariantCulture) : null;
    }

    /// <summary>A process's own CPU seconds; 0 once it is gone.</summary>
    private static double Seconds(int pid) => Stat(pid) is { } s ? (Ticks(s, 11) + Ticks(s, 12)) / TicksPerSecond : 0;

    /// <summary>
    /// A PostgreSQL server's CPU seconds: the postmaster's own, its exited backends' (reaped, so counted in its
    /// children's time) and its live backends'. A backend that exits between two readings moves from one sum to the other.
    /// </summary>
    private static double ServerSeconds(int postmaster)
    {
        if (Stat(postmaster) is not { } pm) return 0;
        double ticks = Ticks(pm, 11) + Ticks(pm, 12) + Ticks(pm, 13) + Ticks(pm, 14);
        string parent = postmaster.ToString(CultureInfo.InvariantCulture);
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && Stat(pid) is { } s && s[1] == parent)
                ticks += Ticks(s, 11) + Ticks(s, 12);
        return ticks / TicksPerSecond;
    }

    /// <summary>/proc/PID/stat's fields after the command name (state first, then ppid, …; utime is [11], stime [12], cutime [13], cstime [14]).</summary>
    private static string[]? Stat(int pid) => ProcFile(pid, "stat") is { } line ? line[(line.LastIndexOf(')') + 2)..].Split(' ') : null;

    private static string? Comm(int pid) => ProcFile(pid, "comm")?.Trim();

    /// <summary>One of a process's /proc files; null once the process is gone (or not ours to read).</summary>
    private static string? ProcFile(int pid, string name)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{name}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Ticks(string[] stat, int index) => double.Parse(stat[index], CultureInfo.InvariantCulture);
}
