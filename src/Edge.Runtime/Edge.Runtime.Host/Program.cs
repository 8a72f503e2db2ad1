using System.CommandLine;
using EdgeSkyrmion.Edge.Host;
using EdgeSkyrmion.Edge.Host.Commands;

var root = new RootCommand("EdgeSkyrmion edge runtime: holds a model in a skyrmion crossbar, accounts its energy, infers.\nExample: edge status --state /var/edge --json");
root.Options.Add(HostCli.Json);
root.Subcommands.Add(ProvisionCommand.Build());
root.Subcommands.Add(ApplyCommand.Build());
root.Subcommands.Add(StatusCommand.Build());
root.Subcommands.Add(TrustCommand.Build());
root.Subcommands.Add(RunCommand.Build());
root.Subcommands.Add(InferCommand.Build());
root.Subcommands.Add(AgeCommand.Build());
root.Subcommands.Add(LifetimeCommand.Build());

ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
    return HostCli.BadInput;
}
return await parse.InvokeAsync().ConfigureAwait(false);
