using System.CommandLine;
using System.Text.Json;

namespace EdgeSkyrmion.Cloud.Cli;

/// <summary>
/// Wraps a command body with the CLI's contract: `--json` on every command, exit code 0 ok, 1 bad input
/// (corrupt or missing file, out-of-range value), 2 internal error, and errors that say what was wrong.
/// </summary>
public static class CliCommand
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int InternalError = 2;

    public static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print the result as one JSON object on stdout (progress stays on stderr).",
        Recursive = true,
    };

    /// <summary>Creates a command whose action runs <paramref name="body"/> under the exit-code contract.</summary>
    public static Command Create(string name, string description, Func<ParseResult, CliContext, CancellationToken, Task> body)
    {
        var command = new Command(name, description);
        command.SetAction((parse, ct) => Run(parse, (ctx, token) => body(parse, ctx, token), ct));
        return command;
    }

    public static async Task<int> Run(ParseResult parse, Func<CliContext, CancellationToken, Task> body, CancellationToken ct)
    {
        var ctx = new CliContext(parse.GetValue(JsonOption), Console.Out, Console.Error);
        try
        {
            await body(ctx, ct).ConfigureAwait(false);
            return Ok;
        }
        catch (Exception e) when (IsBadInput(e))
        {
            return Fail(ctx, BadInput, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Fail(ctx, InternalError, "cancelled");
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e);
            return Fail(ctx, InternalError, $"internal error: {e.Message}");
        }
    }

    /// <summary>Bad input is the caller's to fix: a file that is missing or corrupt, or a value out of range.</summary>
    public static bool IsBadInput(Exception e) => e is BadInputException or InvalidDataException or FileNotFoundException
        or DirectoryNotFoundException or ArgumentException or FormatException;

    private static int Fail(CliContext ctx, int code, string message)
    {
        Console.Error.WriteLine($"error: {message}");
        if (ctx.Json)
            ctx.Stdout.WriteLine(JsonSerializer.Serialize(new { error = message, exit_code = code }, CliContext.JsonOptions));
        return code;
    }
}
