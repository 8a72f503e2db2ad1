using System.Diagnostics;
using EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;
using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Readout;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Device;

/// <summary>
/// A micromagnetic run of the device itself: the paper's track (800 × 220 nm) with the barrier of raised Ku in its middle
/// (the particle model's rounded rectangle, region 2) and the MTJ read area at its post-synapse end, the [Pt/Co/Ir]ₙ stack as
/// an <see cref="EffectiveMedium"/> layer, at 80 mT. Reversed cores are placed where the particle model's relaxed
/// skyrmions sit, minimized, then the <see cref="TrackSchedule"/>'s pulses drive them (damping-like SOT; at 0 K RK45 with
/// precession, above it Brown's thermal field and Heun at a fixed step); at each snapshot the skyrmions are found as reversed clusters (<see cref="SkyrmionClusters"/>) and the read
/// area's reversed fraction gives the conductance.
/// </summary>
public sealed class MicromagneticTrack : IDisposable
{
    /// <summary>
    /// The sign that turns the particle model's +x pulse into this solver's current: with p = +y, a positive J drives the
    /// skyrmion towards −x (measured, docs/micromagnetics.md, current-driven skyrmion).
    /// </summary>
    public const double CurrentSign = -1;

    /// <summary>
    /// Accepted RK45 step at 0 K under the pulse as a fraction of 1/(γ·B_stiff), B_stiff the exchange field of a checkerboard
    /// (2A/Ms)(4/Δx² + 4/Δy²), used for the wall-time estimate: measured 2.25 (7,378 accepted steps in 9 ns, 1.22 ps each, at
    /// 4 nm cells, n = 4, three 2 ns pulses of 30 MA/cm²).
    /// </summary>
    public const double StepPerStiffness = 2.25;

    private readonly Magnet _magnet;
    private readonly Track _track;
    private readonly MtjReadout _readout = new();

    /// <summary>
    /// The track of <paramref name="device"/>'s parameters (its barrier shape and place) at <paramref name="cellM"/> cells. <paramref name="layered"/>:
    /// the n Co layers themselves at the 3 nm pitch (coupled by demag, SOT in the outer two) instead of the effective layer, ≈ 8× the cost per
    /// step; <paramref name="lengthM"/> shortens the track to its first stretch (no barrier or read area unless long enough to hold them);
    /// <paramref name="fieldLikeRatio"/> adds a field-like SOT of ξ times the damping-like one (the paper's is damping-like only);
    /// <paramref name="polarization"/> is the spin polarization p (unit vector; the paper's +y when null).
    /// </summary>
    public MicromagneticTrack(int multilayerRepeats, double cellM, ParticleParameters device, int threads = -1, long? memoryBudgetBytes = null,
        bool layered = false, double? lengthM = null, double fieldLikeRatio = 0, (double X, double Y, double Z)? polarization = null)
    {
        if (!double.IsFinite(fieldLikeRatio)) throw new ArgumentException($"the field-like ratio must be a finite number (got {fieldLikeRatio}).");
        (double X, double Y, double Z) p = polarization ?? (0, 1, 0);
        if (!(Math.Abs(p.X * p.X + p.Y * p.Y + p.Z * p.Z - 1) < 1e-9)) throw new ArgumentException($"the spin polarization must be a unit vector (got {p}).");
        if (multilayerRepeats < 1) throw new ArgumentException($"--mml must be ≥ 1 (got {multilayerRepeats}).");
        if (!(cellM > 0)) throw new ArgumentException("the cell size must be > 0.");
        var paper = new Material();
        _track = new Track();
        double length = lengthM ?? _track.LengthM;
        if (!(length >= 4 * cellM && length <= _track.LengthM * (1 + 1e-9))) throw new ArgumentException($"the track length must be between 4 cells and {_track.LengthM * 1e9:F0} nm.");
        Medium = new EffectiveMedium(multilayerRepeats, paper);
        Layered = layered && multilayerRepeats > 1;
        int nx = (int)Math.Round(length / cellM), ny = (int)Math.Round(_track.WidthM / cellM);
        var mesh = Layered
            ? new Mesh(nx, ny, multilayerRepeats, length / nx, _track.WidthM / ny, paper.MagneticLayerThicknessM) { LayerPitchM = paper.RepeatThicknessM }
            : new Mesh(nx, ny, 1, length / nx, _track.WidthM / ny, Medium.ThicknessM);
        Geometry geometry = Geometry.Filled(mesh).Paint(2, (x, y) => Physics.Barrier.SignedDistance(device, x, y, out _, out _) < 0);
        _magnet = new Magnet(geometry, Layered ? new MagnetMaterial() : Medium.Material, threads: threads, memoryBudgetBytes: memoryBudgetBytes);
        _magnet.Zeeman.FieldT = (0, 0, IsolatedSkyrmion.FieldT);
        _magnet.SpinOrbitTorque = Layered
            ? new SpinOrbitTorque
            {
                SpinHallAngle = paper.SpinHallAngle, MagneticThicknessM = paper.MagneticLayerThicknessM, FieldLikeRatio = fieldLikeRatio, Polarization = p,
                DrivenLayers = new HashSet<int> { 0, multilayerRepeats - 1 },
            }
            : new SpinOrbitTorque { SpinHallAngle = paper.SpinHallAngle, MagneticThicknessM = Medium.SpinOrbitThicknessM, FieldLikeRatio = fieldLikeRatio, Polarization = p };
    }

    /// <summary>Whether the n Co layers are simulated themselves (else the effective layer).</summary>
    public bool Layered { get; }

    /// <summary>The layer the skyrmions are found in and the MTJ reads: the top one.</summary>
    public int ReadLayer => _magnet.Mesh.Nz - 1;

    public EffectiveMedium Medium { get; }

    public Magnet Magnet => _magnet;

    public IReadOnlyList<string> Warnings => _magnet.Warnings;

    public long AcceptedSteps { get; private set; }

    public long RejectedSteps { get; private set; }

    /// <summary>
    /// Wall time the schedule should take, s, before anything runs: a timed step of the integrator the run will use (on the
    /// device where every term is) × the steps — at 0 K an RK45 attempt (<see cref="DormandPrinceStepper.For"/>) × the steps
    /// the pulse needs at <see cref="StepPerStiffness"/>, above it a Heun step (<see cref="HeunStepper.For"/>, with the
    /// thermal field) × the schedule's fixed steps; plus the minimization, counted as 2,000 field evaluations (a sixth of an
    /// RK45 attempt, half a Heun step). m and the magnet's temperature are left as they were.
    /// </summary>
    public double EstimateWallSeconds(TrackSchedule schedule)
    {
        // Timing the integrator rather than the torque alone counts what the run does besides (the host's stage sums, or
        // none with m on the device: timed torque evaluations read ≈ 6× low on a GPU while the stages ran on the host).
        if (schedule.TemperatureK > 0)
        {
            ThermalField? before = _magnet.Thermal;
            _magnet.SetTemperature(schedule.TemperatureK, seed: 0);
            try
            {
                double heunStep = SecondsPerStep(HeunStepper.For(_magnet, schedule.HeunStepS), heun => heun.Step());
                return heunStep * Math.Ceiling(schedule.TotalS / schedule.HeunStepS) + heunStep / 2 * 2000;
            }
            finally
            {
                _magnet.SetTemperature(before?.TemperatureK ?? 0, before?.Seed ?? 0);
            }
        }
        DormandPrinceStepper rk = DormandPrinceStepper.For(_magnet);
        rk.TimeStepS = 1e-13;
        double attempt = SecondsPerStep(rk, stepper => stepper.Step());
        return attempt * schedule.TotalS / EstimatedStepS + attempt / 6 * 2000;
    }

    /// <summary>
    /// One step of <paramref name="stepper"/> from the current m, timed after four untimed ones (the first run before the
    /// JIT's final tier and libtorch's plans, and overstated the wall time several-fold); m restored, the stepper disposed.
    /// </summary>
    private double SecondsPerStep<TStepper>(TStepper stepper, Action<TStepper> step) where TStepper : IDisposable
    {
        var saved = new VectorField(_magnet.Mesh.Count);
        saved.CopyFrom(_magnet.M);
        try
        {
            using (stepper)
            {
                for (int i = 0; i < 4; i++) step(stepper);
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < 5; i++) step(stepper);
                return clock.Elapsed.TotalSeconds / 5;
            }
        }
        finally
        {
            _magnet.M.CopyFrom(saved);
        }
    }

    /// <summary>The RK45 step the estimate assumes, s.</summary>
    public double EstimatedStepS
    {
        get
        {
            Mesh mesh = _magnet.Mesh;
            MagnetMaterial material = _magnet.Material;
            double stiff = 2 * material.ExchangeStiffnessJPerM / material.SaturationMagnetizationAPerM * (4 / (mesh.CellXM * mesh.CellXM) + 4 / (mesh.CellYM * mesh.CellYM));
            return StepPerStiffness / (material.GyromagneticRatioRadPerST * stiff);
        }
    }

    /// <summary>Seeds reversed cores of <paramref name="seedRadiusM"/> at <paramref name="cores"/> (m) and minimizes; returns the relaxed snapshot.</summary>
    public TrackSnapshot Relax(IReadOnlyList<(double X, double Y)> cores, double seedRadiusM)
    {
        double r2 = seedRadiusM * seedRadiusM;
        _magnet.Set((x, y, _) => cores.Any(c => (x - c.X) * (x - c.X) + (y - c.Y) * (y - c.Y) < r2) ? (0, 0, -1) : (0, 0, 1));
        new Minimizer(_magnet) { TorqueToleranceT = 1e-4 }.Minimize();
        return Snapshot("relaxed", 0);
    }

    /// <summary>
    /// Runs the schedule from the current state; <paramref name="onSnapshot"/> sees each snapshot as it is taken. Above 0 K
    /// the thermal deviates come from <paramref name="thermalSeed"/>.
    /// </summary>
    public IReadOnlyList<TrackSnapshot> Run(TrackSchedule schedule, Action<TrackSnapshot>? onSnapshot = null, ulong thermalSeed = 1)
    {
        if (schedule.Validated().TemperatureK > 0) return RunThermal(schedule, onSnapshot, thermalSeed);
        var snapshots = new List<TrackSnapshot>();
        double time = 0;
        DormandPrinceStepper? rk = null;
        double current = double.NaN;
        try
        {
            foreach (TrackSchedule.Segment segment in schedule.Validated().Segments())
            {
                // A new integrator whenever the current changes: the carried first stage belongs to the old torque.
                if (rk is null || segment.CurrentDensityAPerM2 != current)
                {
                    double step = rk?.TimeStepS ?? 1e-13;
                    if (rk is not null)
                    {
                        (AcceptedSteps, RejectedSteps) = (AcceptedSteps + rk.AcceptedSteps, RejectedSteps + rk.RejectedSteps);
                        rk.Dispose();
                        rk = null;
                    }
                    current = segment.CurrentDensityAPerM2;
                    _magnet.SpinOrbitTorque!.CurrentDensityAPerM2 = CurrentSign * current;
                    rk = DormandPrinceStepper.For(_magnet);
                    (rk.TimeS, rk.TimeStepS) = (time, step);
                }
                time += segment.DurationS;
                rk.RunUntil(time);
                rk.CopyToHost();
                TrackSnapshot snapshot = Snapshot(TrackSnapshot.LabelOf(segment, time), time);
                snapshots.Add(snapshot);
                onSnapshot?.Invoke(snapshot);
            }
            if (rk is not null) (AcceptedSteps, RejectedSteps) = (AcceptedSteps + rk.AcceptedSteps, RejectedSteps + rk.RejectedSteps);
        }
        finally
        {
            rk?.Dispose();
        }
        return snapshots;
    }

    /// <summary>Heun at the schedule's fixed step (shortened to end on each snapshot), one deviate counter across the run.</summary>
    private List<TrackSnapshot> RunThermal(TrackSchedule schedule, Action<TrackSnapshot>? onSnapshot, ulong thermalSeed)
    {
        _magnet.SetTemperature(schedule.TemperatureK, thermalSeed);
        var snapshots = new List<TrackSnapshot>();
        double time = 0;
        long steps = 0;
        foreach (TrackSchedule.Segment segment in schedule.Segments())
        {
            _magnet.SpinOrbitTorque!.CurrentDensityAPerM2 = CurrentSign * segment.CurrentDensityAPerM2;
            int n = (int)Math.Ceiling(segment.DurationS / schedule.HeunStepS - 1e-9);
            using HeunStepper heun = HeunStepper.For(_magnet, segment.DurationS / n);
            (heun.TimeS, heun.Steps) = (time, steps);
            for (int k = 0; k < n; k++) heun.Step();
            heun.CopyToHost();
            (steps, time) = (heun.Steps, time + segment.DurationS);
            TrackSnapshot snapshot = Snapshot(TrackSnapshot.LabelOf(segment, time), time);
            snapshots.Add(snapshot);
            onSnapshot?.Invoke(snapshot);
        }
        AcceptedSteps += steps;
        return snapshots;
    }

    private TrackSnapshot Snapshot(string label, double timeS)
    {
        TrackSkyrmion[] skyrmions = [.. SkyrmionClusters.Find(_magnet, ReadLayer).Select(c => new TrackSkyrmion(c.XM, c.YM, c.EquivalentRadiusM))];
        double coverage = SkyrmionClusters.ReversedFraction(_magnet, _track.ReadAreaStartM, ReadLayer);
        return new TrackSnapshot(label, timeS, skyrmions, coverage, 1 + _readout.Tmr * coverage);
    }

    public void Dispose() => _magnet.Dispose();
}
