namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The single-particle part of the Thiele equation: drive + edge + barrier + thermal + the (already summed)
/// skyrmion–skyrmion force, solved for the velocity. Both backends call this, so they compute the same numbers.
/// </summary>
public static class ThieleVelocity
{
    public static void Evaluate(in ParticleParameters p, double x, double y, double pairForceX, double pairForceY,
        double currentDensityAPerM2, double thermalX, double thermalY, out double velocityX, out double velocityY)
    {
        double fx = pairForceX + thermalX + SpinOrbitDrive.ForceX(p, currentDensityAPerM2);
        double fy = pairForceY + thermalY;
        EdgeRepulsion.Add(p, x, y, ref fx, ref fy);
        BarrierForce.Add(p, x, y, ref fx, ref fy);
        GyroDissipativeTensor.Velocity(p, fx, fy, out velocityX, out velocityY);
    }

    /// <summary>Keeps a particle inside the track (a safety net; the edge force normally does this).</summary>
    public static double Confine(double value, double radiusM, double extentM) =>
        Math.Max(0.25 * radiusM, Math.Min(extentM - 0.25 * radiusM, value));
}
