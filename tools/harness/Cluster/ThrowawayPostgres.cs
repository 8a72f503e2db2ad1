using System.Diagnostics;
using System.Globalization;
using EdgeSkyrmion.Harness.Demo;
using Npgsql;

namespace EdgeSkyrmion.Harness.Cluster;

/// <summary>
/// A PostgreSQL 15 server of its own for the tests, chaos and load runs: Debian's binaries, a fresh data directory and
/// unix-socket folder in a temporary folder, a free loopback port, trust authentication for the `postgres` user on
/// loopback only, and <c>max_connections</c> raised: each fleet node opens up to two pools of 100 connections (the
/// fleet's tables and Orleans' grain state, reminders and membership), so three nodes may want 600; at 300 the
/// 20,000-device load test had PostgreSQL refuse nodes' connections ("53300: sorry, too many clients already"). As
/// root, initdb and pg_ctl refuse to run, so they run as the `postgres` user, which owns the folder.
/// <see cref="Stop"/>/<see cref="Start"/> restart it on the same port and data (the chaos restart-database fault);
/// <see cref="Dispose"/> stops it and removes everything.
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    public const int MaxConnections = 1000;

    private readonly string _root;
    private readonly bool _asPostgresUser;

    private readonly bool _statements;

    private ThrowawayPostgres(string root, int port, bool asPostgresUser, bool statements)
    {
        (_root, Port, _asPostgresUser, _statements) = (root, port, asPostgresUser, statements);
    }

    public int Port { get; }

    public string DataDirectory => Path.Combine(_root, "data");

    public string SocketDirectory => Path.Combine(_root, "socket");

    public string LogFile => Path.Combine(_root, "postgres.log");

    public bool Running { get; private set; }

    /// <summary>
    /// Creates and starts a server; throws, naming what to install, when PostgreSQL 15 is missing. With
    /// <paramref name="statements"/> the server loads pg_stat_statements (<see cref="PostgresStatements"/>).
    /// </summary>
    public static ThrowawayPostgres Create(bool statements = false)
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}/initdb missing): apt-get install postgresql (scripts/test.sh does, as root).");
        bool root = Environment.UserName == "root";
        string folder = Directory.CreateTempSubdirectory("es-postgres-").FullName;
        var server = new ThrowawayPostgres(folder, ProgramPaths.FreeLoopbackPort(), root, statements);
        try
        {
            Directory.CreateDirectory(server.SocketDirectory);
            if (root) Run("chown", ["-R", "postgres:postgres", folder]);
            server.RunTool("initdb", ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
            server.Start();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> on this server (over loopback TCP).</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ToString();

    /// <summary>Creates an empty database; returns its connection string.</summary>
    public string CreateDatabase(string name)
    {
        // Unpooled: a pooled connection would outlive a Stop/Start and fail on its next use.
        using var c = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        c.Open();
        using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "", StringComparison.Ordinal)}\"", c);
        cmd.ExecuteNonQuery();
        return ConnectionString(name);
    }

    /// <summary>Starts the server (again) on its port and data; returns when it accepts connections.</summary>
    public void Start()
    {
        string options = string.Join(' ', "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", SocketDirectory, "-c", "listen_addresses=127.0.0.1",
            "-c", "max_connections=" + MaxConnections.ToString(CultureInfo.InvariantCulture), _statements ? "-c shared_preload_libraries=pg_stat_statements" : "");
        RunTool("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options, "start"]);
        Running = true;
    }

    /// <summary>Stops the server (fast shutdown: open sessions are ended, committed data kept). Clients' pooled connections break.</summary>
    public void Stop()
    {
        if (!Running) return;
        RunTool("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
        Running = false;
    }

    public void Dispose()
    {
        try
        {
            if (Running) RunTool("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "60", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already gone: removing the folder below is all that is left.
        }
        Running = false;
        NpgsqlConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private void RunTool(string tool, IReadOnlyList<string> args)
    {
        string path = Path.Combine(BinDirectory, tool);
        if (_asPostgresUser) Run("runuser", ["-u", "postgres", "--", path, .. args]);
        else Run(path, args);
    }

    private static void Run(string file, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start.");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(), stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}");
    }
}
