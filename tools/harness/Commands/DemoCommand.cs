using EdgeSkyrmion.Cli;
using EdgeSkyrmion.DeviceModel.Energy;
using System.CommandLine;
using EdgeSkyrmion.Harness.Demo;
using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Harness.Commands;

/// <summary>`demo`: the README's main job (see <see cref="EndToEndDemo"/>).</summary>
public static class DemoCommand
{
    public static Command Build()
    {
        Option<string> data = CommonOptions.Data();
        var epochs = new Option<int>("--epochs") { Description = "Base training epochs (15 reproduces the paper's training).", DefaultValueFactory = _ => 2 };
        var updateEpochs = new Option<int>("--update-epochs") { Description = "Further epochs that make the update.", DefaultValueFactory = _ => 1 };
        var workDir = new Option<string>("--work-dir") { Description = "Where the demo writes models, the fleet DB and the wearable's state.", DefaultValueFactory = _ => "out/demo" };
        var plaintext = new Option<bool>("--insecure-plaintext") { Description = "Run the fleet server without TLS, to measure what TLS costs (the default is TLS)." };
        var count = new Option<int>("--count") { Description = "Test images classified on the wearable before and after the update.", DefaultValueFactory = _ => 2000 };
        Command command = CliCommand.Create("demo",
            "End to end on this machine: train, convert to 13 skyrmion levels, flash a wearable, infer, push a signed delta over gRPC (TLS), infer again. Example: demo --epochs 2 --json",
            async (parse, ctx, ct) =>
            {
                var settings = new EndToEndDemo.Settings(parse.GetValue(data)!, parse.GetValue(workDir)!, parse.GetValue(epochs), parse.GetValue(updateEpochs),
                    13, Presets.Default, parse.GetValue(count), 100, 1000, Tls: !parse.GetValue(plaintext));
                if (settings.Epochs < 1 || settings.UpdateEpochs < 1) throw new ArgumentException("--epochs and --update-epochs must be at least 1.");
                if (settings.InferenceImages is < 1 or > 10_000) throw new ArgumentException("--count must be 1–10000.");
                EndToEndDemo.Result r = await new EndToEndDemo(ctx).RunAsync(settings, ct).ConfigureAwait(false);
                ctx.Emit(r, o =>
                {
                    o.WriteLine($"ANN accuracy {r.AnnAccuracyBefore:P2} -> {r.AnnAccuracyAfter:P2}; on the wearable (13 skyrmion levels, SNN, {r.InferenceImages} images): {r.AccuracyBefore:P2} -> {r.AccuracyAfter:P2}");
                    o.WriteLine($"update: {r.SynapsesChanged:N0} of {r.SynapsesTotal:N0} synapses changed, delta {r.DeltaBytes:N0} B vs full image {r.FullImageBytes:N0} B");
                    o.WriteLine($"        {r.Pulses:N0} pulses, {Units.Nanojoules(r.UpdateEnergyFj):F2} nJ (estimated {Units.Nanojoules(r.EstimatedUpdateEnergyFj):F2} nJ; full image {Units.Nanojoules(r.FullImageEnergyFj):F2} nJ), pushed in {r.UpdateSeconds:F2} s ({r.ProgrammingSeconds:F2} s programming)");
                    o.WriteLine($"inference: {Units.Picojoules(r.EnergyPerInferenceFj):F0} pJ of device reads per image; demo took {r.TotalSeconds:F0} s");
                });
            });
        foreach (Option o in new Option[] { data, epochs, updateEpochs, workDir, count, plaintext }) command.Options.Add(o);
        return command;
    }
}
