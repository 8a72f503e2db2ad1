namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// The Landau–Lifshitz–Gilbert torque of one cell in its explicit (Landau–Lifshitz) form,
/// dm/dt = −γ/(1+α²) [m×B + α m×(m×B)], in rad/s with B in T. Plain static arithmetic: the C# loops and the ILGPU kernel
/// call the same function.
/// </summary>
public static class LlgTorque
{
    /// <summary>The full torque; with <paramref name="precession"/> false, the damping term alone at α = 1 (−γ/2 m×(m×B)):
    /// steepest descent of the energy in fictitious time, the relaxer's flow whatever the material's α.</summary>
    public static void Evaluate(double mx, double my, double mz, double bx, double by, double bz, double gamma, double alpha, bool precession,
        out double tx, out double ty, out double tz)
    {
        double px = my * bz - mz * by, py = mz * bx - mx * bz, pz = mx * by - my * bx;
        double dx = my * pz - mz * py, dy = mz * px - mx * pz, dz = mx * py - my * px;
        if (!precession)
        {
            (tx, ty, tz) = (-0.5 * gamma * dx, -0.5 * gamma * dy, -0.5 * gamma * dz);
            return;
        }
        double c = -gamma / (1 + alpha * alpha);
        tx = c * (px + alpha * dx);
        ty = c * (py + alpha * dy);
        tz = c * (pz + alpha * dz);
    }
}
