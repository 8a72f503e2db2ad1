using EdgeSkyrmion.Edge.Energy;

namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>What applying one update did: how many devices were programmed and verified, and what it cost.</summary>
public sealed record UpdateReport(
    string UpdateId,
    ulong BaseVersion,
    ulong NewVersion,
    bool AlreadyApplied,
    bool Resumed,
    int DevicesProgrammed,
    int DevicesVerified,
    int DevicesFailed,
    EnergyTally Energy,
    double Seconds)
{
    public double EnergyFj => Energy.TotalEnergyFj;
}
