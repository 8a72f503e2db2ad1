using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeSkyrmion.Edge.Host;

/// <summary>
/// The edge program's command contract (same as the operator CLI's): `--json` prints one JSON object on stdout,
/// progress goes to stderr, exit code 0 ok, 1 bad input, 2 internal error. JSON uses source-generated metadata
/// (<see cref="HostJson"/>) so the binary stays trim- and AOT-clean.
/// </summary>
internal static class HostCli
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int InternalError = 2;

    public static readonly Option<bool> Json = new("--json") { Description = "Print the result as one JSON object on stdout.", Recursive = true };

    public static Option<string> StateOption() => new("--state")
    {
        Description = "The device's state directory.",
        Required = true,
    };

    public static Command Create(string name, string description, Func<ParseResult, bool, CancellationToken, Task<int>> body)
    {
        var command = new Command(name, description);
        command.SetAction(async (parse, ct) =>
        {
            bool json = parse.GetValue(Json);
            try
            {
                return await body(parse, json, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                or ArgumentException or InvalidOperationException or FormatException)
            {
                return Fail(json, BadInput, e.Message);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                return Fail(json, InternalError, $"internal error: {e.Message}");
            }
        });
        return command;
    }

    public static void Emit<T>(bool json, T value, JsonTypeInfo<T> type, Action<TextWriter> human)
    {
        if (json) Console.Out.WriteLine(JsonSerializer.Serialize(value, type));
        else human(Console.Out);
    }

    /// <summary>A one-line progress indicator on stderr, redrawn at most every 1 %.</summary>
    public static Action<double> Progress(string label)
    {
        int last = -1;
        return fraction =>
        {
            int percent = (int)(fraction * 100);
            if (percent == last) return;
            last = percent;
            Console.Error.Write($"\r{label}: {percent,3}%");
            if (percent >= 100) Console.Error.WriteLine();
        };
    }

    private static int Fail(bool json, int code, string message)
    {
        Console.Error.WriteLine($"error: {message}");
        if (json) Console.Out.WriteLine(JsonSerializer.Serialize(new ErrorOutput(message, code), HostJson.Default.ErrorOutput));
        return code;
    }
}

internal sealed record ErrorOutput(string Error, int ExitCode);
