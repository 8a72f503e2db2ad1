using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace EdgeSkyrmion.Cloud.Cli;

/// <summary>
/// What a command body gets: whether to print JSON, a console on stderr for progress and human text, and one
/// way to emit the command's result. JSON goes to stdout alone so `--json` output can be piped.
/// </summary>
public sealed class CliContext
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public bool Json { get; }
    public TextWriter Stdout { get; }

    /// <summary>Progress bars, status and human-readable diagnostics: always stderr.</summary>
    public IAnsiConsole Stderr { get; }

    public CliContext(bool json, TextWriter stdout, TextWriter stderr)
    {
        Json = json;
        Stdout = stdout;
        Stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
    }

    /// <summary>Prints the result: the object as JSON with --json, otherwise <paramref name="human"/> to stdout.</summary>
    public void Emit<T>(T result, Action<TextWriter> human)
    {
        if (Json) Stdout.WriteLine(JsonSerializer.Serialize(result, JsonOptions));
        else human(Stdout);
    }

    /// <summary>Runs <paramref name="work"/> under a progress bar on stderr; the callback reports fractions 0–1.</summary>
    public T WithProgress<T>(string description, Func<Action<double>, T> work)
    {
        T result = default!;
        Stderr.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask(description, maxValue: 1.0);
                result = work(fraction => task.Value = Math.Clamp(fraction, 0, 1));
                task.Value = 1.0;
            });
        return result;
    }

    public void Info(string message) => Stderr.MarkupLineInterpolated($"[grey]{message}[/]");
}
