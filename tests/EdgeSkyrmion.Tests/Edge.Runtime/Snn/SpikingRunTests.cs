using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;

namespace EdgeSkyrmion.Tests.Snn;

public class SpikingRunTests
{
    /// <summary>One lit input pixel (always firing) → one output neuron with weight w; the rest of the net is silent.</summary>
    private static (SpikingRun Run, byte[] Image) OneSynapse(float weight, SnnTiming timing, float threshold = 1f)
    {
        var weights = new float[DigitSet.Pixels * 2];
        weights[0] = weight;
        SpikingNetwork network = SpikingNetwork.FromMatrices([DigitSet.Pixels, 2], [weights], [threshold], timing);
        var image = new byte[DigitSet.Pixels];
        image[0] = 255;
        return (new SpikingRun(network), image);
    }

    [Fact]
    public void ResetBySubtractionKeepsTheRemainder()
    {
        // Without leak, a constant input of 0.75 per step fires floor(0.75·T) times; reset to zero would give T/2.
        (SpikingRun run, byte[] image) = OneSynapse(0.75f, new SnnTiming(MembraneTimeConstantS: 1e12));
        run.Run(image, 100, seed: 1);
        Assert.Equal(75, run.OutputSpikeCounts[0]);
        Assert.Equal(0, run.OutputSpikeCounts[1]);
    }

    [Fact]
    public void LeakWithFiftyMillisecondsStopsASubThresholdInput()
    {
        // Steady state of v ← v·e^(−1/50) + w is w / (1 − e^(−1/50)): 0.959 for w = 0.019 (never fires), 1.010 for 0.020.
        (SpikingRun below, byte[] image) = OneSynapse(0.019f, SnnTiming.Paper);
        below.Run(image, 1000, seed: 1);
        Assert.Equal(0, below.OutputSpikeCounts[0]);
        (SpikingRun above, _) = OneSynapse(0.020f, SnnTiming.Paper);
        above.Run(image, 1000, seed: 1);
        Assert.InRange(above.OutputSpikeCounts[0], 1, 19);
    }

    [Fact]
    public void PoissonInputFiresWithProbabilityIntensityTimesRateTimesDt()
    {
        var encoder = new PoissonEncoder(3);
        encoder.Reset([0, 128, 255], seed: 5, maxRateHz: 1000, timestepS: 1e-3);
        var spikes = new int[3];
        int[] counts = new int[3];
        const int Steps = 20000;
        for (int t = 0; t < Steps; t++)
        {
            int n = encoder.Step(spikes);
            for (int k = 0; k < n; k++) counts[spikes[k]]++;
        }
        Assert.Equal(0, counts[0]);
        Assert.InRange(counts[1] / (double)Steps, 128 / 255.0 - 0.015, 128 / 255.0 + 0.015);
        Assert.Equal(Steps, counts[2]);
        encoder.Reset([0, 128, 255], seed: 5, maxRateHz: 500, timestepS: 1e-3);
        int white = 0;
        for (int t = 0; t < Steps; t++)
        {
            int n = encoder.Step(spikes);
            for (int k = 0; k < n; k++) white += spikes[k] == 2 ? 1 : 0;
        }
        Assert.InRange(white / (double)Steps, 0.485, 0.515);
    }

    [Fact]
    public void SameSeedGivesSameSpikesAndAnotherSeedOthers()
    {
        var network = SpikingNetwork.FromImage(SmallNets.Image(hidden: 40, seed: 1));
        var run = new SpikingRun(network);
        byte[] digit = SmallNets.Digit(3);
        SnnResult a = run.Run(digit, 50, seed: 9);
        int[] countsA = run.OutputSpikeCounts.ToArray();
        long[] layersA = run.LayerSpikes.ToArray();
        SnnResult b = new SpikingRun(network).Run(digit, 50, seed: 9);
        Assert.Equal(a, b);
        run.Run(digit, 50, seed: 9);
        Assert.Equal(countsA, run.OutputSpikeCounts.ToArray());
        run.Run(digit, 50, seed: 10);
        Assert.NotEqual(layersA, run.LayerSpikes.ToArray());
    }

    [Fact]
    public void SynapticEventsAreSpikesTimesFanOut()
    {
        var network = SpikingNetwork.FromImage(SmallNets.Image(hidden: 40, seed: 2));
        var run = new SpikingRun(network);
        SnnResult result = run.Run(SmallNets.Digit(4), 40, seed: 1);
        long expected = run.LayerSpikes[0] * 40 + run.LayerSpikes[1] * 10;
        Assert.True(run.LayerSpikes[1] > 0, "the hidden layer should fire");
        Assert.Equal(expected, result.SynapticEvents);
        Assert.Equal(run.LayerSpikes[0] + run.LayerSpikes[1] + run.LayerSpikes[2], result.Spikes);

        SnnResult dark = run.Run(new byte[DigitSet.Pixels], 40, seed: 1);
        Assert.Equal(0, dark.SynapticEvents);
        Assert.Equal(0, dark.PredictedClass);
    }

    [Fact]
    public void TiesGoToTheHigherMembranePotential()
    {
        // Both outputs fire every step (weight 1.25 ≥ 1); output 1 keeps the larger remainder.
        var weights = new float[DigitSet.Pixels * 2];
        weights[0] = 1.25f;
        weights[1] = 1.5f;
        SpikingNetwork network = SpikingNetwork.FromMatrices([DigitSet.Pixels, 2], [weights], [1f], new SnnTiming(MembraneTimeConstantS: 1e12));
        var image = new byte[DigitSet.Pixels];
        image[0] = 255;
        var run = new SpikingRun(network);
        SnnResult result = run.Run(image, 1, seed: 1);
        Assert.Equal(run.OutputSpikeCounts[0], run.OutputSpikeCounts[1]);
        Assert.Equal(1, result.PredictedClass);
    }

    [Fact]
    public void EarlyExitStopsOnceTheOutputIsDecidedAndKeepsTheAnswer()
    {
        var network = SpikingNetwork.FromImage(SmallNets.Image(hidden: 40, seed: 3));
        var run = new SpikingRun(network);
        for (int d = 0; d < 5; d++)
        {
            byte[] digit = SmallNets.Digit(d);
            SnnResult full = run.Run(digit, 200, seed: 2);
            SnnResult certain = run.Run(digit, 200, seed: 2, earlyExitMargin: int.MaxValue);
            Assert.Equal(full.PredictedClass, certain.PredictedClass);
            Assert.True(certain.StepsRun <= full.StepsRun);
            SnnResult quick = run.Run(digit, 200, seed: 2, earlyExitMargin: 3);
            Assert.InRange(quick.DecidedStep, 1, quick.StepsRun);
            Assert.InRange(full.DecidedStep, 1, 200);
            Assert.Equal(200 - quick.StepsRun, quick.SavedSteps);
            int counted = run.OutputSpikeCounts.ToArray().Order().TakeLast(2).Aggregate((a, b) => b - a);
            Assert.True(quick.StepsRun == 200 || counted >= 3, $"stopped at {quick.StepsRun} with a lead of {counted}");
        }
    }

    [Fact]
    public void RunAllocatesNothing()
    {
        var network = SpikingNetwork.FromImage(SmallNets.Image(hidden: 40, seed: 4));
        var run = new SpikingRun(network);
        byte[] digit = SmallNets.Digit(1);
        run.Run(digit, 20, seed: 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        run.Run(digit, 100, seed: 2, earlyExitMargin: 5);
        run.Run(digit, 100, seed: 3);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
