using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Readout;

/// <summary>
/// The MTJ over the post-synapse end of the track: G = G0·(1 + TMR·f), f the fraction of the read area covered by
/// skyrmion cores. Each core is a disk of its current (breathing) radius; a disk straddling the read area's inner
/// boundary counts by the circular segment inside it. Paper: G0 = 20 μS, TMR = 280 %.
/// </summary>
public sealed record MtjReadout
{
    public double G0Siemens { get; init; } = 20e-6;

    /// <summary>Tunnelling magnetoresistance ratio (2.8 = 280 %).</summary>
    public double Tmr { get; init; } = 2.8;

    /// <summary>Conductance of one device, in units of G0.</summary>
    public double ConductanceG0(ParticleSystem system, in ParticleParameters p, Track track, int device)
    {
        double covered = 0, start = track.ReadAreaStartM;
        int b = device * system.Count;
        for (int i = 0; i < system.Count; i++)
            covered += AreaBeyond(system.X[b + i] - start, Math.Max(0, p.RadiusM + system.BreathingM[b + i]));
        return 1 + Tmr * covered / track.ReadAreaM2;
    }

    /// <summary>Skyrmions whose centre lies in the read area.</summary>
    public static int SkyrmionsInReadArea(ParticleSystem system, Track track, int device)
    {
        int count = 0, b = device * system.Count;
        for (int i = 0; i < system.Count; i++)
            if (system.X[b + i] >= track.ReadAreaStartM) count++;
        return count;
    }

    /// <summary>Area of a disk of radius r on the far side of a line at signed distance h from its centre (h &gt; 0: centre beyond the line).</summary>
    public static double AreaBeyond(double h, double radius)
    {
        if (radius <= 0 || h <= -radius) return 0;
        double disk = Math.PI * radius * radius;
        if (h >= radius) return disk;
        double d = Math.Abs(h);
        double segment = radius * radius * Math.Acos(d / radius) - d * Math.Sqrt(radius * radius - d * d);
        return h >= 0 ? disk - segment : segment;
    }
}
