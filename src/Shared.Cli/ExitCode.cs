namespace EdgeSkyrmion.Cli;

/// <summary>Exit codes of every EdgeSkyrmion program.</summary>
public static class ExitCode
{
    public const int Ok = 0;

    /// <summary>The caller's to fix: a missing or corrupt file, an out-of-range value, an unknown command or option.</summary>
    public const int BadInput = 1;

    /// <summary>A fault of the program or its environment; the message says what failed.</summary>
    public const int InternalError = 2;
}
