namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The state of many independent devices, structure-of-arrays: particle i of device d sits at index d·Count + i.
/// Positions in m; <see cref="BreathingM"/> is each radius's deviation from R. <see cref="Step"/> counts integration
/// steps (it keys the random numbers, so two systems advanced alike from equal states stay equal).
/// </summary>
public sealed class ParticleSystem
{
    public int Devices { get; }
    public int Count { get; }
    public double[] X { get; }
    public double[] Y { get; }
    public double[] BreathingM { get; }
    public long Step { get; internal set; }

    /// <summary>Integrator scratch (predictor positions and first-stage velocities), kept so steps allocate nothing.</summary>
    internal double[] XPredicted { get; }
    internal double[] YPredicted { get; }
    internal double[] VelocityX { get; }
    internal double[] VelocityY { get; }

    public ParticleSystem(int devices, int count)
    {
        if (devices < 1) throw new ArgumentException($"device count must be ≥ 1 (got {devices}).");
        if (count < 1) throw new ArgumentException($"skyrmion count must be ≥ 1 (got {count}).");
        Devices = devices;
        Count = count;
        int n = devices * count;
        X = new double[n];
        Y = new double[n];
        BreathingM = new double[n];
        XPredicted = new double[n];
        YPredicted = new double[n];
        VelocityX = new double[n];
        VelocityY = new double[n];
    }

    /// <summary>
    /// Nucleates every device's skyrmions at random in the pre-synapse region (left of the barrier), at least one
    /// diameter apart where room allows, and a radius (or, where larger, the edge-annihilation distance: none is born
    /// where it could not exist) from the track's edges; the protocol's relaxation then lets them settle.
    /// </summary>
    public static ParticleSystem Nucleate(in ParticleParameters p, int devices)
    {
        var system = new ParticleSystem(devices, p.Count);
        double r = p.RadiusM, margin = Math.Max(r, p.EdgeAnnihilationM), xMax = p.BarrierCenterXM - p.BarrierHalfLengthM - r;
        for (int d = 0; d < devices; d++)
        {
            for (int i = 0; i < p.Count; i++)
            {
                double x = 0, y = 0;
                for (int attempt = 0; attempt < 200; attempt++)
                {
                    ulong key = CounterRng.Key(p.Seed, d, -1 - attempt, i, CounterRng.NucleationStream);
                    x = margin + (xMax - margin) * CounterRng.Uniform(CounterRng.Mix(key));
                    y = margin + (p.TrackWidthM - 2 * margin) * CounterRng.Uniform(CounterRng.Mix(key + 1));
                    if (FarFromOthers(system, d, i, x, y, 2 * r)) break;
                }
                system.X[d * p.Count + i] = x;
                system.Y[d * p.Count + i] = y;
            }
        }
        return system;
    }

    private static bool FarFromOthers(ParticleSystem s, int device, int placed, double x, double y, double minimum)
    {
        for (int j = 0; j < placed; j++)
        {
            double dx = s.X[device * s.Count + j] - x, dy = s.Y[device * s.Count + j] - y;
            if (dx * dx + dy * dy < minimum * minimum) return false;
        }
        return true;
    }

    public ParticleSystem Clone()
    {
        var copy = new ParticleSystem(Devices, Count);
        copy.CopyFrom(this);
        return copy;
    }

    public void CopyFrom(ParticleSystem other)
    {
        if (other.Devices != Devices || other.Count != Count) throw new ArgumentException("particle systems differ in size.");
        Array.Copy(other.X, X, X.Length);
        Array.Copy(other.Y, Y, Y.Length);
        Array.Copy(other.BreathingM, BreathingM, BreathingM.Length);
        Step = other.Step;
    }
}
