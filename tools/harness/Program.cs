using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Harness.Commands;

var root = new RootCommand(
    "EdgeSkyrmion demos and harnesses: they run the real programs (fleet server, edge, flash) as separate processes on loopback.\n" +
    "Example: es-harness demo --json (./es demo)");
root.Subcommands.Add(DemoCommand.Build());
root.Subcommands.Add(PersonalizeCommands.Build());
root.Subcommands.Add(FuzzCommand.Build());
root.Subcommands.Add(ChaosCommands.Build());
root.Subcommands.Add(LoadtestCommand.Build());
root.Subcommands.Add(LoadtestCommand.BuildLoadgen());
root.Subcommands.Add(BenchConsoleCommand.Build());
root.Subcommands.Add(BenchDbCommand.Build());
root.Subcommands.Add(BenchBuildCommand.Build());
return await CliProgram.InvokeAsync(root, args).ConfigureAwait(false);
