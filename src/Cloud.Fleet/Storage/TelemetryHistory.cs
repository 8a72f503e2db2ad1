using EdgeSkyrmion.Protos.V1;
using System.Data.Common;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// Each device's telemetry over time (the devices table keeps only the latest): model version, failed synapse devices,
/// lifetime energy and temperature per report. Bounded to the newest <see cref="KeptPerDevice"/> reports of a device,
/// so a fleet reporting for years does not grow the file without end.
/// </summary>
public sealed class TelemetryHistory(FleetDatabase db)
{
    public const int KeptPerDevice = 1000;

    /// <summary>One report; <see cref="TemperatureK"/> is null where the device had no reading.</summary>
    public sealed record Sample(long UnixMs, ulong ModelVersion, int FailedDevices, int TotalDevices, double LifetimeEnergyFj, double? TemperatureK);

    /// <summary>
    /// Adds to <paramref name="batch"/> a report's append (only while <paramref name="onlyIf"/> holds) and the drop of the
    /// device's reports past the bound.
    /// </summary>
    public static void Append(StatementBatch batch, Telemetry t, double lifetimeEnergyFj, long nowMs, SqlCondition? onlyIf = null)
    {
        // A SELECT, not VALUES, to take a WHERE; the missing reading's type is named, which a SELECT cannot take from the column.
        batch.Add($"INSERT INTO telemetry_history SELECT @d, @t, @v, @f, @n, @e, CAST(@k AS DOUBLE PRECISION){(onlyIf is { } c ? " WHERE " + c.Sql : "")}",
            SqlCondition.With([("@d", t.DeviceId), ("@t", nowMs), ("@v", (long)t.ModelVersion), ("@f", (long)t.FailedDevices), ("@n", (long)t.TotalDevices),
                ("@e", lifetimeEnergyFj), ("@k", t.TemperatureK > 0 ? t.TemperatureK : null)], onlyIf));
        batch.Add("""
            DELETE FROM telemetry_history WHERE device_id = @d AND rowid NOT IN
              (SELECT rowid FROM telemetry_history WHERE device_id = @d ORDER BY unix_ms DESC, rowid DESC LIMIT @keep)
            """, ("@d", t.DeviceId), ("@keep", KeptPerDevice));
    }

    /// <summary>A device's reports, oldest first.</summary>
    public IReadOnlyList<Sample> ForDevice(string deviceId)
    {
        using DbConnection c = db.Open();
        using DbCommand cmd = FleetDatabase.Command(c, """
            SELECT unix_ms, model_version, failed_devices, total_devices, lifetime_energy_fj, temperature_k FROM telemetry_history
            WHERE device_id = @d ORDER BY unix_ms, rowid
            """, ("@d", deviceId));
        using DbDataReader r = cmd.ExecuteReader();
        var list = new List<Sample>();
        while (r.Read())
            list.Add(new Sample(r.GetInt64(0), (ulong)r.GetInt64(1), r.GetInt32(2), r.GetInt32(3), r.GetDouble(4), r.IsDBNull(5) ? null : r.GetDouble(5)));
        return list;
    }
}
