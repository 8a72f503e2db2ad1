using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>A 784-24-10 MLP trained for two epochs on <see cref="SyntheticDigits"/> (seconds), saved beside its data.</summary>
public static class SmallTrainedModel
{
    /// <summary>Returns the data folder (train and t10k splits) and the saved model file.</summary>
    public static (string Data, string Model) Make(int trainImages = 300, int testImages = 60)
    {
        string data = SyntheticDigits.WriteFolder(trainImages, testImages);
        var options = new TrainingOptions { HiddenSizes = [24], Epochs = 2, BatchSize = 20, Dropout = 0, Seed = 2 };
        MlpTrainer.Result trained = new MlpTrainer(options).Train(DigitSet.Load(data, DigitSplit.Train), DigitSet.Load(data, DigitSplit.Test));
        string model = Path.Combine(data, "small.eskm");
        trained.Model.Save(model);
        return (data, model);
    }
}
