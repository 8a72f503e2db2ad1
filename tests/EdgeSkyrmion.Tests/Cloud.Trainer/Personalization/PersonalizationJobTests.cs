using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.Cloud.Personalization;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Personalization;

public class PersonalizationJobTests
{
    [Fact]
    public void SmallNetGainsOnTheUsersStyleWithinTheBudget()
    {
        (byte[] images, byte[] labels) = SyntheticDigits.Make(400, seed: 7);
        var baseData = new DigitSet(DigitSplit.Train, images, labels);
        ModelFile baseModel = new MlpTrainer(new TrainingOptions { HiddenSizes = [32], Epochs = 3, Dropout = 0 }).Train(baseData, baseData).Model;
        double[] factors = ActivationNormalization.Factors(baseModel, baseData, NormalizationKind.Percentile999);
        StateTable table = Presets.Get(Presets.Default);
        ModelImage held = new SnnConverter(baseModel, factors, NormalizationKind.Percentile999).Quantized(SignedLevels.FromPreset(table, 13), 2.0, 30);

        (byte[] source, byte[] sourceLabels) = SyntheticDigits.Make(600, seed: 8);
        // Shrunk and rotated: the class bands no longer fall on the rows the base model learned.
        var style = new UserStyle(SlantDeg: 0, RotationDeg: 20, Thickness: 1, Scale: 0.8, ElasticAmplitudePx: 0, ElasticWavelengthPx: 12, ElasticPhaseRad: 0);
        (DigitSet train, DigitSet test) = UserDataSplit.Draw("tester", style, new DigitSet(DigitSplit.Test, source, sourceLabels), 200, 200);

        var settings = new PersonalizationJob.Settings { FineTune = new FineTuner.Options { Epochs = 20, L2ToBase = 0.01 }, SnnTimesteps = 30, MaxSynapsesFraction = null };
        PersonalizationJob.Result all = PersonalizationJob.Run(baseModel, held, train, test, settings);
        Assert.True(all.Curve[^1].Accuracy > all.Curve[0].Accuracy + 0.05, $"unbudgeted {all.Curve[^1].Accuracy} vs held {all.Curve[0].Accuracy}");
        Assert.True(all.PersonalAccuracy > all.BaseAccuracy, $"SNN {all.PersonalAccuracy} vs {all.BaseAccuracy}");

        double budget = all.UnbudgetedEnergyFj / 4;
        PersonalizationJob.Result quarter = PersonalizationJob.Run(baseModel, held, train, test, settings with { BudgetFj = budget });
        Assert.InRange(quarter.Chosen.EnergyFj, 0, budget);
        Assert.True(quarter.Chosen.SynapsesChanged < all.Chosen.SynapsesChanged);
        Assert.Equal(quarter.Chosen.SynapsesChanged, UpdatePlanner.Rank(held, quarter.Planned, [.. held.Layers.Select(l => new float[l.Inputs * l.Outputs])], table).Count);
        Assert.Throws<ArgumentException>(() => PersonalizationJob.Run(baseModel, held, train, test, settings with { BudgetFj = table.PulseEnergyJ * 1e15 / 10 }));
    }
}
