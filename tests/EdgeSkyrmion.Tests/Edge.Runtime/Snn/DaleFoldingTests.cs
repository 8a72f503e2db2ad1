using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Tests.Snn;

/// <summary>
/// The engine folds Dale's doubled populations into one signed matrix. Here the paper's Fig. 7a network is built
/// explicitly: a relay layer copies every input spike into R⁺ and R⁻ (weight = threshold, so a relay fires exactly
/// when its pixel does), hidden neurons exist as + and − copies, the + copies drive through G⁺ and the − copies
/// through −G⁻. Its output spikes must equal the folded network's.
/// </summary>
public class DaleFoldingTests
{
    [Fact]
    public void DoubledPopulationsFireLikeTheFoldedSignedNetwork()
    {
        ModelImage image = SmallNets.Image(hidden: 30, seed: 11);
        SpikingNetwork folded = SpikingNetwork.FromImage(image);
        SpikingNetwork doubled = Doubled(image);
        var foldedRun = new SpikingRun(folded);
        var doubledRun = new SpikingRun(doubled);
        for (int d = 0; d < 6; d++)
        {
            byte[] digit = SmallNets.Digit(d);
            SnnResult a = foldedRun.Run(digit, 40, seed: (ulong)d);
            SnnResult b = doubledRun.Run(digit, 40, seed: (ulong)d);
            Assert.Equal(foldedRun.OutputSpikeCounts.ToArray(), doubledRun.OutputSpikeCounts.ToArray());
            Assert.Equal(a.PredictedClass, b.PredictedClass);
            Assert.Equal(2 * foldedRun.LayerSpikes[0], doubledRun.LayerSpikes[1]);
            Assert.Equal(2 * foldedRun.LayerSpikes[1], doubledRun.LayerSpikes[2]);
            Assert.True(foldedRun.LayerSpikes[2] > 0, "outputs should fire");
        }
    }

    private static SpikingNetwork Doubled(ModelImage image)
    {
        int inputs = DigitSet.Pixels;
        var relay = new float[inputs * 2 * inputs];
        for (int i = 0; i < inputs; i++)
        {
            relay[i * 2 * inputs + i] = 1f;
            relay[i * 2 * inputs + inputs + i] = 1f;
        }
        var sizes = new List<int> { inputs, 2 * inputs };
        var weights = new List<float[]> { relay };
        var thresholds = new List<float> { 1f };
        for (int l = 0; l < image.Layers.Count; l++)
        {
            Layer layer = image.Layers[l];
            int n = (int)layer.Inputs, m = (int)layer.Outputs;
            bool last = l == image.Layers.Count - 1;
            int copies = last ? 1 : 2;
            var w = new float[2 * n * copies * m];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++)
                {
                    float gPlus = (float)(image.StateMeansG0[layer.PlusStates[i * m + j]] * layer.WeightPerG0);
                    float gMinus = (float)(image.StateMeansG0[layer.MinusStates[i * m + j]] * layer.WeightPerG0);
                    for (int c = 0; c < copies; c++)
                    {
                        w[i * copies * m + c * m + j] = gPlus;
                        w[(n + i) * copies * m + c * m + j] = -gMinus;
                    }
                }
            sizes.Add(copies * m);
            weights.Add(w);
            thresholds.Add(layer.Threshold);
        }
        return SpikingNetwork.FromMatrices(sizes, weights, thresholds);
    }
}
