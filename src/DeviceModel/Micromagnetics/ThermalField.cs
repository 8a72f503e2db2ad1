using ILGPU;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Brown's thermal field (paper Eq. 2): B = η sqrt(2 α k_B T / (Ms γ V Δt)), η standard normal per component, cell and
/// step, held for the whole step (the Heun predictor and corrector see the same η). Deviates are counter-based
/// (<see cref="CounterRng"/>), so a seed gives the same run on any thread count, and on the ILGPU path the device draws
/// the same deviates (<see cref="AddOnDevice"/>).
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

    /// <summary>The deviates' seed.</summary>
    public ulong Seed => seed;

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
            Deviates(seed, Step, i, out double a, out double b, out double c);
            field.X[i] += sd * a;
            field.Y[i] += sd * b;
            field.Z[i] += sd * c;
        }
    }

    /// <summary>The kernel of <see cref="AddField"/>: one cell a thread, field stored x block, y block, z block.</summary>
    public static void AddOnDevice(Index1D i, ArrayView<double> field, ArrayView<int> region, ulong seed, long step, double sdT, int count)
    {
        if (region[i] == Geometry.Empty) return;
        Deviates(seed, step, i, out double a, out double b, out double c);
        field[i] += sdT * a;
        field[count + i] += sdT * b;
        field[2 * count + i] += sdT * c;
    }

    /// <summary>The three standard normal deviates of a cell at a step.</summary>
    private static void Deviates(ulong seed, long step, int cell, out double a, out double b, out double c)
    {
        CounterRng.NormalPair(CounterRng.Key(seed, 0, step, cell, CounterRng.ThermalStream), out a, out b);
        CounterRng.NormalPair(CounterRng.Key(seed, 1, step, cell, CounterRng.ThermalStream), out c, out _);
    }
}
