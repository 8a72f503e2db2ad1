namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// <see cref="DormandPrinceStepper"/> with its stages on the host, all cores (<see cref="Magnet.Torque"/> on either path:
/// on the ILGPU one m goes up and the torque comes back at every stage). All stage buffers are allocated once: a step
/// allocates nothing.
/// </summary>
public sealed class DormandPrince : DormandPrinceStepper
{
    private readonly VectorField[] _k;
    private readonly VectorField _stage;
    private readonly double[] _weights = new double[7];
    private readonly Action<int, int> _combine, _error;
    private readonly double[] _errorByRow;
    private int _weightCount;
    private double _dt;

    public DormandPrince(Magnet magnet, bool precession = true) : base(magnet, precession)
    {
        _k = [.. Enumerable.Range(0, 7).Select(_ => new VectorField(magnet.Mesh.Count))];
        _stage = new VectorField(magnet.Mesh.Count);
        _errorByRow = new double[magnet.Mesh.Ny * magnet.Mesh.Nz];
        (_combine, _error) = (Combine, Error);
    }

    public override string Name => "rk45";

    /// <summary>The torque at the current m (the first stage), valid after a step.</summary>
    public VectorField LastTorque => _k[0];

    protected override double Stages(double dt)
    {
        _dt = dt;
        if (!FirstStageValid) Magnet.Torque(Magnet.M, TimeS, _k[0], Precession);
        for (int s = 1; s < 7; s++)
        {
            LoadWeights(A[s]);
            Magnet.Pool.Run(_errorByRow.Length, _combine);
            Magnet.Torque(_stage, TimeS + C[s] * dt, _k[s], Precession);
        }
        Magnet.Pool.Run(_errorByRow.Length, _error);
        double error = 0;
        foreach (double rowError in _errorByRow) error = double.IsNaN(rowError) ? double.NaN : Math.Max(error, rowError);
        return error;
    }

    protected override double Accept()
    {
        Magnet.M.CopyFrom(_stage);
        (_k[0], _k[6]) = (_k[6], _k[0]);
        return Magnet.Normalize(Magnet.M);
    }

    private void LoadWeights(double[] weights)
    {
        _weightCount = weights.Length;
        Array.Copy(weights, _weights, weights.Length);
    }

    /// <summary>stage = m + Δt Σ_j w_j k_j for the loaded weights.</summary>
    private void Combine(int from, int to)
    {
        int nx = Magnet.Mesh.Nx;
        VectorField m = Magnet.M;
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
        int nx = Magnet.Mesh.Nx;
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
