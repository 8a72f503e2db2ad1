using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Stdp;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Stdp;

public class StdpTrainingTests
{
    private static DigitSet Set(DigitSplit split, int count, int seed)
    {
        (byte[] images, byte[] labels) = SyntheticDigits.Make(count, seed);
        return new DigitSet(split, images, labels);
    }

    private static StdpTrainingResult Train(int? states, int seed = 1) =>
        StdpTraining.Train(new StdpSettings { Neurons = 20 }, Set(DigitSplit.Train, 200, 1), new StdpTrainingOptions
        {
            Images = 200,
            DeviceStates = states,
            Preset = Presets.Get(Presets.Default),
            Seed = seed,
            LabellingImages = 200,
            Threads = 2,
        });

    [Theory]
    [InlineData(null)]
    [InlineData(6)]
    public void UnsupervisedLearningSeparatesTheSyntheticClasses(int? states)
    {
        StdpTrainingResult result = Train(states);
        StdpEvaluation e = StdpResponses.Evaluate(result.Model, Set(DigitSplit.Test, 100, 2), 100, seed: 1, threads: 2);
        Assert.True(e.Accuracy >= 0.6, $"accuracy {e.Accuracy:P1} with {result.Model.SynapseKind}");
        Assert.True(result.Model.Labels.Distinct().Count(l => l != NeuronLabels.Unlabelled) >= 6);
    }

    [Fact]
    public void DiscreteLearningSpendsPulsesThroughTheLedgerAndStoresDeviceStates()
    {
        StdpTrainingResult result = Train(6);
        Assert.True(result.Learning.ProgrammingPulses > 0);
        Assert.Equal(result.Learning.ProgrammingPulses, result.Learning.InitializationPulses);
        Assert.Equal(result.Learning.ProgrammingPulses * Presets.Get(Presets.Default).PulseEnergyJ + result.Learning.InitializationPulses * Presets.Get(Presets.Default).InitializationPulseEnergyJ,
            result.Learning.TotalEnergyJ, 1e-18);
        float[] levels = DeviceSynapses.Levels(DerivedStateTable.For(Presets.Get(Presets.Default), 6), 1.0);
        for (int k = 0; k < result.Model.Weights.Length; k++) Assert.Equal(levels[result.Model.DeviceStateValues![k]], result.Model.Weights[k]);
    }

    [Fact]
    public void TheSameSeedTrainsTheSameModel()
    {
        StdpTrainingResult a = Train(6, seed: 7), b = Train(6, seed: 7);
        Assert.Equal(a.Model.Weights, b.Model.Weights);
        Assert.Equal(a.Model.ThetaV, b.Model.ThetaV);
    }
}
