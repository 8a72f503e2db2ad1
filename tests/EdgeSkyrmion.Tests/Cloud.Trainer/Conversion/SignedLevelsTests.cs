using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Tests.Conversion;

public class SignedLevelsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(4)]
    [InlineData(12)]
    public void LevelsMustBeOddAndPositive(int levels)
    {
        var error = Assert.Throws<ArgumentException>(() => SignedLevels.Uniform(levels));
        Assert.Contains("odd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePresetGivesThirteenLevelsFromItsSixSkyrmionicStates()
    {
        StateTable table = Presets.Get(Presets.Default);
        SignedLevels levels = SignedLevels.FromPreset(table, 13);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, levels.LevelStates);
        Assert.Equal(table.StateMeansG0, levels.StateMeansG0);
        Assert.Equal(table.StateMeansG0[6] - table.StateMeansG0[0], levels.TopG0, 12);
        Assert.Throws<ArgumentException>(() => SignedLevels.FromPreset(table, 15));
    }

    [Fact]
    public void FewerLevelsUseAnEvenlySpreadSubsetKeepingTheTopState()
    {
        StateTable table = Presets.Get(Presets.Default);
        Assert.Equal(new byte[] { 2, 4, 6 }, SignedLevels.FromPreset(table, 7).LevelStates);
        Assert.Equal(new byte[] { 6 }, SignedLevels.FromPreset(table, 3).LevelStates);
        Assert.Empty(SignedLevels.FromPreset(table, 1).LevelStates);
    }

    [Fact]
    public void EncodingPicksTheNearestPairAndClipsAtTheTop()
    {
        SignedLevels levels = SignedLevels.Uniform(13);
        Assert.Equal(7, levels.StateMeansG0.Length);
        Assert.Equal(((byte)0, (byte)0), levels.Encode(0.04));
        Assert.Equal(((byte)1, (byte)0), levels.Encode(0.06));
        Assert.Equal(((byte)0, (byte)3), levels.Encode(-0.29));
        Assert.Equal(((byte)6, (byte)0), levels.Encode(5.0));
        Assert.Equal(((byte)0, (byte)6), levels.Encode(-5.0));
        Assert.Equal(((byte)0, (byte)0), SignedLevels.Uniform(1).Encode(0.9));
    }
}
