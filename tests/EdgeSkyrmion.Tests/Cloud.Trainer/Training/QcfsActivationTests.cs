using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using static TorchSharp.torch;

namespace EdgeSkyrmion.Tests.Training;

public class QcfsActivationTests
{
    [Fact]
    public void QcfsFloorsClipsAndShifts()
    {
        TorchRuntime.Initialize();
        // λ = 2, L = 4: steps of 0.5, rounded to nearest by the ½ shift, clipped to [0, λ].
        float[] z = [-1f, 0f, 0.24f, 0.26f, 0.74f, 1f, 1.76f, 5f];
        float[] got = QcfsActivation.Apply(tensor(z), tensor(2f), steps: 4).data<float>().ToArray();
        Assert.Equal([0f, 0f, 0f, 0.5f, 0.5f, 1f, 2f, 2f], got);
    }

    [Fact]
    public void TheFloorPassesItsGradientStraightThroughInsideTheClipAndTheClipLearns()
    {
        TorchRuntime.Initialize();
        Tensor z = tensor(new[] { -1f, 0.6f, 5f }, requires_grad: true);
        Tensor clip = tensor(2f, requires_grad: true);
        QcfsActivation.Apply(z, clip, steps: 4).sum().backward();
        Assert.Equal([0f, 1f, 0f], z.grad!.data<float>().ToArray());
        // Above the clip the output is λ itself (d/dλ = 1); inside, h = λ/L·⌊·⌋ with the floor straight-through gives
        // d/dλ = ⌊z·L/λ + ½⌋/L − z/λ = 1/4 − 0.3; below zero nothing: 1 − 0.05 in all.
        Assert.Equal(0.95f, clip.grad!.item<float>(), 5);
    }

    [Theory]
    [InlineData(4, 2.0, new[] { -0.3, 0.1, 0.24, 0.26, 0.9, 1.3, 1.74, 1.8, 3.0 })]
    [InlineData(2, 1.0, new[] { 0.2, 0.3, 0.7, 0.8, 2.0 })]
    public void AnIntegrateAndFireNeuronStartingAtHalfItsThresholdEmitsQcfsInLSteps(int steps, double clip, double[] inputs)
    {
        TorchRuntime.Initialize();
        foreach (double input in inputs)
        {
            // One lit white pixel drives the one output neuron with a constant current equal to its weight.
            var weights = new float[DigitSet.Pixels];
            weights[0] = (float)input;
            SpikingNetwork network = SpikingNetwork.FromMatrices([DigitSet.Pixels, 1], [weights], [(float)clip],
                new SnnTiming(MembraneTimeConstantS: 1e12), InputEncoding.ConstantCurrent, [(float)QcfsActivation.Shift]);
            var image = new byte[DigitSet.Pixels];
            image[0] = 255;
            var run = new SpikingRun(network);
            SnnResult result = run.Run(image, steps, seed: 1);
            float expected = QcfsActivation.Apply(tensor((float)input), tensor((float)clip), steps).item<float>();
            Assert.Equal(expected, (float)(run.OutputSpikeCounts[0] * clip / steps), 5);
            Assert.Equal(steps, result.SynapticEvents);
        }
    }
}
