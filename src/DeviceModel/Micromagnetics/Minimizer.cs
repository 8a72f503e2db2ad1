namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Energy minimization by steepest descent with Barzilai–Borwein step sizes (Exl et al., J. Appl. Phys. 115, 17D118
/// (2014); mumax3's Minimize): m ← normalize(m − τ g), g = m×(m×B) (the energy gradient on the sphere, in T), τ
/// alternating (s·s)/(s·y) and (s·y)/(y·y) with s, y the last changes of m and g. Far faster than the damping flow for the
/// soft modes of a skyrmion (its radius); not monotone in energy, so <see cref="Relaxer"/> remains for that guarantee.
/// The iterations run where <see cref="MinimizerSteps.For"/> puts them: on the device, m stays there until the end.
/// </summary>
public sealed class Minimizer(Magnet magnet)
{
    /// <summary>Stop when max |m×B| over cells is below this, T.</summary>
    public double TorqueToleranceT { get; init; } = 1e-5;

    public int MaxIterations { get; init; } = 100_000;

    /// <summary>Cells held fixed (e.g. a skyrmion's core, to pin it at a distance from an edge); null: none.</summary>
    public IReadOnlySet<int>? Frozen { get; init; }

    /// <summary>Largest rotation of any cell in one iteration, rad (keeps a bad BB step from scrambling m).</summary>
    public double MaxRotationRad { get; init; } = 0.2;

    public sealed record Result(int Iterations, double FinalTorqueT, bool Converged);

    public Result Minimize()
    {
        using MinimizerSteps steps = MinimizerSteps.For(magnet, Frozen);
        double torque = steps.Gradient();
        if (double.IsNaN(torque)) throw new DivergenceException("minimization started from a NaN gradient: m or the parameters are unphysical.");
        double tau = 1e-3 / Math.Max(torque, 1e-12);
        int iteration = 0;
        while (torque >= TorqueToleranceT && iteration < MaxIterations)
        {
            double step = Math.Min(tau, MaxRotationRad / Math.Max(torque, 1e-12));
            if (!steps.Descend(step) || double.IsNaN(torque = steps.Gradient()))
                throw new DivergenceException($"minimization produced NaN at iteration {iteration}: the parameters are unphysical.");
            (double ss, double sy, double yy) = steps.Differences();
            iteration++;
            tau = sy > 0 ? (iteration % 2 == 0 ? ss / sy : sy / yy) : 1e-3 / Math.Max(torque, 1e-12);
        }
        steps.CopyToHost();
        return new Result(iteration, torque, torque < TorqueToleranceT);
    }
}
