using EdgeSkyrmion.Cli;
using Google.Protobuf;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>
/// Prints a message of the operator contract as the command's result: under `--json` in the proto3 JSON mapping with
/// the contract's own snake_case field names (enums by name, 64-bit integers as strings), so the CLI's JSON is the
/// contract's JSON.
/// </summary>
public static class MessageOutput
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true).WithIndentation());

    public static void EmitMessage(this CliContext ctx, IMessage message, Action<TextWriter> human)
    {
        if (ctx.Json) ctx.Stdout.WriteLine(Formatter.Format(message));
        else human(ctx.Stdout);
    }
}
