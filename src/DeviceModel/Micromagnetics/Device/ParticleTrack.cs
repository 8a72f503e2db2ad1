using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Protocol;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Device;

/// <summary>
/// The particle model's side of the comparison: one device (at 0 K unless a temperature is given), its skyrmions nucleated
/// as the protocol does (or placed where another run's are) and relaxed for the protocol's nucleation time, then driven by
/// the same <see cref="TrackSchedule"/>.
/// </summary>
public sealed class ParticleTrack : IDisposable
{
    private readonly CpuParticleBackend _backend = new(1);
    private readonly SynapseRun _run;

    public ParticleTrack(DeviceConfiguration configuration, ulong seed, double temperatureK = 0)
    {
        _run = new SynapseRun(configuration with { TemperatureK = temperatureK }, new PulseProtocol(), 1, seed, _backend);
    }

    public ParticleParameters Parameters => _run.Parameters;

    /// <summary>Relaxes the nucleated skyrmions (or those at <paramref name="cores"/>, m, one per skyrmion) for the protocol's nucleation time.</summary>
    public TrackSnapshot Relax(IReadOnlyList<(double X, double Y)>? cores = null)
    {
        ParticleSystem system = _run.System;
        if (cores is not null)
        {
            if (cores.Count != system.Count) throw new ArgumentException($"{cores.Count} positions given for {system.Count} skyrmions.");
            for (int i = 0; i < cores.Count; i++) (system.X[i], system.Y[i]) = cores[i];
        }
        _run.Idle(_run.Protocol.NucleationRelaxationS);
        return Snapshot("relaxed", 0);
    }

    public IReadOnlyList<TrackSnapshot> Run(TrackSchedule schedule)
    {
        var snapshots = new List<TrackSnapshot>();
        double time = 0;
        foreach (TrackSchedule.Segment segment in schedule.Validated().Segments())
        {
            _run.Drive(segment.CurrentDensityAPerM2, segment.DurationS);
            time += segment.DurationS;
            snapshots.Add(Snapshot(TrackSnapshot.LabelOf(segment, time), time));
        }
        return snapshots;
    }

    private TrackSnapshot Snapshot(string label, double timeS)
    {
        ParticleSystem s = _run.System;
        TrackSkyrmion[] skyrmions = [.. Enumerable.Range(0, s.Count).Where(i => !EdgeAnnihilation.IsAnnihilated(s.X[i]))
            .Select(i => new TrackSkyrmion(s.X[i], s.Y[i], Parameters.RadiusM + s.BreathingM[i]))];
        double g = _run.Readout.ConductanceG0(s, Parameters, _run.Configuration.Track, 0);
        return new TrackSnapshot(label, timeS, skyrmions, (g - 1) / _run.Readout.Tmr, g);
    }

    public void Dispose() => _backend.Dispose();
}
