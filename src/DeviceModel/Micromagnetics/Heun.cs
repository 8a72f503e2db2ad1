namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Heun's method at a fixed step for finite temperature (mumax3 uses it there too): m* = m + Δt f(m, η),
/// m′ = m + Δt/2 [f(m, η) + f(m*, η)], the same thermal deviates η in both stages (Stratonovich-consistent), then
/// renormalised. Allocates nothing per step.
/// </summary>
public sealed class Heun
{
    private readonly Magnet _magnet;
    private readonly VectorField _k1, _k2, _predicted;

    public Heun(Magnet magnet, double timeStepS)
    {
        if (!(timeStepS > 0 && timeStepS < 1e-11)) throw new ArgumentException($"Heun time step must be in (0, 10 ps) (got {timeStepS} s).");
        _magnet = magnet;
        TimeStepS = timeStepS;
        (_k1, _k2, _predicted) = (new VectorField(magnet.Mesh.Count), new VectorField(magnet.Mesh.Count), new VectorField(magnet.Mesh.Count));
    }

    public double TimeStepS { get; }

    public double TimeS { get; set; }

    /// <summary>Steps taken; also the thermal deviates' step counter, so a run that continues with a new integrator sets it to carry on (else the deviates repeat).</summary>
    public long Steps { get; set; }

    /// <summary>Largest | |m| − 1 | one step may leave before renormalising; above it the step is too long for the torque.</summary>
    public double MaxNormDrift { get; init; } = 0.01;

    public void Step()
    {
        VectorField m = _magnet.M;
        double dt = TimeStepS;
        if (_magnet.Thermal is { } thermal)
        {
            thermal.Step = Steps;
            thermal.TimeStepS = dt;
        }
        _magnet.Torque(m, TimeS, _k1);
        for (int i = 0; i < m.Count; i++)
        {
            _predicted.X[i] = m.X[i] + dt * _k1.X[i];
            _predicted.Y[i] = m.Y[i] + dt * _k1.Y[i];
            _predicted.Z[i] = m.Z[i] + dt * _k1.Z[i];
        }
        _magnet.Torque(_predicted, TimeS + dt, _k2);
        for (int i = 0; i < m.Count; i++)
        {
            m.X[i] += 0.5 * dt * (_k1.X[i] + _k2.X[i]);
            m.Y[i] += 0.5 * dt * (_k1.Y[i] + _k2.Y[i]);
            m.Z[i] += 0.5 * dt * (_k1.Z[i] + _k2.Z[i]);
        }
        double drift = _magnet.Normalize(m);
        if (!(drift <= MaxNormDrift))
            throw new DivergenceException($"|m| drifted by {drift:E2} in one Heun step of {dt:E2} s at t = {TimeS:E3} s: use a shorter step.");
        TimeS += dt;
        Steps++;
    }
}
