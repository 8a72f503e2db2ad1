using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

/// <summary>
/// The breathing of an isolated skyrmion at finite temperature, which the particle model carries as an Ornstein–Uhlenbeck
/// radius (<see cref="Breathing"/>: its SD and relaxation time). The minimized skyrmion of <see cref="IsolatedSkyrmion"/>'s
/// film is given Brown's thermal field at T and stepped by <see cref="Heun"/>; after an equilibration its radius is sampled
/// at a fixed interval: per layer the equivalent radius √(A/π) of the largest reversed cluster (<see cref="SkyrmionClusters"/>;
/// the m_z = 0 ray contour of <see cref="SkyrmionRadius"/> fails on a thermally rough wall, and thermally reversed single
/// cells of the background are clusters of their own), mean over the layers. Reported: the mean radius at T, the SD of
/// the samples, and the relaxation time from the samples' lag-one autocorrelation ρ (τ = −Δt / ln ρ). A sample without a
/// skyrmion (no cluster of <see cref="MinimumCells"/> cells: collapsed; or one reaching the film's edge: escaped) ends the
/// run with what it has, and says so.
/// </summary>
public static class ThermalBreathing
{
    public sealed record Result(int MultilayerRepeats, double TemperatureK, double MeanRadiusM, double RadiusSdM, double RelaxationTimeS,
        int Samples, double SampleIntervalS, bool Collapsed, long Steps, double WallSeconds);

    /// <summary>Smallest reversed cluster counted as the skyrmion, cells.</summary>
    public const int MinimumCells = 4;

    public static Result Run(int multilayerRepeats, double temperatureK, double cellM, double boxM, double sampleTimeS, double stepS,
        double equilibrationS = 0.2e-9, double sampleIntervalS = 10e-12, ulong seed = 1, int threads = -1)
    {
        if (!(temperatureK > 0 && double.IsFinite(temperatureK))) throw new ArgumentException($"the breathing run needs a temperature > 0 K (got {temperatureK} K).");
        if (!(sampleTimeS >= 10 * sampleIntervalS)) throw new ArgumentException($"the sampling time must hold at least 10 samples of {sampleIntervalS * 1e12:F0} ps (got {sampleTimeS * 1e9} ns).");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using Magnet magnet = IsolatedSkyrmion.Relaxed(multilayerRepeats, cellM, boxM, threads);
        magnet.SetTemperature(temperatureK, seed);
        using HeunStepper heun = HeunStepper.For(magnet, stepS);
        int stepsPerSample = Math.Max(1, (int)Math.Round(sampleIntervalS / stepS));
        while (heun.TimeS < equilibrationS) heun.Step();
        var radii = new List<double>();
        bool collapsed = false;
        int wanted = (int)Math.Round(sampleTimeS / sampleIntervalS);
        while (radii.Count < wanted)
        {
            for (int k = 0; k < stepsPerSample; k++) heun.Step();
            heun.CopyToHost();
            double r = Enumerable.Range(0, multilayerRepeats).Average(layer => Radius(magnet, layer));
            if (!double.IsFinite(r))
            {
                collapsed = true;
                break;
            }
            radii.Add(r);
        }
        if (radii.Count < 3) throw new DivergenceException($"the skyrmion was lost at {temperatureK} K after {radii.Count} samples: no breathing to measure.");
        double mean = radii.Average(), variance = radii.Sum(r => (r - mean) * (r - mean)) / (radii.Count - 1);
        double lagOne = Enumerable.Range(1, radii.Count - 1).Sum(i => (radii[i] - mean) * (radii[i - 1] - mean)) / (variance * (radii.Count - 1));
        double interval = stepsPerSample * stepS;
        double tau = lagOne > 0 && lagOne < 1 ? -interval / Math.Log(lagOne) : double.NaN;
        return new Result(multilayerRepeats, temperatureK, mean, Math.Sqrt(variance), tau, radii.Count, interval, collapsed, heun.Steps, clock.Elapsed.TotalSeconds);
    }

    /// <summary>√(A/π) of the layer's largest reversed cluster, m; NaN when it is too small or reaches the film's edge.</summary>
    private static double Radius(Magnet magnet, int layer)
    {
        SkyrmionClusters.Cluster? largest = SkyrmionClusters.Find(magnet, layer).MaxBy(c => c.Cells);
        return largest is { Cells: >= MinimumCells, TouchesEdge: false } ? largest.EquivalentRadiusM : double.NaN;
    }
}
