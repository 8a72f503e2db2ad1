using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Brown's thermal field (paper Eq. 2): B = η sqrt(2 α k_B T / (Ms γ V Δt)), η standard normal per component, cell and
/// step, held for the whole step (the Heun predictor and corrector see the same η). Deviates are counter-based
/// (<see cref="CounterRng"/>), so a seed gives the same run on any thread count.
/// </summary>
public sealed class ThermalField(byte[] region, MagnetMaterial material, double cellVolumeM3, double temperatureK, ulong seed) : IFieldTerm
{
    /// <summary>The step the deviates belong to; the integrator sets it.</summary>
    public long Step { get; set; }

    /// <summary>Δt of that step, s; the integrator sets it.</summary>
    public double TimeStepS { get; set; } = 1e-13;

    public double TemperatureK { get; } = temperatureK >= 0 && double.IsFinite(temperatureK)
        ? temperatureK
        : throw new ArgumentException($"temperature must be ≥ 0 K (got {temperatureK} K).");

    public string Name => "thermal";

    public double EnergyFactor => 0;

    /// <summary>SD of each component, T.</summary>
    public double SdT => Math.Sqrt(2 * material.GilbertDamping * PhysicalConstants.BoltzmannJPerK * TemperatureK /
        (material.SaturationMagnetizationAPerM * material.GyromagneticRatioRadPerST * cellVolumeM3 * TimeStepS));

    public void AddField(VectorField m, double timeS, VectorField field)
    {
        if (TemperatureK == 0) return;
        double sd = SdT;
        for (int i = 0; i < region.Length; i++)
        {
            if (region[i] == Geometry.Empty) continue;
            CounterRng.NormalPair(CounterRng.Key(seed, 0, Step, i, CounterRng.ThermalStream), out double a, out double b);
            CounterRng.NormalPair(CounterRng.Key(seed, 1, Step, i, CounterRng.ThermalStream), out double c, out _);
            field.X[i] += sd * a;
            field.Y[i] += sd * b;
            field.Z[i] += sd * c;
        }
    }
}
