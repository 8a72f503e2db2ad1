using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Training;

public class TorchTrainingTests
{
    private static (DigitSet Train, DigitSet Test) SmallSets()
    {
        string dir = SyntheticDigits.WriteFolder(300, 100);
        return (DigitSet.Load(dir, DigitSplit.Train), DigitSet.Load(dir, DigitSplit.Test));
    }

    [Fact]
    public void TorchSharpLoadsAndTrainingLowersTheLoss()
    {
        (DigitSet train, DigitSet test) = SmallSets();
        var options = new TrainingOptions { HiddenSizes = [32], Epochs = 4, BatchSize = 20, Dropout = 0, Seed = 3 };
        MlpTrainer.Result result = new MlpTrainer(options).Train(train, test);
        Assert.True(TorchRuntime.IsInitialized);
        Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss * 0.8,
            $"loss went {result.Epochs[0].TrainLoss} -> {result.Epochs[^1].TrainLoss}");
        Assert.True(result.TestAccuracy > 0.9, $"accuracy {result.TestAccuracy}");
    }

    [Fact]
    public void TrainingIsDeterministicForASeed()
    {
        (DigitSet train, DigitSet test) = SmallSets();
        var options = new TrainingOptions { HiddenSizes = [16], Epochs = 1, BatchSize = 25, Seed = 7 };
        ModelFile a = new MlpTrainer(options).Train(train, test).Model;
        ModelFile b = new MlpTrainer(options).Train(train, test).Model;
        Assert.Equal(a.Tensors[0].Data, b.Tensors[0].Data);
        Assert.Equal(a.Tensors[1].Data, b.Tensors[1].Data);
    }

    [Fact]
    public void TwoSeededRunsAtOnceEachRepeatTheRunAlone()
    {
        (DigitSet train, DigitSet test) = SmallSets();
        var options = new TrainingOptions { HiddenSizes = [16], Epochs = 10, BatchSize = 25, Dropout = 0.5, Seed = 11 };
        ModelFile alone = new MlpTrainer(options).Train(train, test).Model;
        var together = new ModelFile[2];
        using var start = new Barrier(together.Length);
        Thread[] threads = [.. Enumerable.Range(0, together.Length).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            together[i] = new MlpTrainer(options).Train(train, test).Model;
        }))];
        foreach (Thread t in threads) t.Start();
        foreach (Thread t in threads) t.Join();
        foreach (ModelFile model in together)
        {
            Assert.Equal(alone.Tensors[0].Data, model.Tensors[0].Data);
            Assert.Equal(alone.Tensors[1].Data, model.Tensors[1].Data);
        }
    }

    [Fact]
    public void DefaultsToOneIntraOpThread()
    {
        TorchRuntime.Initialize();
        Assert.Equal(1, TorchRuntime.Threads);
        Assert.Equal(1, TorchSharp.torch.get_num_threads());
    }
}
