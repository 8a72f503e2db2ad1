using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Updates;

/// <summary>What an update will cost the device before it is sent, from the device preset's compact model.</summary>
public static class UpdateCost
{
    /// <summary>
    /// The state table an update to a device is priced with: its preset's table at the device's reported temperature
    /// (the nearest characterized one, <see cref="TemperatureTables"/>), or the preset's own table when the device
    /// reported none. A temperature outside the characterized range is refused with the range named, never extrapolated.
    /// </summary>
    public static StateTable TableAt(string preset, double? temperatureK)
    {
        StateTable table = Presets.Get(preset);
        return temperatureK is { } t ? TemperatureTables.ForDesign(table).At(t) : table;
    }

    /// <summary>Delta and its cost: every device whose target changes pays its expected write-verify cost (at <paramref name="table"/>; default: the target's preset).</summary>
    public static (List<LayerDelta> Deltas, int Changed, ProgrammingCost.Estimate Cost) Diff(ModelImage from, ModelImage to, StateTable? table = null)
    {
        table ??= Presets.Get(to.PresetName);
        List<LayerDelta> deltas = DeltaEncoder.Encode(from, to);
        byte[] a = ImageTargets.From(from, table).Targets;
        byte[] b = ImageTargets.From(to, table).Targets;
        var cost = default(ProgrammingCost.Estimate);
        var options = new ProgrammingOptions();
        for (int d = 0; d < a.Length; d++)
            if (a[d] != b[d]) cost += ProgrammingCost.Move(table, a[d], b[d], options.ReadsPerVerify);
        return (deltas, deltas.Sum(l => (int)l.Count), cost);
    }

    /// <summary>Cost of programming a full image onto devices assumed to start in the background state.</summary>
    public static (int Changed, ProgrammingCost.Estimate Cost) FullCost(ModelImage image, StateTable? table = null)
    {
        table ??= Presets.Get(image.PresetName);
        byte[] targets = ImageTargets.From(image, table).Targets;
        var cost = default(ProgrammingCost.Estimate);
        var options = new ProgrammingOptions();
        foreach (byte t in targets) cost += ProgrammingCost.Move(table, 0, t, options.ReadsPerVerify);
        return (targets.Length / 2, cost);
    }
}
