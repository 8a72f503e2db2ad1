namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Finds the nearest energy minimum: the damping-only flow dm/dt = −γ/2 m×(m×B) (precession off, as mumax3's Relax)
/// integrated by <see cref="DormandPrince"/> until the largest torque |m×B| falls below <see cref="TorqueToleranceT"/> or, as
/// mumax3 stops, the energy sampled every <see cref="EnergySampleEvery"/> steps no longer decreases (the integrator's error
/// floor is reached). The flow lowers the energy monotonically; the samples are returned so a test can check it.
/// For ground states of soft textures prefer <see cref="Minimizer"/> (much faster, not monotone).
/// </summary>
public sealed class Relaxer(Magnet magnet)
{
    /// <summary>Stop when max |m×B| over cells is below this, T.</summary>
    public double TorqueToleranceT { get; init; } = 1e-5;

    public int MaxSteps { get; init; } = 200_000;

    /// <summary>Energy is recorded every this many accepted steps.</summary>
    public int EnergySampleEvery { get; init; } = 50;

    public sealed record Result(int Steps, double FinalTorqueT, bool Converged, IReadOnlyList<double> EnergiesJ);

    public Result Relax()
    {
        var integrator = new DormandPrince(magnet, precession: false) { MaxErrorRad = 1e-4, MaxTimeStepS = 1e-9 };
        var energies = new List<double> { magnet.EnergyJ() };
        double gammaHalf = magnet.Material.GyromagneticRatioRadPerST / 2;
        int steps = 0;
        double torque = double.PositiveInfinity;
        while (steps < MaxSteps)
        {
            if (!integrator.Step()) continue;
            steps++;
            torque = Magnet.MaxNorm(integrator.LastTorque) / gammaHalf;
            if (torque < TorqueToleranceT) break;
            if (steps % EnergySampleEvery != 0) continue;
            energies.Add(magnet.EnergyJ());
            if (energies[^1] >= energies[^2]) break;
        }
        return new Result(steps, torque, torque < TorqueToleranceT, energies);
    }
}
