using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Cloud.Personalization;
using EdgeSkyrmion.Harness.Demo;

namespace EdgeSkyrmion.Harness.Commands;

/// <summary>`personalize demo`: the whole personalization flow with generated users (<see cref="PersonalizationDemo"/>).</summary>
public static class PersonalizeCommands
{
    public static Command Build()
    {
        var personalize = new Command("personalize", "Per-user personalization with energy-budgeted sparse updates.");
        var users = new Option<int>("--users") { Description = "Generated users (each with a strong handwriting style and a wearable).", DefaultValueFactory = _ => 5 };
        Option<string> data = CommonOptions.Data();
        var workDir = new Option<string>("--work-dir") { Description = "Where the demo writes models, the fleet DB, wearables' state and budget curves.", DefaultValueFactory = _ => "out/personalize-demo" };
        var baseModel = new Option<string?>("--base-model") { Description = "Reuse this base model (.eskm) instead of training one." };
        var baseImage = new Option<string?>("--base-image") { Description = "Reuse this 13-level image of the base model (convert --sigma) instead of converting." };
        var epochs = new Option<int>("--epochs") { Description = "Base training epochs when no --base-model is given.", DefaultValueFactory = _ => 2 };
        var budget = new Option<double?>("--budget-fj") { Description = "Energy budget of each user's update, fJ (omit: every change)." };
        var timesteps = new Option<int>("--timesteps") { Description = "SNN timesteps for scoring and on the wearable.", DefaultValueFactory = _ => 100 };
        var scan = new Option<int>("--scan-images") { Description = "Held-out training images of the σ scan when converting.", DefaultValueFactory = _ => 500 };
        Option<int> ftEpochs = new("--fine-tune-epochs") { Description = "Fine-tuning epochs over each user's training samples.", DefaultValueFactory = _ => new FineTuner.Options().Epochs }, layers = new("--layers") { Description = "Layers, counted from the output, that may change (0 = all).", DefaultValueFactory = _ => 0 };
        Option<double> l2 = new("--l2") { Description = "Strength of the L2 pull toward the base weights.", DefaultValueFactory = _ => new FineTuner.Options().L2ToBase };
        Option<double> lr = new("--lr") { Description = "Fine-tuning learning rate.", DefaultValueFactory = _ => new FineTuner.Options().LearningRate };
        Command demo = CliCommand.Create("demo",
            "Generate N styled users, register them and their wearables (real edge processes on loopback), personalize, plan and push the updates. " +
            "Example: personalize demo --users 5 --base-model out/base.eskm --json",
            async (parse, ctx, ct) =>
            {
                int n = parse.GetValue(users);
                if (n is < 1 or > 20) throw new ArgumentException($"--users {n}: use 1–20 (each user runs its own wearable process).");
                if (parse.GetValue(baseImage) is not null && parse.GetValue(baseModel) is null) throw new ArgumentException("--base-image needs the --base-model it was converted from.");
                foreach (string? f in new[] { parse.GetValue(baseModel), parse.GetValue(baseImage) })
                    if (f is not null && !File.Exists(f)) throw new FileNotFoundException($"{f} does not exist.", f);
                var settings = new PersonalizationDemo.Settings(parse.GetValue(data)!, parse.GetValue(workDir)!, n, parse.GetValue(baseModel), parse.GetValue(baseImage),
                    parse.GetValue(epochs), parse.GetValue(budget), new FineTuner.Options { Epochs = parse.GetValue(ftEpochs), L2ToBase = parse.GetValue(l2), TrainableLayers = parse.GetValue(layers), LearningRate = parse.GetValue(lr) }, parse.GetValue(timesteps), parse.GetValue(scan));
                PersonalizationDemo.Result r = await new PersonalizationDemo(ctx).RunAsync(settings, ct).ConfigureAwait(false);
                ctx.Emit(r, o =>
                {
                    o.WriteLine($"{"user",-8} {"base",7} {"personal",8} {"wearable",17} {"synapses",9} {"energy/full",11} {"gain@25%E",9}");
                    foreach (PersonalizationDemo.UserResult u in r.Users)
                        o.WriteLine($"{u.User,-8} {u.BaseAccuracy,7:P1} {u.PersonalAccuracy,8:P1} {u.DeviceAccuracyBefore,7:P1} -> {u.DeviceAccuracyAfter,6:P1} {u.SynapsesChangedFraction,9:P2} {u.EnergyFractionOfFull,11:P2} {u.GainShareAtQuarterEnergy,9:P0}");
                    o.WriteLine($"base/personal: {r.Users[0].EvaluatedWith}; wearable: {r.DeviceAccuracyMeasuredWith}; curves in {Path.GetDirectoryName(r.Users[0].CurveCsv)}; {r.TotalSeconds:F0} s");
                });
            });
        foreach (Option o in new Option[] { users, data, workDir, baseModel, baseImage, epochs, budget, timesteps, scan, ftEpochs, l2, layers, lr }) demo.Options.Add(o);
        personalize.Subcommands.Add(demo);
        return personalize;
    }
}
