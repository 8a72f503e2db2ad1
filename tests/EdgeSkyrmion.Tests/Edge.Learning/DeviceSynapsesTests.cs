using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Energy;
using EdgeSkyrmion.Edge.Stdp;

namespace EdgeSkyrmion.Tests.Stdp;

public class DeviceSynapsesTests
{
    private const int Inputs = DiehlCookNetwork.Inputs;
    private static readonly StateTable Six = DerivedStateTable.For(Presets.Get(Presets.Default), 6);

    /// <summary>Six states without read noise or device spread, every pulse exactly one state: the rule alone, no device error.</summary>
    private static readonly StateTable IdealSix = Six with
    {
        StateSdsG0 = new double[6],
        DeviceToDeviceSdG0 = 0,
        LtpStepProbabilities = [.. Enumerable.Range(0, 6).Select(s => s == 5 ? new[] { 1.0, 0, 0 } : [0.0, 1, 0])],
        LtdStepProbabilities = [.. Enumerable.Range(0, 6).Select(s => s == 0 ? new[] { 1.0, 0, 0 } : [0.0, 1, 0])],
    };

    private static DeviceSynapses Make(int neurons, StdpSettings settings, StdpProgramming programming, float initialWeight, int seed = 5,
        StateTable? table = null)
    {
        var devices = new DeviceArray(table ?? Six, Inputs * neurons, seed);
        var synapses = new DeviceSynapses(Inputs, neurons, settings, devices, programming);
        var random = new SampleRandom(seed, 0);
        synapses.ProgramInitial(Enumerable.Repeat(initialWeight, Inputs * neurons).ToArray(), ref random);
        return synapses;
    }

    [Fact]
    public void WeightIsTheStateConductanceMappedLinearlyOntoZeroToWMax()
    {
        float[] levels = DeviceSynapses.Levels(Six, weightMax: 1.0);
        Assert.Equal([0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f], levels.Select(l => MathF.Round(l, 5)));
    }

    [Fact]
    public void WriteVerifiedPotentiationMovesExactlyOneStateAndBooksItInTheLedger()
    {
        // ν_post equal to one state step: a postsynaptic spike with pre trace 1 is exactly one event per synapse.
        var settings = new StdpSettings { Neurons = 2, NuPost = 0.2 };
        DeviceSynapses synapses = Make(2, settings, StdpProgramming.WriteVerify, initialWeight: 0.4f);
        EnergyTally before = synapses.Devices.Ledger.Snapshot();
        var pre = new float[Inputs];
        pre[10] = 1f;
        pre[11] = 1f;
        var random = new SampleRandom(1, 1);
        synapses.Potentiate(neuron: 1, pre, ref random);
        EnergyTally spent = synapses.Devices.Ledger.Snapshot() - before;
        Assert.Equal(3, synapses.Devices.State(10 * 2 + 1));
        Assert.Equal(3, synapses.Devices.State(11 * 2 + 1));
        Assert.Equal(2, synapses.Devices.State(10 * 2 + 0));
        Assert.Equal(0.6f, synapses.Weights[10 * 2 + 1], 5);
        Assert.Equal(2, spent.InitializationPulses);
        Assert.True(spent.ProgrammingPulses >= 2 && spent.Reads >= 4, $"{spent.ProgrammingPulses} pulses, {spent.Reads} reads");
    }

    [Fact]
    public void DepressionOnAPresynapticSpikeNeedsAPostTrace()
    {
        var settings = new StdpSettings { Neurons = 3, NuPre = 0.2 };
        DeviceSynapses synapses = Make(3, settings, StdpProgramming.WriteVerify, initialWeight: 0.4f);
        var random = new SampleRandom(2, 2);
        synapses.Depress(input: 7, [1f, 0f, 1f], ref random);
        Assert.Equal([1, 2, 1], Enumerable.Range(0, 3).Select(j => synapses.Devices.State(7 * 3 + j)));
        Assert.Equal(2, synapses.Devices.State(8 * 3 + 0));
    }

    [Fact]
    public void StochasticEventsMatchTheContinuousRuleInExpectation()
    {
        // Δw = 0.06 with a 0.2 step: each synapse moves with probability 0.3.
        var settings = new StdpSettings { Neurons = 50, NuPost = 0.06 };
        DeviceSynapses synapses = Make(50, settings, StdpProgramming.Pulse, initialWeight: 0.4f, table: IdealSix);
        var pre = Enumerable.Repeat(1f, Inputs).ToArray();
        var random = new SampleRandom(3, 3);
        for (int j = 0; j < 50; j++) synapses.Potentiate(j, pre, ref random);
        double moved = synapses.Devices.States.ToArray().Count(s => s == 3) / (double)(Inputs * 50);
        Assert.InRange(moved, 0.29, 0.31); // 0.3 ± 4 SD of 39,200 draws
    }

    [Fact]
    public void NormalisationProgramsColumnsTowardsTheTargetSum()
    {
        var settings = new StdpSettings { Neurons = 4 };
        DeviceSynapses synapses = Make(4, settings, StdpProgramming.Pulse, initialWeight: 0.3f);
        var sums = new double[4];
        synapses.ColumnSums(sums);
        Assert.All(sums, s => Assert.InRange(s, 200, 270));
        var random = new SampleRandom(4, 4);
        long pulsesBefore = synapses.Devices.Ledger.Snapshot().ProgrammingPulses;
        // One pulse per device per call, and a pulse moves a device with the preset's step probabilities:
        // normalisation, applied after every training sample, converges over a few calls.
        for (int call = 0; call < 5; call++) synapses.Normalize(ref random);
        synapses.ColumnSums(sums);
        Assert.All(sums, s => Assert.InRange(s, 78 - 15, 78 + 15));
        Assert.True(synapses.Devices.Ledger.Snapshot().ProgrammingPulses > pulsesBefore);
    }
}
