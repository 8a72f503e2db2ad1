using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.Edge.Energy;

namespace EdgeSkyrmion.Edge.Host.Commands;

/// <summary>An energy tally as the edge reports it: counts and femtojoules.</summary>
internal sealed record EnergyOutput(long ProgrammingPulses, double ProgrammingEnergyFj, long InitializationPulses,
    double InitializationEnergyFj, long Reads, double ReadEnergyFj, double TotalEnergyFj)
{
    public static EnergyOutput From(EnergyTally t) => new(t.ProgrammingPulses, Units.Femtojoules(t.ProgrammingEnergyJ),
        t.InitializationPulses, Units.Femtojoules(t.InitializationEnergyJ), t.Reads, Units.Femtojoules(t.ReadEnergyJ), t.TotalEnergyFj);
}
