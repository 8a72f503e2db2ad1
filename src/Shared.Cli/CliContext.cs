using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeSkyrmion.Cli;

/// <summary>
/// What a command body gets: whether to print JSON, and one way to emit its result, progress and notes. The result
/// goes to stdout (JSON alone under `--json`, so it can be piped); progress and notes always go to stderr.
/// </summary>
public sealed class CliContext(bool json, TextWriter stdout, TextWriter stderr)
{
    public bool Json { get; } = json;
    public TextWriter Stdout { get; } = stdout;
    public TextWriter Stderr { get; } = stderr;

    /// <summary>Prints the result with source-generated JSON metadata (trim- and AOT-clean).</summary>
    public void Emit<T>(T result, JsonTypeInfo<T> type, Action<TextWriter> human)
    {
        if (Json) Stdout.WriteLine(JsonSerializer.Serialize(result, type));
        else human(Stdout);
    }

    /// <summary>Prints the result with reflection-based JSON (<see cref="CliJson.ReflectionOptions"/>), for programs that are not trimmed.</summary>
    [RequiresUnreferencedCode("Reflection-based JSON; AOT programs pass a JsonTypeInfo.")]
    [RequiresDynamicCode("Reflection-based JSON; AOT programs pass a JsonTypeInfo.")]
    public void Emit<T>(T result, Action<TextWriter> human)
    {
        if (Json) Stdout.WriteLine(JsonSerializer.Serialize(result, CliJson.ReflectionOptions()));
        else human(Stdout);
    }

    /// <summary>
    /// Progress on stderr with elapsed time and an estimate of what is left: one line redrawn at each percent on a
    /// terminal; a line every 10 % when stderr goes to a file or pipe (no carriage-return clutter in logs).
    /// </summary>
    public Action<double> Progress(string label)
    {
        bool terminal = ReferenceEquals(Stderr, Console.Error) && !Console.IsErrorRedirected;
        int step = terminal ? 1 : 10;
        int last = -1;
        var clock = Stopwatch.StartNew();
        return fraction =>
        {
            int percent = (int)(Math.Clamp(fraction, 0, 1) * 100) / step * step;
            if (percent == last) return;
            last = percent;
            double elapsed = clock.Elapsed.TotalSeconds;
            string left = percent is > 0 and < 100 ? $", ~{elapsed * (100 - percent) / percent:F0} s left" : "";
            string text = $"{label}: {percent,3}% ({elapsed:F0} s{left})";
            if (!terminal) Stderr.WriteLine(text);
            else
            {
                Stderr.Write($"\r{text}   ");
                if (percent >= 100) Stderr.WriteLine();
            }
        };
    }

    /// <summary>Runs <paramref name="work"/> with a progress line; the callback reports fractions 0–1.</summary>
    public T WithProgress<T>(string description, Func<Action<double>, T> work)
    {
        Action<double> report = Progress(description);
        T result = work(report);
        report(1.0);
        return result;
    }

    public void Info(string message) => Stderr.WriteLine(message);
}
