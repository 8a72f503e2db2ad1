using System.Globalization;
using System.Text.Json.Serialization;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Edge.Energy;

namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>
/// What one refresh session did to the device's crossbar: devices checked in the policy's order, re-programmed (of them,
/// those that still held their target), left failed, off target before and after, the energy booked, and where in its
/// order the next session starts. <see cref="Spent"/> is reported in the edge's energy units beside it, not twice.
/// </summary>
public sealed record RefreshReport(double TemperatureK, string Table, double BudgetJ, int Devices, int DevicesChecked, int DevicesReprogrammed,
    int DevicesReprogrammedOnTarget, int DevicesFailed, int OffTargetBefore, int OffTargetAfter, [property: JsonIgnore] EnergyTally Spent, bool BudgetExhausted,
    int StartedAt, int NextStartsAt, string? RecoveredUpdate);

public sealed partial class EdgeDevice
{
    /// <summary>Where the next refresh session starts in the policy's order, with the model version that order belongs to.</summary>
    public const string RefreshCursorFileName = "refresh-cursor";

    /// <summary>
    /// One session of the <see cref="RefreshPolicy"/> on the held devices at <paramref name="temperatureK"/> (the table of
    /// that temperature), spending at most <paramref name="budgetJ"/>, booked in the device's lifetime ledger and committed
    /// with the same atomic snapshot write as an update. The policy's place in its order is kept beside the state, so the
    /// next session resumes where this one stopped, as the wrist simulation assumes; a new model version, or a missing or
    /// unreadable cursor, starts from the top (the cursor only orders the work: losing it loses no state).
    /// </summary>
    public RefreshReport Refresh(double budgetJ, double temperatureK)
    {
        if (!(budgetJ >= 0) || double.IsInfinity(budgetJ)) throw new ArgumentException($"the refresh budget must be a finite energy ≥ 0 (got {budgetJ * 1e9} nJ).");
        if (Layout is null) throw new InvalidDataException($"device {_committed.DeviceId} holds no model yet: there is nothing to refresh.");
        StateTable table = SenseTemperature(temperatureK);
        string cursorPath = Path.Combine(StateDirectory, RefreshCursorFileName);
        int start = ReadCursor(cursorPath);
        var policy = new RefreshPolicy(Layout, _committed.Targets, table.Drift, temperatureK, _options) { Cursor = start };
        int offBefore = OffTarget();
        double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        RefreshPolicy.Session s = policy.Run(Devices, budgetJ, idleS: now - _committed.LastProgrammedUnixS);
        if (s.DevicesChecked > 0)
        {
            _committed = _committed with
            {
                Lifetime = Devices.Ledger.Snapshot(),
                LastProgrammedUnixS = s.DevicesReprogrammed > 0 ? now : _committed.LastProgrammedUnixS,
            };
            Save();
            AtomicFile.Write(cursorPath, System.Text.Encoding.UTF8.GetBytes(
                string.Create(CultureInfo.InvariantCulture, $"{policy.Cursor}\n{_committed.ModelVersion}\n{_committed.ModelId}\n")));
        }
        return new RefreshReport(temperatureK, table.Name, budgetJ, Devices.Count, s.DevicesChecked, s.DevicesReprogrammed, s.DevicesReprogrammedOnTarget,
            s.DevicesFailed, offBefore, OffTarget(), s.Spent, s.BudgetExhausted, start, policy.Cursor,
            Recovered is { } r ? $"{r.UpdateId} (v{r.BaseVersion}→v{r.NewVersion}) finished on open, before the refresh" : null);
    }

    private int ReadCursor(string path)
    {
        if (!File.Exists(path)) return 0;
        string[] lines = File.ReadAllLines(path);
        return lines.Length == 3 && lines[2] == _committed.ModelId && lines[1] == _committed.ModelVersion.ToString(CultureInfo.InvariantCulture)
            && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out int cursor) && cursor < Devices.Count ? cursor : 0;
    }
}
