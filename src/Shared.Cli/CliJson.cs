using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeSkyrmion.Cli;

/// <summary>The error object a failing command prints on stdout under `--json`.</summary>
public sealed record ErrorOutput(string Error, int ExitCode);

/// <summary>JSON as every command prints it: snake_case names, indented, NaN/∞ allowed, enums as snake_case names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ErrorOutput))]
public sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>The same settings for reflection-based serialization (programs that are not trimmed).</summary>
    [RequiresDynamicCode("JsonStringEnumConverter without a type argument generates code at run time.")]
    public static JsonSerializerOptions ReflectionOptions() => s_reflection ??= new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static JsonSerializerOptions? s_reflection;
}
