using EdgeSkyrmion.DeviceModel.Protocol;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Compact;

/// <summary>
/// Conductance vs pulse number, averaged over devices (paper Figs. 2c/2d, 3e/3f, 5b): two LTP/LTD cycles from
/// nucleation; optionally the cold start of Fig. 8: five LTP pulses, the equilibration idle, then ten LTP pulses
/// without and (from the same equilibrated state) with the initialization pulse first.
/// </summary>
public static class ModulationCurve
{
    public sealed record Point(int Pulse, string Label, double MeanG0, double ReadSdG0, double DeviceSdG0, double SkyrmionsInReadArea);

    public static List<(string Name, IReadOnlyList<Point> Points)> Run(DeviceConfiguration configuration, PulseProtocol protocol, int devices, ulong seed,
        IParticleBackend backend, bool coldStart, Action<double>? progress = null)
    {
        var run = new SynapseRun(configuration, protocol, devices, seed, backend);
        int n = protocol.PulsesPerDirection, total = 4 * n + (coldStart ? Characterizer.PulsesBeforeIdle + 2 * n + 1 : 0), done = 0;
        void Tick() => progress?.Invoke((double)++done / total);

        run.Idle(protocol.NucleationRelaxationS);
        var cycles = new List<GapReading> { run.ReadGap(protocol.GapS, "nucleated") };
        for (int c = 1; c <= 2; c++)
        {
            for (int i = 1; i <= n; i++) { cycles.Add(run.Pulse(PulseDirection.Ltp, $"cycle {c} LTP {i}")); Tick(); }
            for (int i = 1; i <= n; i++) { cycles.Add(run.Pulse(PulseDirection.Ltd, $"cycle {c} LTD {i}")); Tick(); }
        }
        var series = new List<(string, IReadOnlyList<Point>)> { ("LTP/LTD cycles", Points(cycles)) };
        if (!coldStart) return series;

        for (int i = 0; i < Characterizer.PulsesBeforeIdle; i++) { run.Pulse(PulseDirection.Ltp, "before idle"); Tick(); }
        run.Idle(protocol.EquilibrationS);
        var cold = new List<GapReading> { run.ReadGap(protocol.GapS, "equilibrated") };
        ParticleSystem snapshot = run.System.Clone();
        for (int i = 1; i <= n; i++) { cold.Add(run.Pulse(PulseDirection.Ltp, $"cold LTP {i}")); Tick(); }
        run.System.CopyFrom(snapshot);
        var initialized = new List<GapReading> { run.InitializationPulse("initialization pulse") };
        Tick();
        for (int i = 1; i <= n; i++) { initialized.Add(run.Pulse(PulseDirection.Ltp, $"initialized LTP {i}")); Tick(); }
        series.Add(("cold start, no initialization pulse", Points(cold)));
        series.Add(("after initialization pulse", Points(initialized)));
        return series;
    }

    private static List<Point> Points(List<GapReading> gaps) => gaps.Select((g, k) =>
    {
        double mean = g.MeanG0.Average();
        double deviceSd = Math.Sqrt(g.MeanG0.Select(m => (m - mean) * (m - mean)).Average());
        double readSd = Math.Sqrt(g.SdG0.Select(s => s * s).Average());
        return new Point(k, g.Label, mean, readSd, deviceSd, g.SkyrmionsInReadArea.Average());
    }).ToList();
}
