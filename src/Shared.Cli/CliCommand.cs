using System.CommandLine;

namespace EdgeSkyrmion.Cli;

/// <summary>
/// Wraps a command body with the contract: `--json` on every command, <see cref="ExitCode"/>s, and an error that
/// says what was wrong (one line on stderr, and an <see cref="ErrorOutput"/> on stdout under `--json`).
/// </summary>
public static class CliCommand
{
    public static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print the result as one JSON object on stdout (progress stays on stderr).",
        Recursive = true,
    };

    /// <summary>Creates a command whose action runs <paramref name="body"/> under the contract; the body's return value is the exit code.</summary>
    public static Command Create(string name, string description, Func<ParseResult, CliContext, CancellationToken, Task<int>> body)
    {
        var command = new Command(name, description);
        command.SetAction((parse, ct) => Run(parse, (ctx, token) => body(parse, ctx, token), ct));
        return command;
    }

    /// <summary>Creates a command whose body exits <see cref="ExitCode.Ok"/> when it returns.</summary>
    public static Command Create(string name, string description, Func<ParseResult, CliContext, CancellationToken, Task> body) =>
        Create(name, description, async (parse, ctx, ct) =>
        {
            await body(parse, ctx, ct).ConfigureAwait(false);
            return ExitCode.Ok;
        });

    public static async Task<int> Run(ParseResult parse, Func<CliContext, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        var ctx = new CliContext(parse.GetValue(JsonOption), Console.Out, Console.Error);
        try
        {
            return await body(ctx, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBadInput(e))
        {
            return Fail(ctx, ExitCode.BadInput, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Fail(ctx, ExitCode.InternalError, "cancelled");
        }
        catch (Exception e)
        {
            ctx.Stderr.WriteLine(e);
            return Fail(ctx, ExitCode.InternalError, $"internal error: {e.Message}");
        }
    }

    /// <summary>Bad input is the caller's to fix: a file that is missing or corrupt, a value out of range, a credential refused.</summary>
    public static bool IsBadInput(Exception e) => e is BadInputException or InvalidDataException or FileNotFoundException
        or DirectoryNotFoundException or ArgumentException or FormatException or UnauthorizedAccessException;

    private static int Fail(CliContext ctx, int code, string message)
    {
        ctx.Stderr.WriteLine($"error: {message}");
        if (ctx.Json) ctx.Stdout.WriteLine(System.Text.Json.JsonSerializer.Serialize(new ErrorOutput(message, code), CliJson.Default.ErrorOutput));
        return code;
    }
}
