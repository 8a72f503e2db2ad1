using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.OperatorCli.Commands;

var root = new RootCommand(
    "EdgeSkyrmion operator CLI: train in the cloud, quantize to skyrmion states, convert to SNN, update the fleet.\n" +
    "Example: edgeskyrmion data fetch --dir data/mnist && edgeskyrmion data info --data data/mnist --json");
root.Subcommands.Add(DataCommands.Build());
root.Subcommands.Add(TrainCommand.Build());
root.Subcommands.Add(ConvertCommand.Build());
root.Subcommands.Add(EvaluateCommand.Build());
root.Subcommands.Add(SweepCommand.Build());
root.Subcommands.Add(SweepTimestepsCommand.Build());
root.Subcommands.Add(FleetCommands.Build());
root.Subcommands.Add(StdpCommands.Build());
root.Subcommands.Add(VersionCommand.Build());
root.Subcommands.Add(DeviceCommands.Build());
root.Subcommands.Add(LifetimeCurveCommand.Build());
root.Subcommands.Add(RefreshIntervalCommand.Build());
root.Subcommands.Add(UserCommands.Build());
root.Subcommands.Add(PlanUpdateCommand.Build());
root.Subcommands.Add(ReportCommand.Build());
return await CliProgram.InvokeAsync(root, args).ConfigureAwait(false);
