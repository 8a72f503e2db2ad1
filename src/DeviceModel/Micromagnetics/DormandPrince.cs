using System.Numerics;

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
    private readonly double[][] _termsX = new double[7][], _termsY = new double[7][], _termsZ = new double[7][];
    private readonly double[] _termWeights = new double[7];
    private readonly Action<int, int> _combine, _error;
    private readonly double[] _errorByRow;
    private int _termCount;
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

    /// <summary>Keeps the stages of nonzero weight, each component's arrays apart, so the combination streams them.</summary>
    private void LoadWeights(double[] weights)
    {
        _termCount = 0;
        for (int j = 0; j < weights.Length; j++)
        {
            if (weights[j] == 0) continue;
            (_termsX[_termCount], _termsY[_termCount], _termsZ[_termCount]) = (_k[j].X, _k[j].Y, _k[j].Z);
            _termWeights[_termCount++] = weights[j];
        }
    }

    /// <summary>stage = m + Δt Σ_j w_j k_j for the loaded weights.</summary>
    private void Combine(int from, int to)
    {
        int start = from * Magnet.Mesh.Nx, end = to * Magnet.Mesh.Nx;
        VectorField m = Magnet.M;
        Combine(m.X, _termsX, _stage.X, start, end);
        Combine(m.Y, _termsY, _stage.Y, start, end);
        Combine(m.Z, _termsZ, _stage.Z, start, end);
    }

    /// <summary>One component, SIMD lanes first; each lane sums in the scalar tail's order, so both give the same bits.</summary>
    private void Combine(double[] m, double[][] terms, double[] stage, int start, int end)
    {
        int i = start, lanes = Vector<double>.Count;
        for (; i <= end - lanes; i += lanes)
        {
            var sum = Vector<double>.Zero;
            for (int j = 0; j < _termCount; j++) sum += _termWeights[j] * new Vector<double>(terms[j], i);
            (new Vector<double>(m, i) + _dt * sum).CopyTo(stage, i);
        }
        for (; i < end; i++)
        {
            double sum = 0;
            for (int j = 0; j < _termCount; j++) sum += _termWeights[j] * terms[j][i];
            stage[i] = m[i] + _dt * sum;
        }
    }

    /// <summary>
    /// Per row, max |Σ_j E_j k_j| (NaN if any cell's is). The fifth-order solution is the last stage evaluated (the weights
    /// of A's last row). Every stage enters, zero weights too, so that a NaN or infinity anywhere reaches the error.
    /// </summary>
    private void Error(int from, int to)
    {
        int nx = Magnet.Mesh.Nx, lanes = Vector<double>.Count;
        for (int row = from; row < to; row++)
        {
            int i = row * nx, end = i + nx;
            var largest = Vector<double>.Zero;
            bool nan = false;
            for (; i <= end - lanes; i += lanes)
            {
                Vector<double> x = Vector<double>.Zero, y = Vector<double>.Zero, z = Vector<double>.Zero;
                for (int j = 0; j < 7; j++)
                {
                    x += E[j] * new Vector<double>(_k[j].X, i);
                    y += E[j] * new Vector<double>(_k[j].Y, i);
                    z += E[j] * new Vector<double>(_k[j].Z, i);
                }
                Vector<double> squared = x * x + y * y + z * z;
                nan |= !Vector.EqualsAll(squared, squared);
                largest = Vector.Max(largest, squared);
            }
            double max = 0;
            for (int lane = 0; lane < lanes; lane++) max = Math.Max(max, largest[lane]);
            for (; i < end; i++)
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
            _errorByRow[row] = nan ? double.NaN : Math.Sqrt(max);
        }
    }
}
