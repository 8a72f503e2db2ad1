namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The Langevin force with ⟨F_i(t)F_j(t′)⟩ = 2·k_B·T·α𝔇·δ_ij·δ(t − t′): over a step Δt each component is normal with
/// SD sqrt(2·k_B·T·α𝔇/Δt). The same deviates serve the predictor and the corrector of the Heun step.
/// </summary>
public static class ThermalForce
{
    public static double ForceSdN(double temperatureK, double dissipationKgPerS, double timeStepS) =>
        Math.Sqrt(2 * PhysicalConstants.BoltzmannJPerK * temperatureK * dissipationKgPerS / timeStepS);

    public static void Draw(in ParticleParameters p, int device, long step, int particle, out double forceX, out double forceY)
    {
        if (p.ThermalForceSdN == 0)
        {
            forceX = 0;
            forceY = 0;
            return;
        }
        CounterRng.NormalPair(CounterRng.Key(p.Seed, device, step, particle, CounterRng.ThermalStream), out double a, out double b);
        forceX = p.ThermalForceSdN * a;
        forceY = p.ThermalForceSdN * b;
    }
}
