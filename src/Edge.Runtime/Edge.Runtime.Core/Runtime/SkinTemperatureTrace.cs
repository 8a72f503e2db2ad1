using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>
/// A simulated wrist-skin temperature, K, hour by hour: a daily cycle (warmest at night, when the wrist is covered
/// and peripheral blood flow rises in sleep) plus a seeded hour-to-hour jitter. Defaults: 306 K mean, ±2 K cycle peaking
/// at 03:00, 0.5 K jitter — inside the 300–315 K tables.
/// </summary>
public sealed record SkinTemperatureTrace(double MeanK = 306, double DailyAmplitudeK = 2, double PeakHour = 3, double JitterSdK = 0.5, ulong Seed = 1)
{
    /// <summary>Temperature during hour <paramref name="hour"/> (0-based, counted from the start of the simulation), K.</summary>
    public double At(int hour)
    {
        CounterRng.NormalPair(CounterRng.Key(Seed, 0, hour, 0, TraceStream), out double jitter, out _);
        return MeanK + DailyAmplitudeK * Math.Cos(2 * Math.PI * ((hour % 24) - PeakHour) / 24) + JitterSdK * jitter;
    }

    private const int TraceStream = 2;
}
