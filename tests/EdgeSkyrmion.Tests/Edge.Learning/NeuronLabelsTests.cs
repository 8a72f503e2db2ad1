using EdgeSkyrmion.Edge.Stdp;

namespace EdgeSkyrmion.Tests.Stdp;

public class NeuronLabelsTests
{
    [Fact]
    public void EachNeuronTakesTheClassOfItsHighestAverageResponse()
    {
        // Neuron 0 fires for class 3, neuron 1 for class 5 (more per image, fewer images), neuron 2 never.
        int[][] counts = [[4, 0, 0], [6, 0, 0], [0, 9, 0], [1, 1, 0]];
        byte[] classes = [3, 3, 5, 7];
        int[] labels = NeuronLabels.Assign(counts, classes, 3);
        Assert.Equal([3, 5, NeuronLabels.Unlabelled], labels);
    }

    [Fact]
    public void PredictionIsTheClassWithTheHighestMeanCountOfItsNeurons()
    {
        int[] labels = [3, 3, 5, NeuronLabels.Unlabelled];
        Assert.Equal(5, NeuronLabels.Predict([4, 0, 3, 50], labels));
        Assert.Equal(3, NeuronLabels.Predict([4, 4, 3, 0], labels));
        Assert.Equal(NeuronLabels.Unlabelled, NeuronLabels.Predict([0, 0, 0, 9], labels));
    }
}
