namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The breathing mode: the radius fluctuates about R as an Ornstein–Uhlenbeck process with equilibrium SD
/// sqrt(k_B·T/k_R) (<see cref="SkyrmionParameters.BreathingStiffnessJPerM2"/>) and relaxation time τ_R: the parameter set's
/// where micromagnetics measured it (<see cref="SkyrmionParameters.BreathingRelaxationTimeS"/>), else τ_R = 1/(α·2π·f_b) with
/// an assumed f_b = 5 GHz (skyrmion breathing modes lie at a few GHz). It changes the area a skyrmion covers under the MTJ, so
/// it is one source of read noise; the forces use the nominal R.
/// </summary>
public static class Breathing
{
    public const double AssumedFrequencyHz = 5e9;

    public static double AssumedRelaxationTimeS(double gilbertDamping) => 1 / (gilbertDamping * 2 * Math.PI * AssumedFrequencyHz);

    public static double RelaxationTimeS(SkyrmionParameters skyrmion, double gilbertDamping) =>
        skyrmion.BreathingRelaxationTimeS ?? AssumedRelaxationTimeS(gilbertDamping);

    public static double EquilibriumSdM(SkyrmionParameters geometry, double temperatureK) =>
        Math.Sqrt(PhysicalConstants.BoltzmannJPerK * temperatureK / geometry.BreathingStiffnessJPerM2);

    /// <summary>Exact OU update of the radius deviation over one step.</summary>
    public static double Advance(in ParticleParameters p, double deviationM, int device, long step, int particle)
    {
        if (p.BreathingKickM == 0) return deviationM * p.BreathingDecay;
        CounterRng.NormalPair(CounterRng.Key(p.Seed, device, step, particle, CounterRng.BreathingStream), out double a, out _);
        return deviationM * p.BreathingDecay + p.BreathingKickM * a;
    }
}
