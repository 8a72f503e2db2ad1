using System.CommandLine;
using EdgeSkyrmion.Cloud.Cli;

var root = new RootCommand(
    "EdgeSkyrmion operator CLI: train in the cloud, quantize to skyrmion states, convert to SNN, update the fleet.\n" +
    "Example: edgeskyrmion data fetch --dir data/mnist && edgeskyrmion data info --data data/mnist --json");
root.Options.Add(CliCommand.JsonOption);
root.Subcommands.Add(DemoCommand.Build());
root.Subcommands.Add(DataCommands.Build());
root.Subcommands.Add(TrainCommand.Build());
root.Subcommands.Add(ConvertCommand.Build());
root.Subcommands.Add(EvaluateCommand.Build());
root.Subcommands.Add(SweepCommand.Build());
root.Subcommands.Add(ServeCommand.Build());
root.Subcommands.Add(FleetCommands.Build());
root.Subcommands.Add(StdpCommands.Build());
root.Subcommands.Add(VersionCommand.Build());
root.Subcommands.Add(DeviceCommands.Build());
root.Subcommands.Add(LifetimeCurveCommand.Build());
root.Subcommands.Add(UserCommands.Build());
root.Subcommands.Add(PlanUpdateCommand.Build());
root.Subcommands.Add(ReportCommand.Build());
root.Subcommands.Add(PersonalizeCommands.Build());
root.Subcommands.Add(FuzzCommand.Build());
root.Subcommands.Add(ChaosCommands.Build());
root.Subcommands.Add(LoadtestCommand.Build());
root.Subcommands.Add(LoadtestCommand.BuildLoadgen());

ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine("Run with --help for usage.");
    return CliCommand.BadInput;
}
return await parse.InvokeAsync().ConfigureAwait(false);
