using EdgeSkyrmion.DeviceModel.Protocol;
namespace EdgeSkyrmion.DeviceModel.Compact;

/// <summary>
/// The compact model's dynamics: how one pulse moves a device between the states of a <see cref="StateTable"/>,
/// and what one read returns. Stateless and allocation-free, so the crossbar can call it per synapse; the caller
/// owns the device's state and supplies the uniform/normal random numbers (keeps runs reproducible per seed).
/// </summary>
public static class CompactSynapse
{
    /// <summary>
    /// The state after one pulse. <paramref name="uniform"/> ∈ [0, 1) picks 0, 1 or 2 steps from the table's step
    /// probabilities; a cold (equilibrated) device moves only with <see cref="StateTable.ColdStepProbability"/>.
    /// </summary>
    public static int ApplyPulse(StateTable table, int state, PulseDirection direction, bool cold, double uniform)
    {
        double[] row = direction == PulseDirection.Ltp ? table.LtpStepProbabilities[state] : table.LtdStepProbabilities[state];
        int steps;
        if (cold)
        {
            steps = uniform < table.ColdStepProbability ? 1 : 0;
        }
        else
        {
            steps = uniform < row[0] ? 0 : uniform < row[0] + row[1] ? 1 : 2;
        }
        return Math.Clamp(state + (int)direction * steps, 0, table.States - 1);
    }

    /// <summary>
    /// One read in units of G0: the state's mean, plus this device's fixed offset (device-to-device variation),
    /// plus the state's cycle-to-cycle spread times <paramref name="standardNormal"/>. The device offset is scaled by
    /// the state's skyrmion coverage, (mean − mean₀)/(mean_top − mean₀): device-to-device variation comes from the
    /// skyrmions (their size and position differ from device to device), so the background state with no skyrmion
    /// under the MTJ reads G0 on every device and the full state carries the whole offset.
    /// </summary>
    public static double ReadG0(StateTable table, int state, double deviceOffsetG0, double standardNormal)
    {
        double[] means = table.StateMeansG0;
        double coverage = (means[state] - means[0]) / (means[^1] - means[0]);
        return means[state] + deviceOffsetG0 * coverage + table.StateSdsG0[state] * standardNormal;
    }

    /// <summary>The state whose mean is nearest to a read value: what write-verify compares with its target.</summary>
    public static int NearestState(StateTable table, double conductanceG0)
    {
        double[] means = table.StateMeansG0;
        int best = 0;
        for (int s = 1; s < means.Length; s++)
            if (Math.Abs(means[s] - conductanceG0) < Math.Abs(means[best] - conductanceG0)) best = s;
        return best;
    }
}
