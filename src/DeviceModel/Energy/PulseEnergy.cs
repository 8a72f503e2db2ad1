namespace EdgeSkyrmion.DeviceModel.Energy;

/// <summary>
/// Paper Eq. 3: the Joule energy of one programming pulse in the heavy-metal layers, E = 2·ρ·t·l·w·J²·T_pulse
/// (the factor 2 for the two outer layers that carry the current), t = 3n nm the stack thickness.
/// </summary>
public static class PulseEnergy
{
    public static double Joules(double resistivityOhmM, double thicknessM, double lengthM, double widthM, double currentDensityAPerM2, double durationS)
    {
        if (!(resistivityOhmM > 0 && thicknessM > 0 && lengthM > 0 && widthM > 0 && durationS >= 0))
            throw new ArgumentException("pulse energy: resistivity, thickness, length, width must be > 0 and duration ≥ 0.");
        return 2 * resistivityOhmM * thicknessM * lengthM * widthM * currentDensityAPerM2 * currentDensityAPerM2 * durationS;
    }
}
