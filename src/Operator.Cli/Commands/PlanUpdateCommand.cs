using EdgeSkyrmion.DeviceModel.Energy;
using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Protos.V1;
using EdgeSkyrmion.Cloud.Personalization;
using EdgeSkyrmion.Cloud.Training;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>`plan-update`: personalize a user's model and plan the device update under an energy budget; optionally send it.</summary>
public static class PlanUpdateCommand
{
    internal static Option<int> EpochsOption(string name = "--epochs") => new(name) { Description = "Fine-tuning epochs over the user's training samples.", DefaultValueFactory = _ => new FineTuner.Options().Epochs };
    internal static Option<double> L2Option() => new("--l2") { Description = "Strength of the L2 pull toward the base weights.", DefaultValueFactory = _ => new FineTuner.Options().L2ToBase };
    internal static Option<int> LayersOption() => new("--layers") { Description = "Layers, counted from the output, that may change (0 = all).", DefaultValueFactory = _ => 0 };
    internal static Option<double> LearningRateOption() => new("--lr") { Description = "Fine-tuning learning rate.", DefaultValueFactory = _ => new FineTuner.Options().LearningRate };

    internal static FineTuner.Options FineTune(ParseResult parse, Option<int> epochs, Option<double> l2, Option<int> layers, Option<double> lr) => new()
    {
        Epochs = parse.GetValue(epochs), L2ToBase = parse.GetValue(l2), TrainableLayers = parse.GetValue(layers), LearningRate = parse.GetValue(lr),
    };

    public static Command Build()
    {
        Option<string> user = UserCommands.UserOption();
        var baseModel = new Option<string>("--base-model") { Description = "The full-precision base model (.eskm) the held image was converted from.", Required = true };
        var budget = new Option<double?>("--budget-fj") { Description = "Energy budget of the update, fJ (omit: send every change)." };
        var maxSynapses = new Option<double>("--max-synapses-fraction") { Description = "Cap on the share of synapses one update touches (1 = no cap).", DefaultValueFactory = _ => 0.05 };
        var outDir = new Option<string>("--out") { Description = "Folder for the budget curve (CSV, PNG) and the planned image.", DefaultValueFactory = _ => "out/personalize" };
        var send = new Option<bool>("--send") { Description = "Publish the plan as the user's next model version and roll it out to their device." };
        var wait = new Option<double>("--wait") { Description = "Seconds to wait for the device to apply a sent plan.", DefaultValueFactory = _ => 120 };
        var timesteps = new Option<int>("--timesteps") { Description = "SNN timesteps when scoring (0 = the image's own).", DefaultValueFactory = _ => 0 };
        Option<int> epochs = EpochsOption(), layers = LayersOption();
        Option<double> l2 = L2Option(), lr = LearningRateOption();
        Command command = CliCommand.Create("plan-update",
            "Fine-tune the base model on a user's samples, quantize with the held image's scaling, and choose the synapse changes with the best accuracy gain per fJ under a budget. " +
            "Example: plan-update --user alice --base-model out/base.eskm --budget-fj 2e6 --json",
            async (parse, ctx, ct) =>
            {
                string path = parse.GetValue(baseModel)!;
                if (!File.Exists(path)) throw new FileNotFoundException($"base model {path} does not exist.", path);
                using OperatorConnection ops = FleetCommands.Connect(parse);
                var settings = new PersonalizationJob.Settings
                {
                    FineTune = FineTune(parse, epochs, l2, layers, lr), BudgetFj = parse.GetValue(budget), SnnTimesteps = parse.GetValue(timesteps),
                    MaxSynapsesFraction = parse.GetValue(maxSynapses) is var cap and > 0 and <= 1 ? cap
                        : throw new ArgumentException($"--max-synapses-fraction {parse.GetValue(maxSynapses)}: must be in (0, 1]."),
                };
                UserUpdate.Plan plan = await UserUpdate.MakeAsync(ops, parse.GetValue(user)!, ModelFile.Load(path), settings, parse.GetValue(outDir)!, ctx.Info, ct).ConfigureAwait(false);
                RolloutStatus? sent = parse.GetValue(send) ? await UserUpdate.SendAsync(ops, plan, TimeSpan.FromSeconds(parse.GetValue(wait)), ct).ConfigureAwait(false) : null;
                ctx.Emit(new { plan, sent }, o =>
                {
                    o.WriteLine($"user {plan.User}: {plan.ModelId} v{plan.Version}, base {plan.BaseAccuracy:P2} -> expected {plan.ExpectedAccuracy:P2} ({plan.EvaluatedWith})");
                    o.WriteLine($"  priced with {plan.PricingTable}" + (plan.DeviceTemperatureK is { } k ? $" (the device reported {k:F1} K)" : " (no temperature reported)"));
                    o.WriteLine($"  {plan.SynapsesChanged:N0} synapses ({plan.SynapsesChangedFraction:P2}), {plan.Pulses:N0} pulses, {Units.Nanojoules(plan.EnergyFj):F3} nJ ({plan.EnergyFractionOfFull:P2} of a full reprogram), {plan.Bytes:N0} B");
                    o.WriteLine($"  budget curve {plan.CurveCsv}, {plan.CurvePng}; 25 % of the unbudgeted energy reaches {plan.GainShareAtQuarterEnergy:P0} of its gain");
                    if (sent is not null) o.WriteLine($"  sent: {sent.Applied} applied, {sent.Rejected} rejected");
                });
            });
        foreach (Option o in new Option[] { FleetCommands.Server, FleetCommands.TokenFile, FleetCommands.Ca, user, baseModel, budget, maxSynapses, outDir, send, wait, timesteps, epochs, l2, layers, lr }) command.Options.Add(o);
        return command;
    }
}
