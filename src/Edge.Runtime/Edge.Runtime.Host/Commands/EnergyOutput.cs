using EdgeSkyrmion.Edge.Energy;

namespace EdgeSkyrmion.Edge.Host.Commands;

/// <summary>An energy tally as the edge reports it: counts and femtojoules.</summary>
internal sealed record EnergyOutput(long ProgrammingPulses, double ProgrammingEnergyFj, long InitializationPulses,
    double InitializationEnergyFj, long Reads, double ReadEnergyFj, double TotalEnergyFj)
{
    public static EnergyOutput From(EnergyTally t) => new(t.ProgrammingPulses, t.ProgrammingEnergyJ * 1e15,
        t.InitializationPulses, t.InitializationEnergyJ * 1e15, t.Reads, t.ReadEnergyJ * 1e15, t.TotalEnergyFj);
}
