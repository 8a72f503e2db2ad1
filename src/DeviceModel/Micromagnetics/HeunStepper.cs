namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Heun's method at a fixed step for finite temperature (mumax3 uses it there too): m* = m + Δt f(m, η),
/// m′ = m + Δt/2 [f(m, η) + f(m*, η)], the same thermal deviates η in both stages (Stratonovich-consistent), then
/// renormalised — whether the stages run on the host (<see cref="Heun"/>) or with m kept on the device
/// (<see cref="IlgpuHeun"/>). The step counter, the thermal field's step and the divergence check live here, once.
/// </summary>
public abstract class HeunStepper : IDisposable
{
    protected HeunStepper(Magnet magnet, double timeStepS)
    {
        if (!(timeStepS > 0 && timeStepS < 1e-11)) throw new ArgumentException($"Heun time step must be in (0, 10 ps) (got {timeStepS} s).");
        (Magnet, TimeStepS) = (magnet, timeStepS);
    }

    /// <summary>
    /// The integrator for <paramref name="magnet"/>: m kept on the device where nothing of its field is left on the host
    /// (<see cref="Magnet.CanStepOnDevice"/>; the thermal field is drawn there), else the host's stages. Read
    /// <see cref="Magnet.M"/> after <see cref="CopyToHost"/>.
    /// </summary>
    public static HeunStepper For(Magnet magnet, double timeStepS) =>
        magnet.CanStepOnDevice ? new IlgpuHeun(magnet, timeStepS) : new Heun(magnet, timeStepS);

    protected Magnet Magnet { get; }

    /// <summary>heun (stages on the host) or heun-on-device.</summary>
    public abstract string Name { get; }

    public double TimeStepS { get; }

    public double TimeS { get; set; }

    /// <summary>Steps taken; also the thermal deviates' step counter, so a run that continues with a new integrator sets it to carry on (else the deviates repeat).</summary>
    public long Steps { get; set; }

    /// <summary>Largest | |m| − 1 | one step may leave before renormalising; above it the step is too long for the torque.</summary>
    public double MaxNormDrift { get; init; } = 0.01;

    public void Step()
    {
        double dt = TimeStepS;
        if (Magnet.Thermal is { } thermal)
        {
            thermal.Step = Steps;
            thermal.TimeStepS = dt;
        }
        double drift = Advance(dt);
        if (!(drift <= MaxNormDrift))
            throw new DivergenceException(double.IsNaN(drift)
                ? $"m became NaN or zero in one Heun step at t = {TimeS:E3} s: the parameters or the state are unphysical."
                : $"|m| drifted by {drift:E2} in one Heun step of {dt:E2} s at t = {TimeS:E3} s: use a shorter step.");
        TimeS += dt;
        Steps++;
    }

    /// <summary>One step of <paramref name="dtS"/>: the largest | |m| − 1 | before renormalising, NaN where m became NaN or zero.</summary>
    protected abstract double Advance(double dtS);

    /// <summary>Brings m into <see cref="Magnet.M"/> (nothing to do where the stages run on the host).</summary>
    public virtual void CopyToHost()
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
