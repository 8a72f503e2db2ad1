using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Protocol;

namespace EdgeSkyrmion.DeviceModel.Compact;

/// <summary>
/// Fits a <see cref="DriftLaw"/> to retention runs of the particle model at several temperatures. Barrier crossings
/// are rare at body temperature (none in microseconds), so the runs are taken hot, where they happen within the
/// simulated idle (accelerated aging), and carried to body temperature and to hours by the Arrhenius law
/// rate = A·exp(−E_a/k_B T): E_a and A by Poisson maximum likelihood over every run's events and exposure (so runs
/// with no event still constrain the fit), each state's own prefactor then with E_a shared (one E_a for crossing back,
/// one for escaping forward); a state no device started its idle in takes the all-state rate. Crossings are converted to
/// state steps by the conductance one skyrmion adds over the gap to the neighbouring state (a crossing moves a state
/// whose neighbour is two skyrmions away half a step on average). The extrapolation assumes the barrier and the
/// material do not change with temperature (Ms(T), K(T) are held at their room-temperature values); it is checked by
/// predicting a longer run at a temperature the fit did not see (<see cref="ExpectedBackCrossings"/>).
/// </summary>
public static class DriftFit
{
    public sealed record Result(DriftLaw Law, double BackActivationEnergyEv, double ForwardActivationEnergyEv,
        double[] BackCrossingsPerS, double[] ForwardEscapesPerS, int BackEvents, int ForwardEvents);

    public static Result Fit(IReadOnlyList<RetentionRun.Result> runs, StateTable reference, double skyrmionG0, double referenceTemperatureK, string source)
    {
        if (runs.Count < 2) throw new ArgumentException("drift fit: needs retention runs at ≥ 2 temperatures.");
        int states = reference.States;
        double[] temperatures = runs.Select(r => r.TemperatureK).ToArray();
        double[] exposure = runs.Select(r => r.ExposureDeviceS.Sum()).ToArray();
        int[] back = runs.Select(r => r.BackCrossings.Sum()).ToArray();
        int[] forward = runs.Select(r => r.ForwardEscapes.Sum()).ToArray();
        if (back.Count(n => n > 0) < 2)
            throw new ArgumentException($"drift fit: back-crossings ({string.Join(", ", runs.Select((r, i) => $"{r.TemperatureK} K: {back[i]}"))}; forward escapes " +
                $"{forward.Sum()}) at fewer than 2 temperatures; the Arrhenius fit needs events at ≥ 2 (run hotter or longer).");
        double backEnergyJ = ActivationEnergyJ(temperatures, back, exposure);
        double forwardEnergyJ = forward.Count(n => n > 0) >= 2 ? ActivationEnergyJ(temperatures, forward, exposure) : backEnergyJ;

        double[] backRates = StateRates(runs, r => r.BackCrossings, backEnergyJ, referenceTemperatureK, states);
        double[] forwardRates = StateRates(runs, r => r.ForwardEscapes, forwardEnergyJ, referenceTemperatureK, states);
        var down = new double[states];
        var up = new double[states];
        double[] means = reference.StateMeansG0;
        for (int s = 0; s < states; s++)
        {
            if (s > 0) down[s] = backRates[s] * Math.Min(1, skyrmionG0 / (means[s] - means[s - 1]));
            if (s < states - 1) up[s] = forwardRates[s] * Math.Min(1, skyrmionG0 / (means[s + 1] - means[s]));
        }
        var law = new DriftLaw
        {
            ReferenceTemperatureK = referenceTemperatureK, ActivationEnergyJ = backEnergyJ, UpActivationEnergyJ = forwardEnergyJ,
            DownRatesPerS = down, UpRatesPerS = up, Source = source,
        };
        return new Result(law, backEnergyJ / ElectronVoltJ, forwardEnergyJ / ElectronVoltJ, backRates, forwardRates, back.Sum(), forward.Sum());
    }

    /// <summary>Back-crossings the fit predicts for a run's per-state exposure at its temperature.</summary>
    public static double ExpectedBackCrossings(Result fit, RetentionRun.Result run)
    {
        double factor = DriftLaw.ArrheniusFactor(fit.Law.ActivationEnergyJ, run.TemperatureK, fit.Law.ReferenceTemperatureK);
        double expected = 0;
        for (int s = 0; s < run.ExposureDeviceS.Length; s++) expected += run.ExposureDeviceS[s] * fit.BackCrossingsPerS[s] * factor;
        return expected;
    }

    public const double ElectronVoltJ = 1.602176634e-19;

    /// <summary>Each state's crossing rate at the reference temperature, E_a fixed: Σ events / Σ exposure·a(T) (Poisson MLE).</summary>
    private static double[] StateRates(IReadOnlyList<RetentionRun.Result> runs, Func<RetentionRun.Result, int[]> events, double energyJ, double referenceK, int states)
    {
        var rates = new double[states];
        double allEvents = 0, allWeighted = 0;
        for (int s = 0; s < states; s++)
        {
            double n = 0, weighted = 0;
            foreach (RetentionRun.Result r in runs)
            {
                n += events(r)[s];
                weighted += r.ExposureDeviceS[s] * DriftLaw.ArrheniusFactor(energyJ, r.TemperatureK, referenceK);
            }
            rates[s] = weighted > 0 ? n / weighted : double.NaN;
            allEvents += n;
            allWeighted += weighted;
        }
        for (int s = 0; s < states; s++)
            if (double.IsNaN(rates[s])) rates[s] = allEvents / allWeighted;
        return rates;
    }

    /// <summary>
    /// E_a maximizing the Poisson likelihood of counts n_i over exposures X_i at temperatures T_i, with A profiled out:
    /// ℓ(E) = −E·Σ n_i/(k T_i) − N·ln Σ X_i·exp(−E/(k T_i)); concave in E, maximized by golden-section search on 0–5 eV.
    /// </summary>
    public static double ActivationEnergyJ(double[] temperaturesK, int[] counts, double[] exposure)
    {
        double total = counts.Sum();
        double Profile(double energyJ)
        {
            double sumCounts = 0, sumExposure = 0, minBeta = double.MaxValue;
            for (int i = 0; i < counts.Length; i++) minBeta = Math.Min(minBeta, energyJ / (PhysicalConstants.BoltzmannJPerK * temperaturesK[i]));
            for (int i = 0; i < counts.Length; i++)
            {
                double beta = energyJ / (PhysicalConstants.BoltzmannJPerK * temperaturesK[i]);
                sumCounts += counts[i] * beta;
                sumExposure += exposure[i] * Math.Exp(minBeta - beta); // shifted by the smallest exponent so nothing underflows
            }
            return -sumCounts - total * (Math.Log(sumExposure) - minBeta);
        }
        double lo = 0, hi = 5 * ElectronVoltJ, ratio = (Math.Sqrt(5) - 1) / 2;
        for (int i = 0; i < 200; i++)
        {
            double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
            if (Profile(a) < Profile(b)) lo = a;
            else hi = b;
        }
        return (lo + hi) / 2;
    }
}
