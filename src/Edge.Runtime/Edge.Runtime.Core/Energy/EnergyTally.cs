using EdgeSkyrmion.DeviceModel.Energy;
namespace EdgeSkyrmion.Edge.Energy;

/// <summary>
/// Counts and energies of the three things that cost energy on the crossbar: programming pulses (paper Eq. 3),
/// initialization pulses (cold start) and MTJ reads. Joules throughout; `Femtojoules` properties are for display.
/// Tallies add and subtract, so an update's or an inference's cost is the difference of two ledger snapshots.
/// </summary>
public readonly record struct EnergyTally(
    long ProgrammingPulses, double ProgrammingEnergyJ,
    long InitializationPulses, double InitializationEnergyJ,
    long Reads, double ReadEnergyJ)
{
    public double TotalEnergyJ => ProgrammingEnergyJ + InitializationEnergyJ + ReadEnergyJ;
    public double TotalEnergyFj => Units.Femtojoules(TotalEnergyJ);

    public static EnergyTally operator +(EnergyTally a, EnergyTally b) => new(
        a.ProgrammingPulses + b.ProgrammingPulses, a.ProgrammingEnergyJ + b.ProgrammingEnergyJ,
        a.InitializationPulses + b.InitializationPulses, a.InitializationEnergyJ + b.InitializationEnergyJ,
        a.Reads + b.Reads, a.ReadEnergyJ + b.ReadEnergyJ);

    public static EnergyTally operator -(EnergyTally a, EnergyTally b) => new(
        a.ProgrammingPulses - b.ProgrammingPulses, a.ProgrammingEnergyJ - b.ProgrammingEnergyJ,
        a.InitializationPulses - b.InitializationPulses, a.InitializationEnergyJ - b.InitializationEnergyJ,
        a.Reads - b.Reads, a.ReadEnergyJ - b.ReadEnergyJ);
}
