using EdgeSkyrmion.DeviceModel.Protocol;
using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class CompactSynapseTests
{
    private static readonly StateTable Table = Presets.Get(Presets.Default);

    [Fact]
    public void PulseStepFrequenciesFollowTheTable()
    {
        var rng = new Random(5);
        var counts = new int[3];
        for (int i = 0; i < 20000; i++)
            counts[CompactSynapse.ApplyPulse(Table, 2, PulseDirection.Ltp, cold: false, rng.NextDouble()) - 2]++;
        for (int k = 0; k < 3; k++)
            Assert.InRange(counts[k] / 20000.0, Table.LtpStepProbabilities[2][k] - 0.02, Table.LtpStepProbabilities[2][k] + 0.02);
    }

    [Fact]
    public void LtdMovesDownAndStatesStayInRange()
    {
        Assert.True(CompactSynapse.ApplyPulse(Table, 3, PulseDirection.Ltd, false, 0.5) < 3);
        Assert.Equal(0, CompactSynapse.ApplyPulse(Table, 0, PulseDirection.Ltd, false, 0.99));
        Assert.Equal(Table.States - 1, CompactSynapse.ApplyPulse(Table, Table.States - 1, PulseDirection.Ltp, false, 0.99));
    }

    [Fact]
    public void ColdDeviceMovesOnlyAtTheColdStepProbabilityAndNormallyOnceInitialized()
    {
        var rng = new Random(1);
        int movedCold = 0, movedWarm = 0;
        for (int i = 0; i < 10000; i++)
        {
            if (CompactSynapse.ApplyPulse(Table, 1, PulseDirection.Ltp, cold: true, rng.NextDouble()) != 1) movedCold++;
            if (CompactSynapse.ApplyPulse(Table, 1, PulseDirection.Ltp, cold: false, rng.NextDouble()) != 1) movedWarm++;
        }
        Assert.InRange(movedCold / 10000.0, Table.ColdStepProbability - 0.02, Table.ColdStepProbability + 0.02);
        double warm = 1 - Table.LtpStepProbabilities[1][0];
        Assert.InRange(movedWarm / 10000.0, warm - 0.02, warm + 0.02);
        Assert.True(warm > Table.ColdStepProbability + 0.1, "the preset's cold and initialized devices should differ for this test to mean anything");
    }

    [Fact]
    public void NearestStateInvertsANoiselessRead()
    {
        for (int s = 0; s < Table.States; s++)
            Assert.Equal(s, CompactSynapse.NearestState(Table, CompactSynapse.ReadG0(Table, s, 0, 0)));
    }
}
