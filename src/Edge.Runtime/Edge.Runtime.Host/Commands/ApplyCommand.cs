using EdgeSkyrmion.Cli;
using System.CommandLine;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Edge.Host.Commands;

/// <summary>`edge apply`: programs a full model image from an artifact file into the crossbar (local provisioning).</summary>
internal static class ApplyCommand
{
    public sealed record Output(string UpdateId, ulong Version, bool AlreadyApplied, int DevicesProgrammed, int DevicesVerified,
        int DevicesFailed, EnergyOutput Energy, double Seconds);

    public static Command Build()
    {
        Option<string> state = HostOptions.State();
        var artifact = new Option<string>("--artifact") { Description = "Model image file written by `convert`.", Required = true };
        Command command = CliCommand.Create("apply", "Program a full model image with write-verify. Example: edge apply --state /var/edge --artifact out/model-13.img",
            (parse, ctx, _) =>
            {
                string path = parse.GetValue(artifact)!;
                if (!File.Exists(path)) throw new FileNotFoundException($"artifact {path} does not exist.", path);
                byte[] bytes = File.ReadAllBytes(path);
                ModelImage image;
                try
                {
                    image = ModelImage.Parser.ParseFrom(bytes);
                }
                catch (Google.Protobuf.InvalidProtocolBufferException e)
                {
                    throw new InvalidDataException($"{path} is not a model image ({e.Message}).", e);
                }
                ModelImageFile.Validate(image, path);
                EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
                var (layers, targets) = ImageTargets.From(image, device.Committed.Table);
                UpdateReport r = device.ApplyImage($"{image.ModelId}@{image.Version}", image.ModelId, image.Version, bytes, layers, targets,
                    ctx.Json ? null : ctx.Progress("programming"));
                var output = new Output(r.UpdateId, r.NewVersion, r.AlreadyApplied, r.DevicesProgrammed, r.DevicesVerified, r.DevicesFailed,
                    EnergyOutput.From(r.Energy), r.Seconds);
                ctx.Emit(output, HostJson.Default.ApplyOutput, o => o.WriteLine(output.AlreadyApplied
                    ? $"{image.ModelId} v{image.Version} is already programmed; nothing done."
                    : $"programmed {output.DevicesProgrammed} devices ({output.DevicesFailed} failed) in {output.Seconds:F1} s, {output.Energy.TotalEnergyFj:F0} fJ"));
                return Task.FromResult(ExitCode.Ok);
            });
        command.Options.Add(state);
        command.Options.Add(artifact);
        return command;
    }
}
