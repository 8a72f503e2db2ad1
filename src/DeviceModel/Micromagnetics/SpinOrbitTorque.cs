using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Spin–orbit torque from a spin current polarised along p (the paper's CPP current, p = +y), damping-like
/// T_DL = −γ B_DL m×(m×p) (the paper's Eq. 4 term (u/t) m×(m_p×m), u/t = γ B_DL) and field-like T_FL = −γ B_FL m×p, with
/// B_DL = ħ θ_SH J / (2 e Ms t) and B_FL = ξ B_DL. Gilbert torques turned explicit: (T + α m×T)/(1+α²).
/// Applied only in the layers marked driven (the paper: outer layers only).
/// </summary>
public sealed class SpinOrbitTorque
{
    /// <summary>Current density J in the heavy metal, A/m² (signed: +x pulses positive).</summary>
    public double CurrentDensityAPerM2 { get; set; }

    /// <summary>Spin-Hall angle θ_SH, dimensionless.</summary>
    public double SpinHallAngle { get; init; } = 0.6;

    /// <summary>Field-like to damping-like ratio ξ, dimensionless (0: damping-like only, as in the paper).</summary>
    public double FieldLikeRatio { get; init; }

    /// <summary>Spin polarization p (unit vector).</summary>
    public (double X, double Y, double Z) Polarization { get; init; } = (0, 1, 0);

    /// <summary>Thickness t of the magnetic layer the spin current enters, m.</summary>
    public double MagneticThicknessM { get; init; } = 1e-9;

    /// <summary>Which z layers feel the torque (null: all).</summary>
    public IReadOnlySet<int>? DrivenLayers { get; init; }

    /// <summary>B_DL, T, for saturation magnetization <paramref name="msAPerM"/>.</summary>
    public double DampingLikeFieldT(double msAPerM) =>
        PhysicalConstants.HbarJS * SpinHallAngle * CurrentDensityAPerM2 / (2 * PhysicalConstants.ElementaryChargeC * msAPerM * MagneticThicknessM);

    public bool Drives(int layer) => DrivenLayers is null || DrivenLayers.Contains(layer);

    /// <summary>Adds the explicit-form torque, rad/s, of one cell to (tx, ty, tz).</summary>
    public static void Add(double mx, double my, double mz, double px, double py, double pz, double dampingLikeT, double fieldLikeT,
        double gamma, double alpha, ref double tx, ref double ty, ref double tz)
    {
        double ax = my * pz - mz * py, ay = mz * px - mx * pz, az = mx * py - my * px;
        double bx = my * az - mz * ay, by = mz * ax - mx * az, bz = mx * ay - my * ax;
        double c = -gamma / (1 + alpha * alpha), cb = c * (dampingLikeT + alpha * fieldLikeT), ca = c * (fieldLikeT - alpha * dampingLikeT);
        tx += cb * bx + ca * ax;
        ty += cb * by + ca * ay;
        tz += cb * bz + ca * az;
    }
}
