using EdgeSkyrmion.Edge.Stdp;

namespace EdgeSkyrmion.Tests.Stdp;

public class ContinuousSynapsesTests
{
    private const int Inputs = DiehlCookNetwork.Inputs;

    [Fact]
    public void NormalisationSetsEveryColumnSumToTheTarget()
    {
        var random = new SampleRandom(1, 0);
        var initial = Enumerable.Range(0, Inputs * 5).Select(_ => (float)random.NextUniform() * 0.3f).ToArray();
        var synapses = new ContinuousSynapses(Inputs, 5, new StdpSettings { Neurons = 5 }, initial);
        synapses.Normalize(ref random);
        var sums = new double[5];
        synapses.ColumnSums(sums);
        Assert.All(sums, s => Assert.Equal(78.0, s, 2));
    }

    [Fact]
    public void PrePostRuleDepressesByPostTraceAndPotentiatesByPreTraceWithinBounds()
    {
        var synapses = new ContinuousSynapses(Inputs, 2, new StdpSettings { Neurons = 2 }, Enumerable.Repeat(0.5f, Inputs * 2).ToArray());
        var random = new SampleRandom(1, 0);
        synapses.Depress(3, [0.5f, 0f], ref random);
        Assert.Equal(0.5f - 1e-4f * 0.5f, synapses.Weights[3 * 2], 6);
        Assert.Equal(0.5f, synapses.Weights[3 * 2 + 1]);
        var pre = new float[Inputs];
        pre[4] = 1f;
        for (int k = 0; k < 100; k++) synapses.Potentiate(1, pre, ref random);
        Assert.Equal(1f, synapses.Weights[4 * 2 + 1]);
        Assert.Equal(0.5f, synapses.Weights[5 * 2 + 1]);
    }
}
