namespace EdgeSkyrmion.Cli;

/// <summary>A request that cannot be carried out as given; every program exits with <see cref="ExitCode.BadInput"/>.</summary>
public sealed class BadInputException(string message) : Exception(message);
