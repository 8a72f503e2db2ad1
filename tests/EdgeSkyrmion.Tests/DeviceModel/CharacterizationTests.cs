using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Protocol;

namespace EdgeSkyrmion.Tests.DeviceModel;

/// <summary>The paper's qualitative results on small particle-model runs (a few devices each; one run per design point).</summary>
public class CharacterizationTests(CharacterizationTests.Runs runs) : IClassFixture<CharacterizationTests.Runs>
{
    public sealed class Runs
    {
        private readonly Dictionary<(int, double), Characterizer.Result> _cache = [];

        public Characterizer.Result Get(int mml, double temperatureK, int devices)
        {
            lock (_cache)
            {
                if (!_cache.TryGetValue((mml, temperatureK), out var result))
                {
                    var configuration = new DeviceConfiguration { MultilayerRepeats = mml, TemperatureK = temperatureK };
                    result = Characterizer.Run(configuration, new PulseProtocol(), devices, 11, new CpuParticleBackend(), "test");
                    _cache[(mml, temperatureK)] = result;
                }
                return result;
            }
        }
    }

    [Fact]
    public void AtZeroKelvinLtpPulsesGiveACleanStaircase()
    {
        Characterizer.Result r = runs.Get(4, 0, 3);
        for (int d = 0; d < 3; d++)
        {
            double[] ltp = [.. r.Measured.Take(11).Select(g => g.MeanG0[d])];
            for (int k = 1; k < ltp.Length; k++)
                Assert.True(ltp[k] >= ltp[k - 1] - 1e-3, $"device {d}: the 0 K LTP staircase fell at pulse {k}: {string.Join(' ', ltp.Select(g => g.ToString("F3")))}");
            // Each pulse carries one or two skyrmions under the MTJ until the pre-synapse region jams (≈ 10 skyrmions).
            Assert.True(r.StaircaseStates[d] >= 6, $"device {d}: {r.StaircaseStates[d]} distinguishable states on the 0 K LTP staircase");
        }
        Assert.True(r.Levels.MeansG0.Length >= 10, $"{r.Levels.MeansG0.Length} distinguishable states at 0 K (one per skyrmion count)");
    }

    [Fact]
    public void FourRepeatsAtRoomTemperatureResolveFiveToSevenStatesOverTheUsefulRange()
    {
        StateTable table = runs.Get(4, 300, 6).Table!;
        Assert.InRange(table.States, 5, 7);
        Assert.InRange(table.StateMeansG0[0], 0.98, 1.05);
        Assert.InRange(table.StateMeansG0[^1], 1.35, 1.7);
        for (int s = 1; s < table.States; s++)
            Assert.True(table.StateMeansG0[s] - table.StateMeansG0[s - 1] > table.StateSdsG0[s] + table.StateSdsG0[s - 1]);
    }

    [Fact]
    public void TheSingleFilmsStaircaseCollapsesAtRoomTemperature()
    {
        int single = StateTableBuilder.Median(runs.Get(1, 300, 6).StaircaseStates), multilayer = StateTableBuilder.Median(runs.Get(4, 300, 6).StaircaseStates);
        Assert.True(single <= 3, $"n = 1 at 300 K: one device's staircase resolves {single} states (paper: about 2)");
        Assert.True(single < multilayer, $"n = 1: {single} staircase states, n = 4: {multilayer}");
    }

    [Fact]
    public void MoreRepeatsGiveLargerSkyrmionsAndSmallerConductanceSpread()
    {
        Characterizer.Result two = runs.Get(2, 300, 4), eight = runs.Get(8, 300, 4);
        Assert.True(SkyrmionGeometry.ForRepeats(8).RadiusM > SkyrmionGeometry.ForRepeats(2).RadiusM);
        Assert.True(eight.Levels.SdsG0.Skip(1).Average() < two.Levels.SdsG0.Skip(1).Average(),
            $"mean skyrmionic-state SD n = 8: {eight.Levels.SdsG0.Skip(1).Average():F4}, n = 2: {two.Levels.SdsG0.Skip(1).Average():F4}");
    }

    [Fact]
    public void AfterALongIdleProgrammingStallsAndTheInitializationPulseRestoresIt()
    {
        StateTable table = runs.Get(4, 300, 6).Table!;
        Assert.True(table.InitializedStepProbability > table.ColdStepProbability,
            $"cold {table.ColdStepProbability}, initialized {table.InitializedStepProbability}");
        Characterizer.Result r = runs.Get(4, 300, 6);
        double programmed = r.Equilibrated.MeanG0.Average(), recovered = r.Initialized.MeanG0.Average();
        Assert.True(recovered > programmed, "the initialization pulse gathers the post-synapse skyrmions back under the MTJ");
        Assert.Equal(r.Equilibrated.SkyrmionsPastBarrier, r.Initialized.SkyrmionsPastBarrier);
    }
}
