namespace EdgeSkyrmion.Edge.Energy;

/// <summary>
/// The running account of a crossbar's energy. Every pulse and read goes through it; nothing on the device
/// spends energy without an entry. Not thread-safe: one crossbar is programmed or read by one thread at a time.
/// </summary>
public sealed class EnergyLedger
{
    private long _programmingPulses;
    private double _programmingEnergyJ;
    private long _initializationPulses;
    private double _initializationEnergyJ;
    private long _reads;
    private double _readEnergyJ;

    public EnergyLedger(EnergyTally opening = default)
    {
        _programmingPulses = opening.ProgrammingPulses;
        _programmingEnergyJ = opening.ProgrammingEnergyJ;
        _initializationPulses = opening.InitializationPulses;
        _initializationEnergyJ = opening.InitializationEnergyJ;
        _reads = opening.Reads;
        _readEnergyJ = opening.ReadEnergyJ;
    }

    public void ProgrammingPulse(double energyJ)
    {
        _programmingPulses++;
        _programmingEnergyJ += energyJ;
    }

    public void InitializationPulse(double energyJ)
    {
        _initializationPulses++;
        _initializationEnergyJ += energyJ;
    }

    public void Read(double energyJ) => Reads(1, energyJ);

    /// <summary>Books <paramref name="count"/> reads of <paramref name="energyEachJ"/> at once (a crossbar row read).</summary>
    public void Reads(long count, double energyEachJ)
    {
        _reads += count;
        _readEnergyJ += count * energyEachJ;
    }

    public EnergyTally Snapshot() => new(_programmingPulses, _programmingEnergyJ, _initializationPulses, _initializationEnergyJ, _reads, _readEnergyJ);
}
