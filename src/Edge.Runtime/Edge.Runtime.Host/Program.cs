using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Edge.Host.Commands;

var root = new RootCommand("EdgeSkyrmion edge runtime: holds a model in a skyrmion crossbar, accounts its energy, infers.\nExample: edge status --state /var/edge --json");
root.Subcommands.Add(ProvisionCommand.Build());
root.Subcommands.Add(ApplyCommand.Build());
root.Subcommands.Add(StatusCommand.Build());
root.Subcommands.Add(TrustCommand.Build());
root.Subcommands.Add(RunCommand.Build());
root.Subcommands.Add(InferCommand.Build());
root.Subcommands.Add(AgeCommand.Build());
root.Subcommands.Add(RefreshCommand.Build());
root.Subcommands.Add(LifetimeCommand.Build());
return await CliProgram.InvokeAsync(root, args).ConfigureAwait(false);
