using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class BarrierDriftLawTests
{
    private const double ElectronVoltJ = 1.602176634e-19;

    [Fact]
    public void TheTunedModelsGapBarrierIsTheActivationEnergyItsHotRunsFound()
    {
        // device retention fitted 0.61 eV for crossing back at 1100–1500 K (docs/wearable-lifetime.md §2); the landscape of the
        // same force laws along the gap must hold a barrier of that size for the Arrhenius extrapolation to be the model's own.
        ParticleParameters p = new DeviceConfiguration { MultilayerRepeats = 4, InterspaceDskr = 1.5, TemperatureK = 300 }.Parameters(1);
        double barrierEv = GapPassage.BarrierJ(p) / ElectronVoltJ;
        Assert.InRange(barrierEv, 0.55, 0.75);
        ParticleParameters narrow = new DeviceConfiguration { MultilayerRepeats = 4, InterspaceDskr = 1.2, TemperatureK = 300 }.Parameters(1);
        Assert.True(GapPassage.BarrierJ(narrow) > GapPassage.BarrierJ(p), "a narrower gap is a higher barrier");
    }

    [Fact]
    public void TheGapSaddleTakesTheCheapestLaneAcrossTheTrackNotTheGapsCentreLine()
    {
        ParticleParameters p = new DeviceConfiguration { MultilayerRepeats = 4, InterspaceDskr = 1.5, TemperatureK = 300 }.Parameters(1);
        double face = p.BarrierCenterXM - p.BarrierHalfLengthM, middle = p.BarrierCenterXM, centreLane = (p.BarrierCenterYM - p.BarrierHalfWidthM) / 2;
        double reference = GapPassage.PotentialJ(p, face + GapPassage.ReferenceFromFaceM, p.TrackWidthM / 2);
        double onCentreLane = GapPassage.PotentialJ(p, middle, centreLane) - reference;
        double cheapestBeside = Enumerable.Range(1, 2199).Min(i => GapPassage.PotentialJ(p, middle, i * 0.1e-9)) - reference;
        double barrier = GapPassage.BarrierJ(p);
        Assert.True(barrier < onCentreLane, $"saddle {barrier / ElectronVoltJ:F3} eV, the centre line beside the middle {onCentreLane / ElectronVoltJ:F3} eV");
        Assert.True(barrier >= cheapestBeside - 1e-3 * ElectronVoltJ, $"the path must still pass beside the middle, at {cheapestBeside / ElectronVoltJ:F3} eV or more");
    }

    [Fact]
    public void ShiftingTheBarrierScalesEveryRateByTheBoltzmannFactorOfTheShiftAtEveryTemperature()
    {
        var fitted = new DriftLaw
        {
            Source = "edgeskyrmion device retention (test)", ReferenceTemperatureK = 300, ActivationEnergyJ = 0.6 * ElectronVoltJ, UpActivationEnergyJ = 0.4 * ElectronVoltJ,
            DownRatesPerS = [0, 1e-3, 2e-3], UpRatesPerS = [3, 1, 0],
        };
        BarrierDriftLaw.Result shifted = BarrierDriftLaw.Shift(fitted, particleBarrierJ: 0.65 * ElectronVoltJ, micromagneticBarrierJ: 1.0 * ElectronVoltJ, "test");
        Assert.Equal(0.35 * ElectronVoltJ, shifted.ShiftJ, 1e-30);
        foreach (double t in (double[])[300, 310, 1200])
            for (int s = 0; s < 3; s++)
            {
                double factor = Math.Exp(-0.35 * ElectronVoltJ / (PhysicalConstants.BoltzmannJPerK * t));
                Assert.Equal(fitted.UpRatePerS(s, t) * factor, shifted.Law.UpRatePerS(s, t), Math.Max(1e-12 * fitted.UpRatePerS(s, t), 1e-300));
                Assert.Equal(fitted.DownRatePerS(s, t) * factor, shifted.Law.DownRatePerS(s, t), Math.Max(1e-12 * fitted.DownRatePerS(s, t), 1e-300));
            }
        Assert.Throws<ArgumentException>(() => BarrierDriftLaw.Shift(fitted, 0.65 * ElectronVoltJ, -1, "test"));
    }
}
