using ILGPU;

namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The ILGPU kernel: one device per thread, the loops of <see cref="StochasticHeun"/> over ArrayViews, calling the
/// same force, RNG and Thiele functions, so a seed gives the C# path's trajectories.
/// </summary>
public static class IlgpuKernel
{
    public static void Advance(Index1D device, ArrayView<double> x, ArrayView<double> y, ArrayView<double> breathing,
        ArrayView<double> xp, ArrayView<double> yp, ArrayView<double> vx, ArrayView<double> vy,
        ParticleParameters p, double currentDensityAPerM2, long firstStep, int steps)
    {
        int n = p.Count, b = device * n;
        double dt = p.TimeStepS;
        for (int k = 0; k < steps; k++)
        {
            long step = firstStep + k;
            for (int i = 0; i < n; i++)
            {
                if (EdgeAnnihilation.IsAnnihilated(x[b + i])) continue;
                double fx = 0, fy = 0;
                for (int j = 0; j < n; j++)
                    if (j != i && !EdgeAnnihilation.IsAnnihilated(x[b + j])) SkyrmionRepulsion.Add(p, x[b + i], y[b + i], x[b + j], y[b + j], ref fx, ref fy);
                ThermalForce.Draw(p, device, step, i, out double tx, out double ty);
                ThieleVelocity.Evaluate(p, x[b + i], y[b + i], fx, fy, currentDensityAPerM2, tx, ty, out double v0x, out double v0y);
                vx[b + i] = v0x;
                vy[b + i] = v0y;
            }
            for (int i = 0; i < n; i++)
            {
                if (EdgeAnnihilation.IsAnnihilated(x[b + i]))
                {
                    xp[b + i] = x[b + i];
                    continue;
                }
                xp[b + i] = ThieleVelocity.Confine(x[b + i] + dt * vx[b + i], p.RadiusM, p.TrackLengthM);
                yp[b + i] = ThieleVelocity.Confine(y[b + i] + dt * vy[b + i], p.RadiusM, p.TrackWidthM);
            }
            for (int i = 0; i < n; i++)
            {
                if (EdgeAnnihilation.IsAnnihilated(x[b + i])) continue;
                double fx = 0, fy = 0;
                for (int j = 0; j < n; j++)
                    if (j != i && !EdgeAnnihilation.IsAnnihilated(xp[b + j])) SkyrmionRepulsion.Add(p, xp[b + i], yp[b + i], xp[b + j], yp[b + j], ref fx, ref fy);
                ThermalForce.Draw(p, device, step, i, out double tx, out double ty);
                ThieleVelocity.Evaluate(p, xp[b + i], yp[b + i], fx, fy, currentDensityAPerM2, tx, ty, out double v1x, out double v1y);
                bool lost = EdgeAnnihilation.Land(p, x[b + i] + 0.5 * dt * (vx[b + i] + v1x), y[b + i] + 0.5 * dt * (vy[b + i] + v1y), out double xLanded, out double yLanded);
                x[b + i] = xLanded;
                y[b + i] = yLanded;
                breathing[b + i] = lost ? 0 : Breathing.Advance(p, breathing[b + i], device, step, i);
            }
        }
    }
}
