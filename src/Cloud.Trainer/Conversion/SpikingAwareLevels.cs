using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>Spiking-aware training options from a device preset: its signed levels and each level's pair read spread.</summary>
public static class SpikingAwareLevels
{
    /// <summary>
    /// The levels <see cref="SignedLevels.FromPreset"/> gives and, per level, the read spread of its pair: one device at
    /// sₖ and its partner at the background (zero: both at the background), each device's cycle spread and its
    /// device-to-device offset scaled by its state's skyrmion coverage, as the crossbar reads them.
    /// </summary>
    public static SpikingAwareOptions Options(StateTable table, int levels, int activationSteps, double weightSigma, bool readNoise)
    {
        SignedLevels signed = SignedLevels.FromPreset(table, levels);
        double Device(int state) => Math.Sqrt(Math.Pow(table.StateSdsG0[state], 2) +
            Math.Pow(table.DeviceToDeviceSdG0 * (table.StateMeansG0[state] - table.StateMeansG0[0]) / table.RangeG0, 2));
        double[] sd = [Math.Sqrt(2) * Device(0), .. signed.LevelStates.Select(s => Math.Sqrt(Device(s) * Device(s) + Device(0) * Device(0)))];
        return new SpikingAwareOptions
        {
            ActivationSteps = activationSteps,
            Preset = table.Name,
            Levels = levels,
            MagnitudesG0 = signed.MagnitudesG0,
            PairReadSdG0 = readNoise ? sd : new double[sd.Length],
            WeightSigma = weightSigma,
        }.Validated();
    }
}
