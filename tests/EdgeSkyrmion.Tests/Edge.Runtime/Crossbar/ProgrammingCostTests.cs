using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Energy;

namespace EdgeSkyrmion.Tests.Crossbar;

public class ProgrammingCostTests
{
    /// <summary>
    /// The pre-send estimate against write-verify itself on the compact model: cold devices moved between random
    /// states (or to a neighbouring state, as a fine-tuning delta mostly does), at each temperature's table; the
    /// estimated energy must be within 5 % of what the ledger books.
    /// </summary>
    [Theory]
    [InlineData("mml4-300K", false)]
    [InlineData("mml4-310K", false)]
    [InlineData("mml4-315K", false)]
    [InlineData("mml4-300K", true)]
    [InlineData("mml4-310K", true)]
    public void EstimateIsWithinFivePercentOfWriteVerify(string preset, bool neighbours)
    {
        StateTable table = Presets.Get(preset);
        const int count = 20_000;
        var random = new Random(5);
        byte[] from = Enumerable.Range(0, count).Select(_ => (byte)random.Next(table.States)).ToArray();
        byte[] to = from.Select(f => (byte)(neighbours ? (f == 0 || (f < table.States - 1 && random.Next(2) == 0) ? f + 1 : f - 1)
            : (f + 1 + random.Next(table.States - 1)) % table.States)).ToArray();
        var devices = new DeviceArray(table, count, seed: 8);
        devices.Restore(from, new ulong[(count + 63) / 64]);
        devices.BeginProgrammingSession(idleS: 3600);
        EnergyTally before = devices.Ledger.Snapshot();
        var estimate = default(ProgrammingCost.Estimate);
        for (int d = 0; d < count; d++)
        {
            devices.Program(d, to[d], maxPulses: 24, readsPerVerify: 16);
            estimate += ProgrammingCost.Move(table, from[d], to[d], 16);
        }
        EnergyTally measured = devices.Ledger.Snapshot() - before;
        double error = estimate.EnergyJ / measured.TotalEnergyJ - 1;
        Assert.True(Math.Abs(error) < 0.05, $"{preset}: estimated {estimate.EnergyJ * 1e9:F2} nJ, measured {measured.TotalEnergyJ * 1e9:F2} nJ ({error:+0.0%;-0.0%})");
    }
}
