namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Adaptive Dormand–Prince RK5(4) with error control, mumax3's default integrator. Seven stages, the last reused as the
/// next step's first (FSAL). Error = Δt · max over cells |Σ (b_i − b*_i) k_i|; accepted when ≤ <see cref="MaxErrorRad"/>, then Δt
/// grows by 0.9 (tolerance/error)^(1/5) (at most 5×), rejected steps shrink it (at least to a tenth). m is renormalised after each
/// accepted step; NaN or a drift of |m| above <see cref="MaxNormDrift"/> in one step raises <see cref="DivergenceException"/>.
/// All stage buffers are allocated once: a step allocates nothing. The first stage is carried between steps, so after
/// changing m, the field or the current from outside, start a new integrator (as the problems do).
/// </summary>
public sealed class DormandPrince
{
    private static readonly double[][] A =
    [
        [],
        [1.0 / 5],
        [3.0 / 40, 9.0 / 40],
        [44.0 / 45, -56.0 / 15, 32.0 / 9],
        [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
        [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
        [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
    ];

    private static readonly double[] C = [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1];

    /// <summary>b − b*: the fifth-order weights minus the embedded fourth-order ones.</summary>
    private static readonly double[] E = [71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40];

    private readonly Magnet _magnet;
    private readonly VectorField[] _k;
    private readonly VectorField _stage;
    private readonly double[] _weights = new double[7];
    private readonly Action<int, int> _combine, _error;
    private readonly double[] _errorByRow;
    private int _weightCount;
    private double _dt;
    private bool _firstStageValid;

    public DormandPrince(Magnet magnet, bool precession = true)
    {
        _magnet = magnet;
        Precession = precession;
        _k = [.. Enumerable.Range(0, 7).Select(_ => new VectorField(magnet.Mesh.Count))];
        _stage = new VectorField(magnet.Mesh.Count);
        _errorByRow = new double[magnet.Mesh.Ny * magnet.Mesh.Nz];
        (_combine, _error) = (Combine, Error);
    }

    /// <summary>Tolerated error per step, rad (mumax3's MaxErr default 1e-5).</summary>
    public double MaxErrorRad { get; init; } = 1e-5;

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

    /// <summary>The torque at the current m (the first stage), valid after a step.</summary>
    public VectorField LastTorque => _k[0];

    /// <summary>Attempts one step of at most <paramref name="maxStepS"/>; returns whether it was accepted.</summary>
    public bool Step(double maxStepS = double.PositiveInfinity)
    {
        VectorField m = _magnet.M;
        _dt = Math.Min(Math.Min(TimeStepS, MaxTimeStepS), maxStepS);
        if (!_firstStageValid) _magnet.Torque(m, TimeS, _k[0], Precession);
        for (int s = 1; s < 7; s++)
        {
            LoadWeights(A[s]);
            _magnet.Pool.Run(_errorByRow.Length, _combine);
            _magnet.Torque(_stage, TimeS + C[s] * _dt, _k[s], Precession);
        }
        _magnet.Pool.Run(_errorByRow.Length, _error);
        double error = 0;
        foreach (double rowError in _errorByRow) error = double.IsNaN(rowError) ? double.NaN : Math.Max(error, rowError);
        error *= _dt;
        if (double.IsNaN(error)) throw new DivergenceException($"the torque became NaN at t = {TimeS:E3} s: parameters or initial state are unphysical.");
        double factor = error > 0 ? 0.9 * Math.Pow(MaxErrorRad / error, 0.2) : 5;
        if (error > MaxErrorRad)
        {
            RejectedSteps++;
            TimeStepS = _dt * Math.Max(0.1, factor);
            if (TimeStepS < MinTimeStepS)
                throw new DivergenceException($"the time step fell below {MinTimeStepS:E0} s at t = {TimeS:E3} s: the torque is too stiff (cells too small, fields too large?).");
            _firstStageValid = true;
            return false;
        }
        m.CopyFrom(_stage);
        double drift = _magnet.Normalize(m);
        if (!(drift <= MaxNormDrift))
            throw new DivergenceException($"|m| drifted by {drift:E2} in one step at t = {TimeS:E3} s: the run diverges.");
        (_k[0], _k[6]) = (_k[6], _k[0]);
        _firstStageValid = true;
        TimeS += _dt;
        TimeStepS = _dt * Math.Min(5, factor);
        AcceptedSteps++;
        return true;
    }

    /// <summary>Integrates until <see cref="TimeS"/> reaches <paramref name="endS"/>, landing on it exactly.</summary>
    public void RunUntil(double endS)
    {
        while (TimeS < endS * (1 - 1e-12)) Step(endS - TimeS);
    }

    private void LoadWeights(double[] weights)
    {
        _weightCount = weights.Length;
        Array.Copy(weights, _weights, weights.Length);
    }

    /// <summary>stage = m + Δt Σ_j w_j k_j for the loaded weights.</summary>
    private void Combine(int from, int to)
    {
        int nx = _magnet.Mesh.Nx;
        VectorField m = _magnet.M;
        for (int i = from * nx; i < to * nx; i++)
        {
            double x = 0, y = 0, z = 0;
            for (int j = 0; j < _weightCount; j++)
            {
                double w = _weights[j];
                if (w == 0) continue;
                x += w * _k[j].X[i];
                y += w * _k[j].Y[i];
                z += w * _k[j].Z[i];
            }
            _stage.X[i] = m.X[i] + _dt * x;
            _stage.Y[i] = m.Y[i] + _dt * y;
            _stage.Z[i] = m.Z[i] + _dt * z;
        }
    }

    /// <summary>Per row, max |Σ_j E_j k_j|. The fifth-order solution is the last stage evaluated (the weights of A's last row).</summary>
    private void Error(int from, int to)
    {
        int nx = _magnet.Mesh.Nx;
        for (int row = from; row < to; row++)
        {
            double max = 0;
            for (int i = row * nx; i < (row + 1) * nx; i++)
            {
                double x = 0, y = 0, z = 0;
                for (int j = 0; j < 7; j++)
                {
                    x += E[j] * _k[j].X[i];
                    y += E[j] * _k[j].Y[i];
                    z += E[j] * _k[j].Z[i];
                }
                max = Math.Max(max, x * x + y * y + z * z);
            }
            _errorByRow[row] = Math.Sqrt(max);
        }
    }
}
