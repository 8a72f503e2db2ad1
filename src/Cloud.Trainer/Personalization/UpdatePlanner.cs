using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Personalization;

/// <summary>
/// Energy-budgeted update planning. Every synapse whose (W⁺, W⁻) pair differs between what the device holds and the
/// personalized target is a candidate change. Its expected gain is the first-order drop of the user's training
/// loss, −∂L/∂W·ΔW (ΔW the dequantized weight change, ∂L/∂W as the caller measured it along the path); its price is the
/// expected write-verify energy of moving both devices (<see cref="ProgrammingCost"/>). Changes are ranked by gain
/// per femtojoule and taken greedily while they fit the budget.
/// </summary>
public static class UpdatePlanner
{
    public readonly record struct Change(int Layer, int Synapse, byte Plus, byte Minus, double Saliency, double EnergyFj, double Pulses)
    {
        public double SaliencyPerFj => Saliency / EnergyFj;
    }

    public sealed record Selection(IReadOnlyList<Change> Chosen, double EnergyFj, double Pulses)
    {
        public int SynapsesChanged => Chosen.Count;
    }

    /// <summary>The changes from <paramref name="held"/> to <paramref name="target"/>, best gain per fJ first.</summary>
    /// <param name="gradients">∂L/∂W per layer in the model file's [out, in] layout.</param>
    public static List<Change> Rank(ModelImage held, ModelImage target, float[][] gradients, StateTable table)
    {
        CheckSameShape(held, target);
        var options = new ProgrammingOptions();
        var changes = new List<Change>();
        for (int l = 0; l < target.Layers.Count; l++)
        {
            Layer from = held.Layers[l], to = target.Layers[l];
            int outputs = (int)to.Outputs, inputs = (int)to.Inputs;
            if (gradients[l].Length != inputs * outputs)
                throw new ArgumentException($"layer {l}: {gradients[l].Length} gradients for {inputs}×{outputs} synapses.");
            double previous = l == 0 ? 1.0 : target.Layers[l - 1].NormalizationFactor;
            double annPerG0 = to.NormalizationFactor / previous / to.Threshold;
            ReadOnlySpan<byte> fp = from.PlusStates.Span, fm = from.MinusStates.Span, tp = to.PlusStates.Span, tm = to.MinusStates.Span;
            for (int s = 0; s < tp.Length; s++)
            {
                if (fp[s] == tp[s] && fm[s] == tm[s]) continue;
                ProgrammingCost.Estimate cost = ProgrammingCost.Move(table, fp[s], tp[s], options.ReadsPerVerify)
                    + ProgrammingCost.Move(table, fm[s], tm[s], options.ReadsPerVerify);
                double deltaG0 = (target.StateMeansG0[tp[s]] - target.StateMeansG0[tm[s]]) - (held.StateMeansG0[fp[s]] - held.StateMeansG0[fm[s]]);
                int i = s / outputs, o = s % outputs;
                double saliency = -gradients[l][o * inputs + i] * deltaG0 * annPerG0;
                changes.Add(new Change(l, s, tp[s], tm[s], saliency, Units.Femtojoules(cost.EnergyJ), cost.Pulses));
            }
        }
        Sort(changes);
        return changes;
    }

    /// <summary>
    /// The order in which to send the changes from <paramref name="held"/> to <paramref name="target"/>: greedy by gain
    /// per fJ in rounds of <paramref name="roundFraction"/> of the total energy, the gradient re-measured at the image
    /// each round leaves behind. Changes interact (through the softmax and the next layers), so a gain measured
    /// at the held image goes stale once part of the update is in; re-measuring keeps every prefix of the order a
    /// good update on its own, which is what a budget cuts.
    /// </summary>
    public static List<Change> Order(ModelImage held, ModelImage target, Func<ModelImage, float[][]> gradientAt, StateTable table, double roundFraction = 0.05)
    {
        if (roundFraction is not (> 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(roundFraction), roundFraction, "the round must be a fraction in (0, 1].");
        List<Change> ranked = Rank(held, target, gradientAt(held), table);
        double round = roundFraction * ranked.Sum(c => c.EnergyFj);
        var order = new List<Change>(ranked.Count);
        ModelImage current = held;
        while (ranked.Count > 0)
        {
            double energy = 0;
            int taken = 0;
            while (taken < ranked.Count && (taken == 0 || energy + ranked[taken].EnergyFj <= round)) energy += ranked[taken++].EnergyFj;
            order.AddRange(ranked.Take(taken));
            if (taken == ranked.Count) break;
            current = Apply(current, target, ranked.Take(taken));
            ranked = Rank(current, target, gradientAt(current), table);
        }
        return order;
    }

    /// <summary>Best gain per fJ first; ties go to the cheaper change.</summary>
    public static void Sort(List<Change> changes) =>
        changes.Sort((a, b) => b.SaliencyPerFj.CompareTo(a.SaliencyPerFj) is var c && c != 0 ? c : a.EnergyFj.CompareTo(b.EnergyFj));

    /// <summary>
    /// Walks the ranking and takes every change that still fits the energy budget (null: no budget) and, when
    /// <paramref name="maxSynapses"/> is set, stops once the delta holds that many synapses (a cap on delta size).
    /// </summary>
    public static Selection Select(IReadOnlyList<Change> ranked, double? budgetFj, StateTable table, int? maxSynapses = null)
    {
        CheckBudget(budgetFj, table);
        var chosen = new List<Change>();
        double energy = 0, pulses = 0;
        foreach (Change c in ranked)
        {
            if (maxSynapses is { } cap && chosen.Count >= cap) break;
            if (budgetFj is { } budget && energy + c.EnergyFj > budget) continue;
            chosen.Add(c);
            energy += c.EnergyFj;
            pulses += c.Pulses;
        }
        return new Selection(chosen, energy, pulses);
    }

    /// <summary>Throws unless the budget (if any) pays for at least one programming pulse.</summary>
    public static void CheckBudget(double? budgetFj, StateTable table)
    {
        double pulseFj = Units.Femtojoules(table.PulseEnergyJ);
        if (budgetFj is { } b && !(b >= pulseFj))
            throw new ArgumentException($"--budget-fj {b}: below the energy of one programming pulse ({pulseFj:G4} fJ on preset {table.Name}); nothing could be sent.");
    }

    /// <summary>The image the device holds after the chosen changes: the target's header over the held states.</summary>
    public static ModelImage Apply(ModelImage held, ModelImage target, IEnumerable<Change> chosen)
    {
        CheckSameShape(held, target);
        ModelImage planned = target.Clone();
        byte[][] plus = [.. held.Layers.Select(l => l.PlusStates.ToByteArray())];
        byte[][] minus = [.. held.Layers.Select(l => l.MinusStates.ToByteArray())];
        foreach (Change c in chosen)
        {
            plus[c.Layer][c.Synapse] = c.Plus;
            minus[c.Layer][c.Synapse] = c.Minus;
        }
        for (int l = 0; l < planned.Layers.Count; l++)
        {
            planned.Layers[l].PlusStates = ByteString.CopyFrom(plus[l]);
            planned.Layers[l].MinusStates = ByteString.CopyFrom(minus[l]);
        }
        return planned;
    }

    /// <summary>Bytes of the sparse delta from <paramref name="held"/> to <paramref name="planned"/> (layer deltas + header, unsigned).</summary>
    public static int DeltaBytes(ModelImage held, ModelImage planned) =>
        DeltaEncoder.Encode(held, planned).Sum(d => d.CalculateSize()) + DeltaEncoder.Header(planned).CalculateSize();

    private static void CheckSameShape(ModelImage held, ModelImage target)
    {
        if (held.Layers.Count != target.Layers.Count || held.Layers.Zip(target.Layers).Any(p => p.First.Inputs != p.Second.Inputs || p.First.Outputs != p.Second.Outputs))
            throw new ArgumentException($"the device holds {held.ModelId} v{held.Version}, whose shape differs from the personalized model; flash a base image of the same shape first.");
        if (held.PresetName != target.PresetName)
            throw new ArgumentException($"the device holds an image for preset {held.PresetName}, the personalized model is for {target.PresetName}.");
    }
}
