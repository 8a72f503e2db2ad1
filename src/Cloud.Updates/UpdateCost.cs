using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Updates;

/// <summary>What an update will cost the device before it is sent, from the device preset's compact model.</summary>
public static class UpdateCost
{
    /// <summary>Delta and its cost: every device whose target changes pays its expected write-verify cost.</summary>
    public static (List<LayerDelta> Deltas, int Changed, ProgrammingCost.Estimate Cost) Diff(ModelImage from, ModelImage to)
    {
        StateTable table = Presets.Get(to.PresetName);
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
    public static (int Changed, ProgrammingCost.Estimate Cost) FullCost(ModelImage image)
    {
        StateTable table = Presets.Get(image.PresetName);
        byte[] targets = ImageTargets.From(image, table).Targets;
        var cost = default(ProgrammingCost.Estimate);
        var options = new ProgrammingOptions();
        foreach (byte t in targets) cost += ProgrammingCost.Move(table, 0, t, options.ReadsPerVerify);
        return (targets.Length / 2, cost);
    }
}
