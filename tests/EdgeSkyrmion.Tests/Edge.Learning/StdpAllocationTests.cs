using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Stdp;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Stdp;

public class StdpAllocationTests
{
    private const int Inputs = DiehlCookNetwork.Inputs;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ALearningPresentationAllocatesNothing(bool discrete)
    {
        var settings = new StdpSettings { Neurons = 16 };
        var random = new SampleRandom(1, 0);
        float[] initial = Enumerable.Range(0, Inputs * 16).Select(_ => (float)random.NextUniform() * 0.3f).ToArray();
        SynapseMatrix synapses;
        if (discrete)
        {
            StateTable six = DerivedStateTable.For(Presets.Get(Presets.Default), 6);
            var devices = new DeviceSynapses(Inputs, 16, settings, new DeviceArray(six, Inputs * 16, 1), StdpProgramming.WriteVerify);
            devices.ProgramInitial(initial, ref random);
            synapses = devices;
        }
        else
        {
            synapses = new ContinuousSynapses(Inputs, 16, settings, initial);
        }
        var network = new DiehlCookNetwork(settings, synapses, new double[16]);
        (byte[] images, _) = SyntheticDigits.Make(4, 1);
        var counts = new int[16];
        network.Present(images.AsSpan(0, Inputs), learn: true, ref random, counts);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int spikes = 0;
        for (int n = 1; n < 4; n++)
        {
            network.Present(images.AsSpan(n * Inputs, Inputs), learn: true, ref random, counts);
            foreach (int c in counts) spikes += c;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(spikes > 0);
    }
}
