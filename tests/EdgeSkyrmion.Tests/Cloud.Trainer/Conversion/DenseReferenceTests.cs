using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Tests.Snn;

namespace EdgeSkyrmion.Tests.Conversion;

public class DenseReferenceTests
{
    [Fact]
    public void EventDrivenEngineAndDenseTorchSharpSnnFireTheSameOutputSpikes()
    {
        // Binary-fraction weights make the sums exact in any order, so the two must agree spike for spike.
        SpikingNetwork network = SpikingNetwork.FromImage(SmallNets.Image(hidden: 50, seed: 21));
        var run = new SpikingRun(network);
        using var dense = new DenseReferenceSnn(network);
        int totalOutput = 0;
        for (int d = 0; d < 4; d++)
        {
            byte[] digit = SmallNets.Digit(d + 10);
            run.Run(digit, 60, seed: (ulong)(100 + d));
            int[] reference = dense.Run(digit, 60, seed: (ulong)(100 + d));
            Assert.Equal(reference, run.OutputSpikeCounts.ToArray());
            totalOutput += reference.Sum();
        }
        Assert.True(totalOutput > 20, $"only {totalOutput} output spikes: the comparison would be vacuous");
    }
}
