using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Edge.Crossbar;

/// <summary>
/// Expected cost of moving one device between states with write-verify, from the compact model: each state step
/// takes 1/E[steps per pulse] pulses in that state, a cold device first takes one initialization pulse, and every
/// pulse is followed by an averaged read (plus the confirming read at the end). Used by the cloud to price an
/// update before it is sent, and by update planning to rank changes by cost.
/// </summary>
public static class ProgrammingCost
{
    public readonly record struct Estimate(double Pulses, double InitializationPulses, double Reads, double EnergyJ)
    {
        public static Estimate operator +(Estimate a, Estimate b) =>
            new(a.Pulses + b.Pulses, a.InitializationPulses + b.InitializationPulses, a.Reads + b.Reads, a.EnergyJ + b.EnergyJ);
    }

    public static Estimate Move(StateTable table, int from, int to, int readsPerVerify)
    {
        double pulses = 0;
        int state = from;
        while (state != to)
        {
            bool up = to > state;
            double[] row = up ? table.LtpStepProbabilities[state] : table.LtdStepProbabilities[state];
            double meanSteps = row[1] + 2 * row[2];
            pulses += meanSteps > 0 ? 1 / meanSteps : 1;
            state += up ? 1 : -1;
        }
        double inits = from == to ? 0 : 1;
        double reads = (pulses + 2) * readsPerVerify;
        double energy = pulses * table.PulseEnergyJ + inits * table.InitializationPulseEnergyJ + reads * table.ReadEnergyJ;
        return new Estimate(pulses, inits, reads, energy);
    }
}
