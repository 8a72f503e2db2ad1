namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Energy minimization by steepest descent with Barzilai–Borwein step sizes (Exl et al., J. Appl. Phys. 115, 17D118
/// (2014); mumax3's Minimize): m ← normalize(m − τ g), g = m×(m×B) (the energy gradient on the sphere, in T), τ
/// alternating (s·s)/(s·y) and (s·y)/(y·y) with s, y the last changes of m and g. Far faster than the damping flow for the
/// soft modes of a skyrmion (its radius); not monotone in energy, so <see cref="Relaxer"/> remains for that guarantee.
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
        VectorField m = magnet.M, g = new(m.Count), previousM = new(m.Count), previousG = new(m.Count);
        Gradient(m, g);
        double torque = Magnet.MaxNorm(g);
        double tau = 1e-3 / Math.Max(torque, 1e-12);
        int iteration = 0;
        while (torque >= TorqueToleranceT && iteration < MaxIterations)
        {
            previousM.CopyFrom(m);
            previousG.CopyFrom(g);
            double step = Math.Min(tau, MaxRotationRad / Math.Max(torque, 1e-12));
            for (int i = 0; i < m.Count; i++)
            {
                m.X[i] -= step * g.X[i];
                m.Y[i] -= step * g.Y[i];
                m.Z[i] -= step * g.Z[i];
            }
            if (double.IsNaN(magnet.Normalize(m))) throw new DivergenceException($"minimization produced NaN at iteration {iteration}: the parameters are unphysical.");
            Gradient(m, g);
            torque = Magnet.MaxNorm(g);
            double ss = 0, sy = 0, yy = 0;
            for (int i = 0; i < m.Count; i++)
            {
                double sx = m.X[i] - previousM.X[i], sY = m.Y[i] - previousM.Y[i], sz = m.Z[i] - previousM.Z[i];
                double yx = g.X[i] - previousG.X[i], yY = g.Y[i] - previousG.Y[i], yz = g.Z[i] - previousG.Z[i];
                ss += sx * sx + sY * sY + sz * sz;
                sy += sx * yx + sY * yY + sz * yz;
                yy += yx * yx + yY * yY + yz * yz;
            }
            iteration++;
            tau = sy > 0 ? (iteration % 2 == 0 ? ss / sy : sy / yy) : 1e-3 / Math.Max(torque, 1e-12);
        }
        return new Result(iteration, torque, torque < TorqueToleranceT);
    }

    /// <summary>g = m×(m×B) for the current effective field (on the device where the magnet runs the ILGPU path).</summary>
    private void Gradient(VectorField m, VectorField g)
    {
        magnet.EnergyGradient(m, g);
        if (Frozen is null) return;
        foreach (int i in Frozen) (g.X[i], g.Y[i], g.Z[i]) = (0, 0, 0);
    }
}
