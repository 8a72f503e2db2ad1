using System.Globalization;
using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using Orleans.Runtime;
using Orleans.Storage;

namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// Orleans grain storage in the embedded default's SQLite fleet file (table <c>grain_state</c>), so a single node keeps
/// grain state where it keeps everything else and needs no server. The ETag is a row version: a write whose ETag is not
/// the stored one is refused (<see cref="InconsistentStateException"/>), as Orleans' own providers do.
/// </summary>
public sealed class SqliteGrainStorage(FleetDatabase db) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        using var c = db.Open();
        using var cmd = FleetDatabase.Command(c, "SELECT version, payload FROM grain_state WHERE state_name = @s AND grain_id = @g", ("@s", stateName), ("@g", grainId.ToString()));
        using var r = cmd.ExecuteReader();
        if (r.Read())
        {
            grainState.State = JsonSerializer.Deserialize<T>(r.GetString(1)) ?? throw new InvalidDataException($"grain_state: {stateName} of {grainId} is stored as null.");
            (grainState.ETag, grainState.RecordExists) = (r.GetInt64(0).ToString(CultureInfo.InvariantCulture), true);
        }
        else (grainState.State, grainState.ETag, grainState.RecordExists) = (Activator.CreateInstance<T>(), null, false);
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        long next = grainState.ETag is { } e ? long.Parse(e, CultureInfo.InvariantCulture) + 1 : 1;
        using var c = db.Open();
        // Inserted when new, updated only from the version this grain read: otherwise no row changes.
        using var cmd = FleetDatabase.Command(c, """
            INSERT INTO grain_state (state_name, grain_id, version, payload) VALUES (@s, @g, @v, @p)
            ON CONFLICT (state_name, grain_id) DO UPDATE SET version = excluded.version, payload = excluded.payload
            WHERE grain_state.version = excluded.version - 1
            """, ("@s", stateName), ("@g", grainId.ToString()), ("@v", next), ("@p", JsonSerializer.Serialize(grainState.State)));
        if (cmd.ExecuteNonQuery() == 0)
            throw new InconsistentStateException($"grain_state: {stateName} of {grainId} changed since it was read (ETag {grainState.ETag ?? "none"}).");
        (grainState.ETag, grainState.RecordExists) = (next.ToString(CultureInfo.InvariantCulture), true);
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        using var c = db.Open();
        FleetDatabase.Execute(c, "DELETE FROM grain_state WHERE state_name = @s AND grain_id = @g", ("@s", stateName), ("@g", grainId.ToString()));
        (grainState.State, grainState.ETag, grainState.RecordExists) = (Activator.CreateInstance<T>(), null, false);
        return Task.CompletedTask;
    }
}
