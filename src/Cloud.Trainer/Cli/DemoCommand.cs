using System.CommandLine;
using EdgeSkyrmion.Cloud.Data;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Cloud.Cli;

/// <summary>`demo`: the README's main job. Fetches MNIST when needed, then trains the paper's ANN briefly.</summary>
public static class DemoCommand
{
    public sealed record Output(string DataDirectory, bool DataAlreadyPresent, string Model, int Epochs, double TestAccuracy, double SecondsPerEpoch);

    public static Command Build()
    {
        Option<string> data = DataCommands.DataOption();
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (15 reproduces the paper).", DefaultValueFactory = _ => 2 };
        var workDir = new Option<string>("--work-dir") { Description = "Where the demo writes models and artifacts.", DefaultValueFactory = _ => "out/demo" };
        Command command = CliCommand.Create("demo",
            "End-to-end demo on this machine. Example: demo --epochs 2 --json",
            async (parse, ctx, ct) =>
            {
                string dataDir = parse.GetValue(data)!;
                string work = parse.GetValue(workDir)!;
                Directory.CreateDirectory(work);
                MnistFetcher.Result fetched = await new MnistFetcher(ctx.Info).FetchAsync(dataDir, ct).ConfigureAwait(false);
                ctx.Info(fetched.AlreadyPresent ? $"MNIST present in {dataDir}" : $"MNIST fetched into {dataDir}");

                var options = new TrainingOptions { Epochs = parse.GetValue(epochs) };
                DigitSet train = DigitSet.Load(dataDir, DigitSplit.Train);
                DigitSet test = DigitSet.Load(dataDir, DigitSplit.Test);
                MlpTrainer.Result trained = ctx.WithProgress($"training {options.Epochs} epoch(s)", report =>
                    new MlpTrainer(options).Train(train, test, (e, f) => report((e - 1 + f) / options.Epochs),
                        e => ctx.Info($"epoch {e.Epoch}: test accuracy {e.TestAccuracy:P2} ({e.Seconds:F1} s)")));
                string modelPath = Path.Combine(work, "base.eskm");
                trained.Model.Save(modelPath);

                var output = new Output(dataDir, fetched.AlreadyPresent, modelPath, options.Epochs, trained.TestAccuracy, trained.SecondsPerEpoch);
                ctx.Emit(output, o => o.WriteLine(
                    $"demo: {options.Epochs} epoch(s), test accuracy {output.TestAccuracy:P2}, {output.SecondsPerEpoch:F1} s/epoch, model {modelPath}"));
            });
        foreach (Option o in new Option[] { data, epochs, workDir }) command.Options.Add(o);
        return command;
    }
}
