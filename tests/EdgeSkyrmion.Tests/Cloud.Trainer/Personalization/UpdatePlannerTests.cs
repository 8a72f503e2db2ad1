using EdgeSkyrmion.Cloud.Personalization;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Personalization;

public class UpdatePlannerTests
{
    private static readonly StateTable Table = Presets.Get(Presets.Default);

    /// <summary>One 2→1 layer; held at level 0 everywhere, target moves synapse 0 by one state and synapse 1 by six.</summary>
    private static (ModelImage Held, ModelImage Target) TwoChanges()
    {
        ModelImage held = TestImages.Random([2, 1], 1, seed: 1);
        held.Layers[0].PlusStates = ByteString.CopyFrom(0, 0);
        held.Layers[0].MinusStates = ByteString.CopyFrom(0, 0);
        held.Layers[0].NormalizationFactor = 1;
        ModelImage target = held.Clone();
        target.Version = 2;
        target.Layers[0].PlusStates = ByteString.CopyFrom(1, 6);
        return (held, target);
    }

    [Fact]
    public void EqualSaliencyGoesToTheCheaperChangeFirst()
    {
        (ModelImage held, ModelImage target) = TwoChanges();
        double step1 = Table.StateMeansG0[1] - Table.StateMeansG0[0], step6 = Table.StateMeansG0[6] - Table.StateMeansG0[0];
        // Gradients chosen so both changes promise the same loss drop: −g·ΔW equal.
        List<UpdatePlanner.Change> ranked = UpdatePlanner.Rank(held, target, [[(float)(-1 / step1), (float)(-1 / step6)]], Table);
        Assert.Equal(2, ranked.Count);
        Assert.Equal(0, ranked[0].Synapse);
        Assert.True(ranked[0].EnergyFj < ranked[1].EnergyFj);
        Assert.Equal(ranked[0].Saliency, ranked[1].Saliency, 1e-6);
    }

    [Fact]
    public void HigherSaliencyWinsAtEqualCostAndHarmfulChangesComeLast()
    {
        ModelImage held = TestImages.Random([3, 1], 1, seed: 2);
        held.Layers[0].PlusStates = ByteString.CopyFrom(0, 0, 0);
        held.Layers[0].MinusStates = ByteString.CopyFrom(0, 0, 0);
        held.Layers[0].NormalizationFactor = 1;
        ModelImage target = held.Clone();
        target.Layers[0].PlusStates = ByteString.CopyFrom(2, 2, 2);
        List<UpdatePlanner.Change> ranked = UpdatePlanner.Rank(held, target, [[-0.1f, -3f, 0.5f]], Table);
        Assert.Equal([1, 0, 2], ranked.Select(c => c.Synapse));
        Assert.True(ranked[2].Saliency < 0);
    }

    [Fact]
    public void SelectionRespectsTheBudgetAndSkipsToChangesThatStillFit()
    {
        (ModelImage held, ModelImage target) = TwoChanges();
        List<UpdatePlanner.Change> ranked = UpdatePlanner.Rank(held, target, [[-1f, -100f]], Table);
        Assert.Equal(1, ranked[0].Synapse);
        double cheap = ranked[1].EnergyFj, dear = ranked[0].EnergyFj;
        UpdatePlanner.Selection s = UpdatePlanner.Select(ranked, cheap + dear / 2, Table);
        Assert.Equal([0], s.Chosen.Select(c => c.Synapse));
        Assert.True(s.EnergyFj <= cheap + dear / 2);
        Assert.Equal(2, UpdatePlanner.Select(ranked, null, Table).SynapsesChanged);
    }

    [Fact]
    public void SynapseCapKeepsTheBestRankedChanges()
    {
        (ModelImage held, ModelImage target) = TwoChanges();
        List<UpdatePlanner.Change> ranked = UpdatePlanner.Rank(held, target, [[-1f, -100f]], Table);
        UpdatePlanner.Selection capped = UpdatePlanner.Select(ranked, null, Table, maxSynapses: 1);
        Assert.Equal([ranked[0].Synapse], capped.Chosen.Select(c => c.Synapse));
    }

    [Fact]
    public void BudgetBelowOnePulseIsRefused()
    {
        (ModelImage held, ModelImage target) = TwoChanges();
        List<UpdatePlanner.Change> ranked = UpdatePlanner.Rank(held, target, [[-1f, -1f]], Table);
        var e = Assert.Throws<ArgumentException>(() => UpdatePlanner.Select(ranked, Table.PulseEnergyJ * 1e15 / 2, Table));
        Assert.Contains("below the energy of one programming pulse", e.Message);
    }

    [Fact]
    public void AppliedPlanHoldsExactlyTheChosenChanges()
    {
        ModelImage held = TestImages.Random([30, 20, 10], 1, seed: 3);
        ModelImage target = TestImages.Mutated(held, 2, 0.2, seed: 4);
        float[][] gradients = [new float[600], new float[200]];
        List<UpdatePlanner.Change> ranked = UpdatePlanner.Rank(held, target, gradients, Table);
        UpdatePlanner.Change[] half = [.. ranked.Take(ranked.Count / 2)];
        ModelImage planned = UpdatePlanner.Apply(held, target, half);
        List<UpdatePlanner.Change> rest = UpdatePlanner.Rank(planned, target, gradients, Table);
        Assert.Equal(ranked.Count - half.Length, rest.Count);
        Assert.Equal(half.Length, UpdatePlanner.Rank(held, planned, gradients, Table).Count);
        Assert.True(UpdatePlanner.DeltaBytes(held, planned) < UpdatePlanner.DeltaBytes(held, target));
    }
}
