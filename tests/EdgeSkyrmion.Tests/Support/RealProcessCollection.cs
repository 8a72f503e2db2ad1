namespace EdgeSkyrmion.Tests.Support;

/// <summary>
/// Tests that start real server and edge processes and kill or time them: they run one at a time and not beside
/// other test classes, so the machine's load does not move their kill windows and timeouts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealProcessCollection
{
    public const string Name = "real processes";
}
