using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Stdp;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Stdp;

public class DiehlCookNetworkTests
{
    private const int Inputs = DiehlCookNetwork.Inputs;

    private static (DiehlCookNetwork Network, ContinuousSynapses Synapses, double[] Theta) Make(int neurons, float weight, StdpSettings? settings = null)
    {
        settings ??= new StdpSettings { Neurons = neurons };
        var synapses = new ContinuousSynapses(Inputs, neurons, settings, Enumerable.Repeat(weight, Inputs * neurons).ToArray());
        var theta = new double[neurons];
        return (new DiehlCookNetwork(settings, synapses, theta), synapses, theta);
    }

    [Fact]
    public void ABlankImageEvokesNoSpikesEvenAtTheHighestRepresentationRate()
    {
        (DiehlCookNetwork network, _, _) = Make(10, 0.1f);
        var counts = new int[10];
        var random = new SampleRandom(1, 0);
        int presentations = network.Present(new byte[Inputs], learn: false, ref random, counts);
        Assert.Equal(new StdpSettings().MaxRepresentations, presentations);
        Assert.All(counts, c => Assert.Equal(0, c));
    }

    [Fact]
    public void TestModeLeavesWeightsAndThresholdsUntouched()
    {
        (DiehlCookNetwork network, ContinuousSynapses synapses, double[] theta) = Make(10, 0.1f);
        float[] before = (float[])synapses.Weights.Clone();
        var counts = new int[10];
        var random = new SampleRandom(1, 0);
        (byte[] images, _) = SyntheticDigits.Make(1, 1);
        network.Present(images, learn: false, ref random, counts);
        Assert.True(counts.Sum() >= 5, $"{counts.Sum()} spikes");
        Assert.Equal(before, synapses.Weights);
        Assert.All(theta, t => Assert.Equal(0, t));
    }

    [Fact]
    public void LearningRaisesTheThresholdOfNeuronsThatFiredBy50MicrovoltsPerSpike()
    {
        (DiehlCookNetwork network, _, double[] theta) = Make(10, 0.1f);
        var counts = new int[10];
        var random = new SampleRandom(1, 0);
        (byte[] images, _) = SyntheticDigits.Make(1, 1);
        network.Present(images, learn: true, ref random, counts);
        // θ also decays with τ_θ = 10⁴ s, by under 1e-3 over a few presentations.
        for (int j = 0; j < 10; j++) Assert.InRange(theta[j], counts[j] * 0.05e-3 * 0.999, counts[j] * 0.05e-3);
        Assert.Contains(counts, c => c > 0);
    }

    [Fact]
    public void LateralInhibitionLetsFewNeuronsWinAnImage()
    {
        // 50 neurons with different random weights: without inhibition nearly all fire; with it the first to fire
        // silences the others.
        var random = new SampleRandom(5, 0);
        float[] weights = Enumerable.Range(0, Inputs * 50).Select(_ => (float)random.NextUniform() * 0.2f).ToArray();
        var inhibited = new DiehlCookNetwork(new StdpSettings { Neurons = 50 },
            new ContinuousSynapses(Inputs, 50, new StdpSettings { Neurons = 50 }, weights), new double[50]);
        var freeSettings = new StdpSettings { Neurons = 50, LateralInhibition = 0 };
        var free = new DiehlCookNetwork(freeSettings, new ContinuousSynapses(Inputs, 50, freeSettings, weights), new double[50]);
        (byte[] images, _) = SyntheticDigits.Make(1, 1);
        var withInhibition = new int[50];
        var without = new int[50];
        var a = new SampleRandom(1, 0);
        var b = new SampleRandom(1, 0);
        inhibited.Present(images, learn: false, ref a, withInhibition);
        free.Present(images, learn: false, ref b, without);
        int winners = withInhibition.Count(c => c > 0), firing = without.Count(c => c > 0);
        Assert.True(firing >= 40, $"{firing} of 50 fire without inhibition");
        Assert.True(winners <= 10 && winners < firing / 4, $"{winners} neurons fire with inhibition, {firing} without");
    }

    [Fact]
    public void ResponsesDoNotDependOnTheThreadCount()
    {
        var settings = new StdpSettings { Neurons = 8 };
        var random = new SampleRandom(9, 0);
        float[] weights = Enumerable.Range(0, Inputs * 8).Select(_ => (float)random.NextUniform() * 0.2f).ToArray();
        var theta = new double[8];
        (byte[] images, byte[] labels) = SyntheticDigits.Make(24, 3);
        var set = new DigitSet(DigitSplit.Test, images, labels);
        int[][] one = StdpResponses.Measure(settings, weights, theta, set, 24, seed: 4, threads: 1);
        int[][] two = StdpResponses.Measure(settings, weights, theta, set, 24, seed: 4, threads: 2);
        Assert.Equal(one, two);
        Assert.True(one.Sum(c => c.Sum()) > 0);
    }
}
