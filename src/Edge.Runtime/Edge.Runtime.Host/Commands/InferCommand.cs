using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Runtime;

namespace EdgeSkyrmion.Edge.Host.Commands;

/// <summary>`edge infer`: spiking inference on the programmed crossbar, with its read energy booked in the ledger.</summary>
internal static class InferCommand
{
    public static Command Build()
    {
        Option<string> state = HostOptions.State();
        var data = new Option<string>("--data") { Description = "IDX data folder (its t10k split is used).", DefaultValueFactory = _ => "data/mnist" };
        var count = new Option<int>("--count") { Description = "Test images to classify.", DefaultValueFactory = _ => 1000 };
        var timesteps = new Option<int?>("--timesteps") { Description = "Simulation steps (1 ms each) per image (default: the image's own, 100 where it names none)." };
        var margin = new Option<int>("--early-exit-margin") { Description = "Stop once the leading class leads by this many spikes (0 = never).", DefaultValueFactory = _ => 3 };
        var noNoise = new Option<bool>("--no-read-noise") { Description = "Read devices at their mean conductance (device offsets still apply)." };
        var temperature = new Option<double?>("--temperature") { Description = "Device temperature, K: read with the table characterized nearest to it (default: the provisioned table)." };
        Command command = CliCommand.Create("infer", "Classify test images on the crossbar. Example: edge infer --state /var/edge --data data/mnist --count 1000 --json",
            (parse, ctx, _) =>
            {
                EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
                if (parse.GetValue(temperature) is double kelvin) device.SenseTemperature(kelvin);
                var model = device.HeldImage();
                int requested = parse.GetValue(count);
                if (requested < 1) throw new ArgumentException($"--count must be at least 1 (got {requested}).");
                using DigitStream test = DigitStream.Open(parse.GetValue(data)!, DigitSplit.Test, requested);
                int n = test.Count;
                int steps = parse.GetValue(timesteps) ?? (model.Timesteps > 0 ? (int)model.Timesteps : 100);
                var options = new EdgeInference.Options(steps, !parse.GetValue(noNoise), parse.GetValue(margin));
                EdgeInference.Result r = new EdgeInference(device.Devices, device.Layout!, model).Run(test, n, options, ctx.Json ? null : ctx.Progress("inference"));
                device.CommitLedger();
                ctx.Emit(r, HostJson.Default.InferResult, o =>
                {
                    o.WriteLine($"{model.ModelId} v{model.Version}: accuracy {r.Accuracy:P2} on {r.Images} images, {r.ImagesPerSecond:F0} images/s");
                    o.WriteLine($"  {r.SynapticEventsPerImage:F0} synaptic events and {r.EnergyPerInferenceFj:F0} fJ of reads per inference, {r.MeanStepsRun:F1} of {r.Timesteps} steps");
                    o.WriteLine($"  early exit saved {r.EarlyExitSavedStepsFraction:P1} of the steps ({r.EarlyExitSavedLatencyMs:F1} ms, {r.EarlyExitSavedEnergyPerInferenceFj:F0} fJ per inference)");
                });
                return Task.FromResult(ExitCode.Ok);
            });
        foreach (Option o in new Option[] { state, data, count, timesteps, margin, noNoise, temperature }) command.Options.Add(o);
        return command;
    }
}
