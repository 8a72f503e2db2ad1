using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>
/// Whether a device's noiseless conductance lies in the window write-verify accepts for a target state: between
/// the midpoints to its neighbours, widened by 3 SD of the averaged verify read (a device sitting on a window edge
/// can pass verification by read noise; its weight is then within that margin of the target level).
/// </summary>
public static class VerifyWindow
{
    public static bool Contains(StateTable table, int target, double conductanceG0, int readsPerVerify)
    {
        double[] m = table.StateMeansG0;
        double margin = 3 * table.StateSdsG0[target] / Math.Sqrt(readsPerVerify);
        double low = target == 0 ? double.NegativeInfinity : (m[target - 1] + m[target]) / 2 - margin;
        double high = target == m.Length - 1 ? double.PositiveInfinity : (m[target] + m[target + 1]) / 2 + margin;
        return conductanceG0 >= low && conductanceG0 <= high;
    }
}
