namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// Counter-based random numbers: every normal deviate is a pure function of (seed, device, step, particle, stream),
/// hashed with the SplitMix64 finalizer and turned normal by Box–Muller. No state, so a device's trajectory does
/// not depend on thread count or on the backend (the C# path and the ILGPU kernel draw the same numbers).
/// </summary>
public static class CounterRng
{
    public const int ThermalStream = 0;
    public const int BreathingStream = 1;
    public const int NucleationStream = 2;

    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong Key(ulong seed, int device, long step, int particle, int stream) =>
        Mix(Mix(Mix(seed ^ ((ulong)device * 0xD1B54A32D192ED03UL)) + (ulong)step) + (ulong)(particle * 4 + stream));

    /// <summary>A uniform deviate in (0, 1) from 53 bits.</summary>
    public static double Uniform(ulong bits) => ((bits >> 11) + 0.5) * (1.0 / 9007199254740992.0);

    /// <summary>Two independent standard normal deviates for <paramref name="key"/>.</summary>
    public static void NormalPair(ulong key, out double first, out double second)
    {
        double u1 = Uniform(Mix(key)), u2 = Uniform(Mix(key ^ 0x5851F42D4C957F2DUL));
        double radius = Math.Sqrt(-2 * Math.Log(u1));
        double angle = 2 * Math.PI * u2;
        first = radius * Math.Cos(angle);
        second = radius * Math.Sin(angle);
    }
}
