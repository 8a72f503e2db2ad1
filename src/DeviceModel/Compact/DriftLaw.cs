using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Compact;

/// <summary>
/// How a held state drifts while the device idles: a device in state s steps down one state at rate
/// DownRatesPerS[s]·a(T) (skyrmions crossing back around the barrier) and up one at UpRatesPerS[s]·a_up(T) (skyrmions
/// escaping forward), with the Arrhenius factors a(T) = exp(−E_a/k_B·(1/T − 1/T_ref)) of each crossing.
/// Fitted by <see cref="DriftFit"/> from long idle runs of the particle model (see its doc for the extrapolation).
/// </summary>
public sealed record DriftLaw
{
    /// <summary>Temperature the per-state rates are given at, K.</summary>
    public required double ReferenceTemperatureK { get; init; }

    /// <summary>Activation energy of crossing back (post → pre, a step down), joules.</summary>
    public required double ActivationEnergyJ { get; init; }

    /// <summary>Activation energy of a forward escape (pre → post, a step up), joules.</summary>
    public required double UpActivationEnergyJ { get; init; }

    /// <summary>Rate of a one-state step down, per state, at the reference temperature, 1/s (state 0 cannot go down: 0).</summary>
    public required double[] DownRatesPerS { get; init; }

    /// <summary>Rate of a one-state step up, per state, at the reference temperature, 1/s (top state: 0).</summary>
    public required double[] UpRatesPerS { get; init; }

    /// <summary>The runs the law was fitted to (command, temperatures, idle, devices).</summary>
    public required string Source { get; init; }

    public static double ArrheniusFactor(double activationEnergyJ, double temperatureK, double referenceTemperatureK) =>
        Math.Exp(-activationEnergyJ / PhysicalConstants.BoltzmannJPerK * (1 / temperatureK - 1 / referenceTemperatureK));

    public double DownRatePerS(int state, double temperatureK) =>
        DownRatesPerS[state] * ArrheniusFactor(ActivationEnergyJ, temperatureK, ReferenceTemperatureK);

    public double UpRatePerS(int state, double temperatureK) =>
        UpRatesPerS[state] * ArrheniusFactor(UpActivationEnergyJ, temperatureK, ReferenceTemperatureK);

    public void Validate(int states, string source)
    {
        CheckRates(DownRatesPerS, "drift.down_rates_per_s", states, source);
        CheckRates(UpRatesPerS, "drift.up_rates_per_s", states, source);
        if (!(ReferenceTemperatureK > 0) || double.IsInfinity(ReferenceTemperatureK))
            throw new InvalidDataException($"{source}: drift.reference_temperature_k must be > 0.");
        if (!(ActivationEnergyJ >= 0) || double.IsInfinity(ActivationEnergyJ))
            throw new InvalidDataException($"{source}: drift.activation_energy_j must be finite and ≥ 0.");
        if (!(UpActivationEnergyJ >= 0) || double.IsInfinity(UpActivationEnergyJ))
            throw new InvalidDataException($"{source}: drift.up_activation_energy_j must be finite and ≥ 0.");
    }

    private static void CheckRates(double[]? rates, string field, int states, string source)
    {
        if (rates is null || rates.Length != states)
            throw new InvalidDataException($"{source}: {field} must have one entry per state ({states}).");
        if (rates.Any(r => !(r >= 0) || double.IsInfinity(r)))
            throw new InvalidDataException($"{source}: {field} must be finite and ≥ 0.");
    }
}
