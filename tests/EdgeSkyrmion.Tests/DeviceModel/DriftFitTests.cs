using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Protocol;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class DriftFitTests
{
    private static readonly StateTable Table = Presets.Get(Presets.Default);

    /// <summary>
    /// Escapes drawn as Poisson counts from a known Arrhenius law (0.5 eV back, 0.3 eV forward) at four hot
    /// temperatures: the fit recovers both activation energies and the per-state rates at the reference temperature.
    /// </summary>
    [Fact]
    public void FitRecoversTheArrheniusLawOfSimulatedEscapes()
    {
        const double backEv = 0.5, forwardEv = 0.3, referenceK = 300;
        double[] backAt300 = [0, 0, 0.02, 0.03, 0.05, 0.08, 0.1], forwardAt300 = [3, 2, 1.5, 1, 0.5, 0.2, 0];
        var random = new Random(7);
        var runs = new List<RetentionRun.Result>();
        foreach (double t in new[] { 1000.0, 1150, 1300, 1450 })
        {
            var exposure = Enumerable.Repeat(2e-3, Table.States).ToArray();
            int[] back = backAt300.Select(r => Poisson(random, r * Factor(backEv, t, referenceK) * 2e-3)).ToArray();
            int[] forward = forwardAt300.Select(r => Poisson(random, r * Factor(forwardEv, t, referenceK) * 2e-3)).ToArray();
            runs.Add(new RetentionRun.Result(t, 1e-6, 2000, exposure, back, forward, [back.Sum()], 0));
        }
        DriftFit.Result fit = DriftFit.Fit(runs, Table, skyrmionG0: 1, referenceK, "synthetic");
        Assert.InRange(fit.BackActivationEnergyEv, 0.45, 0.55);
        Assert.InRange(fit.ForwardActivationEnergyEv, 0.26, 0.34);
        Assert.Equal(0, fit.Law.DownRatesPerS[0]);
        Assert.Equal(0, fit.Law.UpRatesPerS[^1]);
        Assert.InRange(fit.BackCrossingsPerS[6] / backAt300[6], 0.5, 2);
        // A held-out hotter run of twice the exposure is predicted within its Poisson spread.
        var held = new RetentionRun.Result(1225, 2e-6, 2000, Enumerable.Repeat(4e-3, Table.States).ToArray(),
            backAt300.Select(r => Poisson(random, r * Factor(backEv, 1225, referenceK) * 4e-3)).ToArray(), new int[Table.States], [0], 0);
        double predicted = DriftFit.ExpectedBackCrossings(fit, held);
        Assert.InRange(held.BackCrossings.Sum(), predicted - 4 * Math.Sqrt(predicted), predicted + 4 * Math.Sqrt(predicted));
    }

    [Fact]
    public void TooFewEventsIsRefusedNamingTheCounts()
    {
        var quiet = new RetentionRun.Result(400, 1e-6, 16, new double[Table.States], new int[Table.States], new int[Table.States], [0], 0);
        var e = Assert.Throws<ArgumentException>(() => DriftFit.Fit([quiet, quiet with { TemperatureK = 500 }], Table, 0.045, 300, "none"));
        Assert.Contains("400 K: 0", e.Message);
    }

    [Fact]
    public void RetentionRunBooksEveryDeviceIdleAsExposure()
    {
        var c = new DeviceConfiguration { TemperatureK = 900 };
        var protocol = new PulseProtocol { PulsesPerDirection = 1, NucleationRelaxationS = 1e-9 };
        using var backend = new CpuParticleBackend(1);
        RetentionRun.Result r = RetentionRun.Run(c, protocol, Table, devices: 2, seed: 3, backend, ltpPulses: [0, 1], idleS: 10e-9, windows: 2, settleS: 2e-9);
        Assert.Equal(4, r.Devices);
        Assert.Equal(4 * 10e-9, r.ExposureDeviceS.Sum(), 12);
        Assert.Equal(r.BackCrossings.Sum(), r.CumulativeBackCrossings[^1]);
    }

    private static double Factor(double ev, double t, double reference) =>
        Math.Exp(-ev * DriftFit.ElectronVoltJ / PhysicalConstants.BoltzmannJPerK * (1 / t - 1 / reference));

    private static int Poisson(Random random, double mean)
    {
        if (mean > 50) return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * Normal(random)));
        double limit = Math.Exp(-mean), product = random.NextDouble();
        int k = 0;
        while (product > limit) { product *= random.NextDouble(); k++; }
        return k;
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
