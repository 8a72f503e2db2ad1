using System.CommandLine;

namespace EdgeSkyrmion.Cloud.Cli;

/// <summary>`device derive`: the particle model's inputs measured by micromagnetics on the paper's stack.</summary>
public static class MicromagneticsDerive
{
    public static Command Build(Option<int> threads)
    {
        Command command = CliCommand.Create("derive", "Derive particle-model parameters by micromagnetics.", (parse, ctx, _) => Task.CompletedTask);
        command.Options.Add(threads);
        return command;
    }
}
