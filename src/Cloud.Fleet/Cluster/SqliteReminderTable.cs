using System.Globalization;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using Orleans.Runtime;

namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// Orleans reminders in the embedded default's SQLite fleet file (table <c>reminders</c>): a rollout's reminder survives
/// the node's restart there as it does in PostgreSQL in a cluster. Rows carry the grain's uniform hash so the reminder
/// service can read the ring range it owns; the ETag is a row version.
/// </summary>
public sealed class SqliteReminderTable(FleetDatabase db) : IReminderTable
{
    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        Task.FromResult(Read("WHERE grain_id = @g", ("@g", grainId.ToString())));

    /// <summary>The ring range (begin, end]; it wraps when begin ≥ end.</summary>
    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        Task.FromResult(Read(begin < end ? "WHERE grain_hash > @b AND grain_hash <= @e" : "WHERE grain_hash > @b OR grain_hash <= @e", ("@b", (long)begin), ("@e", (long)end)));

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        Task.FromResult(Read("WHERE grain_id = @g AND reminder_name = @n", ("@g", grainId.ToString()), ("@n", reminderName)).Reminders.FirstOrDefault());

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        using var c = db.Open();
        long version = FleetDatabase.Scalar<long>(c, """
            INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_unix_ms, period_ms, version) VALUES (@g, @n, @h, @s, @p, 1)
            ON CONFLICT (grain_id, reminder_name) DO UPDATE SET start_unix_ms = excluded.start_unix_ms, period_ms = excluded.period_ms, version = reminders.version + 1
            RETURNING version
            """, ("@g", entry.GrainId.ToString()), ("@n", entry.ReminderName), ("@h", (long)entry.GrainId.GetUniformHashCode()),
            ("@s", new DateTimeOffset(entry.StartAt.ToUniversalTime()).ToUnixTimeMilliseconds()), ("@p", (long)entry.Period.TotalMilliseconds));
        return Task.FromResult<string?>(version.ToString(CultureInfo.InvariantCulture));
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, "DELETE FROM reminders WHERE grain_id = @g AND reminder_name = @n AND version = @v",
            ("@g", grainId.ToString()), ("@n", reminderName), ("@v", long.Parse(eTag, CultureInfo.InvariantCulture)));
        return Task.FromResult(cmd.ExecuteNonQuery() == 1);
    }

    public Task TestOnlyClearTable()
    {
        using var c = db.Open();
        FleetDatabase.Execute(c, "DELETE FROM reminders");
        return Task.CompletedTask;
    }

    private ReminderTableData Read(string where, params (string Name, object? Value)[] args)
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, "SELECT grain_id, reminder_name, start_unix_ms, period_ms, version FROM reminders " + where, args);
        using var r = cmd.ExecuteReader();
        var rows = new List<ReminderEntry>();
        while (r.Read())
            rows.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(r.GetString(0)), ReminderName = r.GetString(1), StartAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)).UtcDateTime,
                Period = TimeSpan.FromMilliseconds(r.GetInt64(3)), ETag = r.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            });
        return new ReminderTableData(rows);
    }
}
