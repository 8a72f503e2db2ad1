using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Compact;

/// <summary>
/// The drift law with the barrier from micromagnetics. The particle model's crossings are thermally activated over its own
/// landscape, so its hot-run Arrhenius fit (<see cref="DriftFit"/>) carries its barrier — checked against
/// <see cref="GapPassage.BarrierJ"/> — and each state's attempt rate (crowding and all). Micromagnetics measures the same
/// passage for the real texture (<c>device derive --crossing gap</c>); the difference δ = ΔE_micromagnetic − ΔE_particle is what
/// the particle model's force laws get wrong. Both activation energies are raised by δ and the rates at the reference temperature
/// lowered by exp(−δ/k_B·T_ref), so the law keeps the model's per-state prefactors (Kramers: the attempt rate is set by the
/// well and saddle curvatures and the Thiele mobility, which the shift leaves alone) and takes the barrier from micromagnetics.
/// </summary>
public static class BarrierDriftLaw
{
    public sealed record Result(DriftLaw Law, double ParticleBarrierJ, double MicromagneticBarrierJ, double ShiftJ);

    public static Result Shift(DriftLaw fitted, double particleBarrierJ, double micromagneticBarrierJ, string source)
    {
        if (!(micromagneticBarrierJ > 0) || !double.IsFinite(micromagneticBarrierJ))
            throw new ArgumentException($"the micromagnetic crossing barrier must be > 0 J (got {micromagneticBarrierJ}).");
        double shift = micromagneticBarrierJ - particleBarrierJ;
        return new Result(ShiftedBy(fitted, shift, source), particleBarrierJ, micromagneticBarrierJ, shift);
    }

    /// <summary>
    /// <paramref name="law"/> with both crossings' barriers moved by <paramref name="shiftJ"/> (rates at every temperature
    /// scaled by exp(−shift/k_B·T)), keeping its per-state prefactors.
    /// </summary>
    public static DriftLaw ShiftedBy(DriftLaw law, double shiftJ, string source)
    {
        double back = law.ActivationEnergyJ + shiftJ, up = law.UpActivationEnergyJ + shiftJ;
        if (!double.IsFinite(shiftJ) || back < 0 || up < 0)
            throw new ArgumentException($"a barrier shift of {shiftJ / DriftFit.ElectronVoltJ:G4} eV leaves the drift law's activation energies " +
                $"({law.ActivationEnergyJ / DriftFit.ElectronVoltJ:F3} eV back, {law.UpActivationEnergyJ / DriftFit.ElectronVoltJ:F3} eV forward) below zero.");
        double factor = Math.Exp(-shiftJ / (PhysicalConstants.BoltzmannJPerK * law.ReferenceTemperatureK));
        return law with
        {
            ActivationEnergyJ = back,
            UpActivationEnergyJ = up,
            DownRatesPerS = [.. law.DownRatesPerS.Select(r => r * factor)],
            UpRatesPerS = [.. law.UpRatesPerS.Select(r => r * factor)],
            Source = source,
        };
    }
}
