namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Device;

/// <summary>
/// The pulses both models run for the side-by-side comparison: <see cref="Pulses"/> LTP pulses (+x, the particle model's
/// sign) of <see cref="CurrentDensityAPerM2"/> for <see cref="PulseS"/>, each followed by <see cref="GapS"/> without current,
/// cut into snapshots every <see cref="SnapshotS"/> (the last of each phase lands on its end), at <see cref="TemperatureK"/>
/// (0 K by default), after the skyrmions placed as the particle model nucleates them have relaxed.
/// </summary>
public sealed record TrackSchedule
{
    public int Pulses { get; init; } = 3;

    /// <summary>Paper: 30 MA/cm².</summary>
    public double CurrentDensityAPerM2 { get; init; } = 30e6 * 1e4;

    /// <summary>Paper: 2 ns.</summary>
    public double PulseS { get; init; } = 2e-9;

    /// <summary>Paper: 5 ns between pulses; shorter here by default (0 K: the skyrmions come to rest within ≈ 1 ns).</summary>
    public double GapS { get; init; } = 1e-9;

    public double SnapshotS { get; init; } = 0.25e-9;

    /// <summary>Above 0 K the micromagnetic run adds Brown's thermal field and steps with Heun at <see cref="HeunStepS"/>; the particle model runs at the same temperature.</summary>
    public double TemperatureK { get; init; }

    /// <summary>Heun's fixed step at finite temperature, s (RK45's adaptive step at 0 K).</summary>
    public double HeunStepS { get; init; } = 0.1e-12;

    /// <summary>One stretch at constant current; <see cref="EndsPhase"/> marks the end of a pulse or a gap.</summary>
    public readonly record struct Segment(int Pulse, bool Driven, double CurrentDensityAPerM2, double DurationS, bool EndsPhase);

    public double TotalS => Pulses * (PulseS + GapS);

    public TrackSchedule Validated()
    {
        if (Pulses < 1) throw new ArgumentException($"--pulses must be ≥ 1 (got {Pulses}).");
        if (!(CurrentDensityAPerM2 > 0 && double.IsFinite(CurrentDensityAPerM2))) throw new ArgumentException("the current density must be > 0.");
        if (!(PulseS > 0 && GapS >= 0 && SnapshotS > 0)) throw new ArgumentException("the pulse and snapshot durations must be > 0 and the gap ≥ 0.");
        if (!(TemperatureK >= 0 && double.IsFinite(TemperatureK))) throw new ArgumentException($"the temperature must be ≥ 0 K (got {TemperatureK} K).");
        if (!(HeunStepS > 0 && HeunStepS < 1e-11)) throw new ArgumentException($"the Heun step must be in (0, 10 ps) (got {HeunStepS * 1e12} ps).");
        return this;
    }

    public IEnumerable<Segment> Segments()
    {
        for (int pulse = 1; pulse <= Pulses; pulse++)
        {
            foreach (Segment s in Phase(pulse, true, PulseS)) yield return s;
            foreach (Segment s in Phase(pulse, false, GapS)) yield return s;
        }
    }

    private IEnumerable<Segment> Phase(int pulse, bool driven, double durationS)
    {
        int pieces = (int)Math.Ceiling(durationS / SnapshotS - 1e-9);
        for (int k = 0; k < pieces; k++)
            yield return new Segment(pulse, driven, driven ? CurrentDensityAPerM2 : 0, Math.Min(SnapshotS, durationS - k * SnapshotS), k == pieces - 1);
    }
}
