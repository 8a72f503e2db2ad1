using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;

namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>What aging did to a device's crossbar: the table it used, and how many devices ended off their targets.</summary>
public sealed record AgingReport(double DurationS, double TemperatureK, string Table, ulong Seed, int Devices, int DevicesMoved,
    int OffTargetBefore, int OffTargetAfter, int[] StatesBefore, int[] StatesAfter, string? RecoveredUpdate);

public sealed partial class EdgeDevice
{
    /// <summary>
    /// Ages the held devices by <paramref name="durationS"/> of idle at <paramref name="temperatureK"/> under the drift
    /// law of the temperature's table (<see cref="TemperatureTables"/>: outside the characterized range, refused) and
    /// commits the new states with the same atomic snapshot write as an update, so after a crash the directory holds
    /// the states from before or after aging, never a mix. <see cref="Open"/> has already finished a journaled update,
    /// so aging never interleaves with one. Deterministic for a seed.
    /// </summary>
    public AgingReport Age(double durationS, double temperatureK, ulong seed)
    {
        if (!(durationS >= 0) || double.IsInfinity(durationS)) throw new ArgumentException($"aging time must be a finite time ≥ 0 (got {durationS} s).");
        if (Layout is null) throw new InvalidDataException($"device {_committed.DeviceId} holds no model yet: there is nothing to age.");
        StateTable table = TemperatureTables.ForDesign(_committed.Table).At(temperatureK);
        DriftLaw law = table.Drift
            ?? throw new InvalidDataException($"table {table.Name} has no drift law: fit one with `device retention --attach`.");
        int[] before = Histogram();
        int offBefore = OffTarget();
        int moved = DeviceAging.Age(Devices, law, durationS, temperatureK, seed);
        Save();
        return new AgingReport(durationS, temperatureK, table.Name, seed, Devices.Count, moved, offBefore, OffTarget(), before, Histogram(),
            Recovered is { } r ? $"{r.UpdateId} (v{r.BaseVersion}→v{r.NewVersion}) finished on open, before aging" : null);
    }

    /// <summary>Devices whose physical state differs from the state the held image asks for.</summary>
    public int OffTarget() => Devices.CountOffTarget(_committed.Targets);

    private int[] Histogram()
    {
        var counts = new int[Devices.Table.States];
        foreach (byte s in Devices.States) counts[s]++;
        return counts;
    }
}
