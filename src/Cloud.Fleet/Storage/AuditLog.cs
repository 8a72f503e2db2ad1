namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// Every state-changing operator action — who, what, on what, when, from where, and whether it was done or refused —
/// in one append-only table: the server only inserts, and triggers (Storage/Schema) abort any UPDATE or DELETE of a row.
/// </summary>
public sealed class AuditLog(FleetDatabase db)
{
    public sealed record Entry(long Sequence, long UnixMs, string Operator, string Role, string Action, string Target, string Remote, string Outcome);

    private readonly FleetDatabase _db = db;

    public void Append(string operatorName, string role, string action, string target, string remote, string outcome)
    {
        using var c = _db.Open();
        FleetDatabase.Execute(c, "INSERT INTO audit (unix_ms, operator, role, action, target, remote, outcome) VALUES (@t, @o, @r, @a, @g, @f, @x)",
            ("@t", FleetDatabase.NowMs()), ("@o", operatorName), ("@r", role), ("@a", action), ("@g", target), ("@f", remote), ("@x", outcome));
    }

    /// <summary>Entries after <paramref name="afterSequence"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<Entry> Read(long afterSequence, int limit)
    {
        using var c = _db.Open();
        using var cmd = FleetDatabase.Command(c, "SELECT seq, unix_ms, operator, role, action, target, remote, outcome FROM audit WHERE seq > @after ORDER BY seq LIMIT @n",
            ("@after", afterSequence), ("@n", limit));
        using var row = cmd.ExecuteReader();
        var entries = new List<Entry>();
        while (row.Read())
            entries.Add(new Entry(row.GetInt64(0), row.GetInt64(1), row.GetString(2), row.GetString(3), row.GetString(4), row.GetString(5), row.GetString(6), row.GetString(7)));
        return entries;
    }
}
