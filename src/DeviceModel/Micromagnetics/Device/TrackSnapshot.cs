namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Device;

/// <summary>A skyrmion's place (m, from the track's corner) and radius (m) in a snapshot.</summary>
public readonly record struct TrackSkyrmion(double AlongTrackM, double AcrossTrackM, double RadiusM);

/// <summary>The device at one instant of a <see cref="TrackSchedule"/>: where the skyrmions are and what the MTJ reads.</summary>
public sealed record TrackSnapshot(string Label, double TimeS, IReadOnlyList<TrackSkyrmion> Skyrmions, double ReadCoverage, double ConductanceG0)
{
    /// <summary>Label of the snapshot ending a segment: "relaxed", "pulse k", "gap k", or the pulse and time within it.</summary>
    public static string LabelOf(TrackSchedule.Segment s, double timeS) =>
        s.EndsPhase ? $"{(s.Driven ? "pulse" : "gap")} {s.Pulse}" : $"{(s.Driven ? "pulse" : "gap")} {s.Pulse} at {timeS * 1e9:F2} ns";
}
