using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Edge.Crossbar;

/// <summary>
/// Expected cost of moving one device between states with write-verify, from the compact model: the pulses the
/// procedure takes on the state table's step probabilities, stalls and overshoots included (<see cref="WriteVerifyChain"/>),
/// a cold device first takes one initialization pulse, and every pulse is followed by an averaged read (plus the
/// confirming read at the end). Used by the cloud to price an
/// update before it is sent, and by update planning to rank changes by cost.
/// </summary>
public static class ProgrammingCost
{
    public readonly record struct Estimate(double Pulses, double InitializationPulses, double Reads, double EnergyJ)
    {
        public static Estimate operator +(Estimate a, Estimate b) =>
            new(a.Pulses + b.Pulses, a.InitializationPulses + b.InitializationPulses, a.Reads + b.Reads, a.EnergyJ + b.EnergyJ);
    }

    /// <summary>Write-verify gives up after this many pulses (the default of the device's programming options).</summary>
    private static readonly double MaxPulses = new Runtime.ProgrammingOptions().MaxPulsesPerDevice;

    public static Estimate Move(StateTable table, int from, int to, int readsPerVerify)
    {
        double pulses = from == to ? 0 : Math.Min(WriteVerifyChain.ExpectedPulses(table, from, to), MaxPulses);
        double inits = from == to ? 0 : 1;
        double reads = (pulses + 2) * readsPerVerify;
        double energy = pulses * table.PulseEnergyJ + inits * table.InitializationPulseEnergyJ + reads * table.ReadEnergyJ;
        return new Estimate(pulses, inits, reads, energy);
    }
}
