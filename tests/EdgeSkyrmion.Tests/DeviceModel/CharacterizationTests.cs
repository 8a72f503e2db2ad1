using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Protocol;

namespace EdgeSkyrmion.Tests.DeviceModel;

/// <summary>The paper's qualitative results on small particle-model runs (a few devices each; one run per design point).</summary>
public class CharacterizationTests(CharacterizationTests.Runs runs) : IClassFixture<CharacterizationTests.Runs>
{
    public sealed class Runs
    {
        private readonly Dictionary<(int, double, double), Characterizer.Result> _cache = [];

        public Characterizer.Result Get(int mml, double temperatureK, int devices, double interspaceDskr = 1.5)
        {
            lock (_cache)
            {
                if (!_cache.TryGetValue((mml, temperatureK, interspaceDskr), out var result))
                {
                    var configuration = new DeviceConfiguration { MultilayerRepeats = mml, TemperatureK = temperatureK, InterspaceDskr = interspaceDskr };
                    result = Characterizer.Run(configuration, new PulseProtocol(), devices, 11, new CpuParticleBackend(), "test");
                    _cache[(mml, temperatureK, interspaceDskr)] = result;
                }
                return result;
            }
        }
    }

    [Fact]
    public void AtZeroKelvinLtpPulsesGiveACleanStaircase()
    {
        Characterizer.Result r = runs.Get(4, 0, 3), warm = runs.Get(4, 300, 6);
        // Clean: without thermal motion and breathing a read varies within its gap only by the post-pulse drift.
        static double MeanReadSd(Characterizer.Result c) => c.Measured.Take(11).Average(g => g.SdG0.Average());
        Assert.True(MeanReadSd(r) < MeanReadSd(warm) / 2, $"mean read SD {MeanReadSd(r):F4} G0 at 0 K, {MeanReadSd(warm):F4} G0 at 300 K");
        // About one skyrmion per pulse under the MTJ until it is full (≈ 11).
        for (int d = 0; d < 3; d++)
            Assert.True(r.StaircaseStates[d] >= 8, $"device {d}: {r.StaircaseStates[d]} distinguishable states on the 0 K LTP staircase");
        Assert.True(r.Levels.MeansG0.Length >= 10, $"{r.Levels.MeansG0.Length} distinguishable states at 0 K (one per skyrmion count)");
    }

    [Fact]
    public void TheTunedSetLosesNoSkyrmionAtTheEdges()
    {
        Characterizer.Result r = runs.Get(4, 300, 6);
        foreach (GapReading g in r.Calibration.Concat(r.Measured).Append(r.InitializedPulse))
            Assert.All(g.SkyrmionsLeft, n => Assert.Equal(20, n));
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
        int single = StateTableBuilder.Median(runs.Get(1, 300, 12).StaircaseStates), multilayer = StateTableBuilder.Median(runs.Get(4, 300, 6).StaircaseStates);
        Assert.True(single <= 3, $"n = 1 at 300 K: one device's staircase resolves {single} states (paper: about 2)");
        Assert.True(single < multilayer, $"n = 1: {single} staircase states, n = 4: {multilayer}");
    }

    [Fact]
    public void MoreRepeatsGiveLargerSkyrmionsAndSmallerConductanceSpread()
    {
        Characterizer.Result two = runs.Get(2, 300, 4), eight = runs.Get(8, 300, 4);
        Assert.True(ParticleParameterSet.Tuned.ForRepeats(8).RadiusM > ParticleParameterSet.Tuned.ForRepeats(2).RadiusM);
        Assert.True(eight.Levels.SdsG0.Skip(1).Average() < two.Levels.SdsG0.Skip(1).Average(),
            $"mean skyrmionic-state SD n = 8: {eight.Levels.SdsG0.Skip(1).Average():F4}, n = 2: {two.Levels.SdsG0.Skip(1).Average():F4}");
    }

    [Fact]
    public void TheWeightRangeHeldThroughEquilibrationRisesWithInterspaceThenFallsAsSkyrmionsCrossBack()
    {
        Characterizer.Result narrow = runs.Get(4, 300, 4, 1.2), paper = runs.Get(4, 300, 6), wide = runs.Get(4, 300, 4, 2.0);
        string figures = $"held range {narrow.HeldWeightRangeG0:F3} / {paper.HeldWeightRangeG0:F3} / {wide.HeldWeightRangeG0:F3} G0 at 1.2 / 1.5 / 2.0 D_skr, " +
            $"back-crossings {Characterizer.BackCrossingsFromTop(narrow):F2} / {Characterizer.BackCrossingsFromTop(paper):F2} / {Characterizer.BackCrossingsFromTop(wide):F2}";
        Assert.True(paper.HeldWeightRangeG0 > narrow.HeldWeightRangeG0, figures);
        Assert.True(wide.HeldWeightRangeG0 < paper.HeldWeightRangeG0, figures);
        // The paper's reason (Sec. II): beyond ≈ 1.7 D_skr post-synapse skyrmions go back around the barrier while idle.
        Assert.True(Characterizer.BackCrossingsFromTop(wide) >= 2, figures);
        Assert.True(Characterizer.BackCrossingsFromTop(paper) < 0.5, figures);
    }

    [Fact]
    public void ATableOfAnotherInterspaceIsNamedForItSoTwoDesignsNeverShareAName()
    {
        Assert.Equal("mml4-300K", runs.Get(4, 300, 6).Table!.Name);
        Assert.Equal("mml4-is1.2-300K", runs.Get(4, 300, 4, 1.2).Table!.Name);
        Assert.Equal(1.2, runs.Get(4, 300, 4, 1.2).Table!.InterspaceDskr);
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
