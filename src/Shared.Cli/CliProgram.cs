using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;

namespace EdgeSkyrmion.Cli;

/// <summary>
/// Parses and runs a program's root command. A command line that does not parse (unknown command or option, a
/// value of the wrong kind) is one clear line per problem on stderr and <see cref="ExitCode.BadInput"/>.
/// </summary>
public static partial class CliProgram
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        root.Options.Add(CliCommand.JsonOption);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parse.Errors) Console.Error.WriteLine($"error: {Plain(error.Message)}");
            Console.Error.WriteLine("Run with --help for usage.");
            return ExitCode.BadInput;
        }
        return await parse.InvokeAsync().ConfigureAwait(false);
    }

    /// <summary>System.CommandLine names .NET types in conversion errors ("as expected type 'System.Int32'"): say what values are allowed instead.</summary>
    internal static string Plain(string message) =>
        ExpectedType().Replace(message, m => "; expected " + Kind(m.Groups["type"].Value));

    private static string Kind(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.UInt32" or "System.UInt64" => "a whole number ≥ 0",
        "System.Double" or "System.Single" or "System.Nullable`1[System.Double]" => "a number (e.g. 0.5 or 2e6)",
        "System.Boolean" => "true or false",
        _ => "a value of the documented form",
    };

    [GeneratedRegex(@"\s*as expected type '(?<type>[^']+)'\.?")]
    private static partial Regex ExpectedType();
}
