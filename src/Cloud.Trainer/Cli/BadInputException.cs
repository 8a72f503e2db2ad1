namespace EdgeSkyrmion.Cloud.Cli;

/// <summary>An operator's request that cannot be carried out as given; the CLI exits with code 1.</summary>
public sealed class BadInputException(string message) : Exception(message);
