namespace EdgeSkyrmion.DeviceModel.Energy;

/// <summary>
/// Energy of one MTJ read: E = V_read²·G·t_read, the Joule energy of the read current through the junction.
/// V_read = 0.1 V (a read bias well below the MTJ's switching/breakdown range) and t_read = 1 ns (one sense
/// window of a current-mode sense amplifier) are our choices; the paper gives no read-energy figure.
/// </summary>
public static class ReadEnergy
{
    public const double ReadVoltageV = 0.1;
    public const double ReadDurationS = 1e-9;

    public static double Joules(double conductanceSiemens) =>
        conductanceSiemens >= 0 ? ReadVoltageV * ReadVoltageV * conductanceSiemens * ReadDurationS
            : throw new ArgumentException("read energy: conductance must be ≥ 0.");
}
