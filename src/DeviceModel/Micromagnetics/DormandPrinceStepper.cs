namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Adaptive Dormand–Prince RK5(4) with error control, mumax3's default integrator: its tableau and step-size control,
/// whether the stages run on the host (<see cref="DormandPrince"/>) or with m kept on the device
/// (<see cref="IlgpuDormandPrince"/>). Seven stages, the last reused as the next step's first (FSAL). Error = Δt · max
/// over cells |Σ (b_i − b*_i) k_i|; accepted when ≤ <see cref="MaxErrorRad"/>, then Δt grows by 0.9
/// (tolerance/error)^(1/5) (at most 5×), rejected steps shrink it (at least to a tenth). m is renormalised after each
/// accepted step; NaN or a drift of |m| above <see cref="MaxNormDrift"/> in one step raises <see cref="DivergenceException"/>.
/// The first stage is carried between steps, so after changing m, the field or the current from outside, start a new
/// integrator (as the problems do).
/// </summary>
public abstract class DormandPrinceStepper : IDisposable
{
    protected static readonly double[][] A =
    [
        [],
        [1.0 / 5],
        [3.0 / 40, 9.0 / 40],
        [44.0 / 45, -56.0 / 15, 32.0 / 9],
        [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
        [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
        [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
    ];

    protected static readonly double[] C = [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1];

    /// <summary>b − b*: the fifth-order weights minus the embedded fourth-order ones.</summary>
    protected static readonly double[] E = [71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40];

    protected DormandPrinceStepper(Magnet magnet, bool precession)
    {
        Magnet = magnet;
        Precession = precession;
    }

    /// <summary>
    /// The integrator for <paramref name="magnet"/>: m kept on the device where nothing of its field is left on the host
    /// (<see cref="Magnet.CanStepOnDevice"/>), else the host's stages. Read <see cref="Magnet.M"/> after <see cref="CopyToHost"/>.
    /// </summary>
    public static DormandPrinceStepper For(Magnet magnet, bool precession = true, double maxErrorRad = DefaultMaxErrorRad) =>
        magnet.CanStepOnDevice
            ? new IlgpuDormandPrince(magnet, precession) { MaxErrorRad = maxErrorRad }
            : new DormandPrince(magnet, precession) { MaxErrorRad = maxErrorRad };

    /// <summary>mumax3's MaxErr default, rad.</summary>
    public const double DefaultMaxErrorRad = 1e-5;

    protected Magnet Magnet { get; }

    /// <summary>rk45 (stages on the host) or rk45-on-device.</summary>
    public abstract string Name { get; }

    /// <summary>Tolerated error per step, rad.</summary>
    public double MaxErrorRad { get; init; } = DefaultMaxErrorRad;

    /// <summary>Largest drift of |m| from 1 accepted in one step before the run is declared divergent.</summary>
    public double MaxNormDrift { get; init; } = 0.01;

    /// <summary>Smallest step tolerated, s; below it the run is declared divergent.</summary>
    public double MinTimeStepS { get; init; } = 1e-18;

    public double MaxTimeStepS { get; init; } = 1e-11;

    /// <summary>False: the relaxer's damping-only flow (<see cref="LlgTorque.Evaluate"/>).</summary>
    public bool Precession { get; }

    public double TimeS { get; set; }

    public double TimeStepS { get; set; } = 1e-14;

    public long AcceptedSteps { get; private set; }

    public long RejectedSteps { get; private set; }

    /// <summary>Whether the first stage (the torque at m) is carried from the step before.</summary>
    protected bool FirstStageValid { get; private set; }

    /// <summary>Attempts one step of at most <paramref name="maxStepS"/>; returns whether it was accepted.</summary>
    public bool Step(double maxStepS = double.PositiveInfinity)
    {
        double dt = Math.Min(Math.Min(TimeStepS, MaxTimeStepS), maxStepS);
        double error = Stages(dt) * dt;
        if (double.IsNaN(error)) throw new DivergenceException($"the torque became NaN at t = {TimeS:E3} s: parameters or initial state are unphysical.");
        double factor = error > 0 ? 0.9 * Math.Pow(MaxErrorRad / error, 0.2) : 5;
        FirstStageValid = true;
        if (error > MaxErrorRad)
        {
            RejectedSteps++;
            TimeStepS = dt * Math.Max(0.1, factor);
            if (TimeStepS < MinTimeStepS)
                throw new DivergenceException($"the time step fell below {MinTimeStepS:E0} s at t = {TimeS:E3} s: the torque is too stiff (cells too small, fields too large?).");
            return false;
        }
        double drift = Accept();
        if (!(drift <= MaxNormDrift))
            throw new DivergenceException($"|m| drifted by {drift:E2} in one step at t = {TimeS:E3} s: the run diverges.");
        TimeS += dt;
        TimeStepS = dt * Math.Min(5, factor);
        AcceptedSteps++;
        return true;
    }

    /// <summary>Integrates until <see cref="TimeS"/> reaches <paramref name="endS"/>, landing on it exactly.</summary>
    public void RunUntil(double endS)
    {
        while (TimeS < endS * (1 - 1e-12)) Step(endS - TimeS);
    }

    /// <summary>
    /// Evaluates a step of <paramref name="dt"/> from m — the first stage only where it is not carried — and returns
    /// max over cells |Σ_j E_j k_j|, rad/s (NaN if any cell's is).
    /// </summary>
    protected abstract double Stages(double dt);

    /// <summary>
    /// Takes the fifth-order solution (the last stage's input) as m, renormalised in magnetic cells, and carries the last
    /// stage as the next step's first; returns the largest | |m| − 1 | before renormalising (NaN for a zero or NaN m).
    /// </summary>
    protected abstract double Accept();

    /// <summary>Brings m into <see cref="Magnet.M"/> where the integrator keeps it elsewhere (on the device).</summary>
    public virtual void CopyToHost()
    {
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what the stages keep outside the managed heap (the device's buffers).</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
