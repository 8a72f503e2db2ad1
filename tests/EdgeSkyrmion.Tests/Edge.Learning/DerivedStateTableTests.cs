using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Stdp;

namespace EdgeSkyrmion.Tests.Stdp;

public class DerivedStateTableTests
{
    private static readonly StateTable Preset = Presets.Get(Presets.Default);

    [Fact]
    public void ThePresetsOwnCountReturnsThePresetUnchanged() =>
        Assert.Same(Preset, DerivedStateTable.For(Preset, Preset.States));

    [Fact]
    public void NStatesAreEvenlySpacedOverThePresetRangeWithItsStatistics()
    {
        StateTable four = DerivedStateTable.For(Preset, 4);
        Assert.Equal(4, four.States);
        Assert.Equal(Preset.StateMeansG0[0], four.StateMeansG0[0], 12);
        Assert.Equal(Preset.StateMeansG0[^1], four.StateMeansG0[^1], 12);
        Assert.Equal(four.StateMeansG0[1] - four.StateMeansG0[0], four.StateMeansG0[3] - four.StateMeansG0[2], 12);
        Assert.Equal(Preset.StateSdsG0[1], four.StateSdsG0[2]);
        Assert.Equal(Preset.LtpStepProbabilities[Preset.States / 2], four.LtpStepProbabilities[1]);
        Assert.Equal([1.0, 0, 0], four.LtpStepProbabilities[3]);
        Assert.Equal([1.0, 0, 0], four.LtdStepProbabilities[0]);
        Assert.Equal(Preset.PulseEnergyJ, four.PulseEnergyJ);
    }

    [Fact]
    public void FewerThanTwoStatesIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => DerivedStateTable.For(Preset, 1));
        Assert.Contains("at least 2 states", e.Message);
    }
}
