namespace EdgeSkyrmion.Protos.V1;

/// <summary>The energy an update (or a device's life) cost, summed: the cloud's ledger, its telemetry and `flash` report it.</summary>
public sealed partial class EnergyReport
{
    /// <summary>Programming, initialization and read energy together, fJ.</summary>
    public double TotalEnergyFj => ProgrammingEnergyFj + InitializationEnergyFj + ReadEnergyFj;
}
