using System.Numerics;
using EdgeSkyrmion.DeviceModel.Physics;
using MathNet.Numerics.IntegralTransforms;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// Magnetostatics, B = −μ0 Ms N ∗ m, as a convolution with the <see cref="NewellTensor"/> done by FFT on a zero-padded
/// grid (no periodicity). The FFT is Math.NET Numerics' (radix-2, in place, allocation-free below 1,024 points; docs/micromagnetics.md
/// says why it was chosen). The kernel is even or odd–odd in every pair of axes, so its spectrum is real and is stored
/// as six real arrays. Two real fields share one complex transform (m_x + i m_y, and h_x + i h_y on the way back), so a
/// field costs four 3-D transforms instead of six; lines that hold only padding are skipped on the way in and not
/// transformed back.
/// </summary>
public sealed class Demag : IFieldTerm
{
    // One scratch line per thread and axis: the passes differ in length, and reallocating on each switch would allocate per step.
    [ThreadStatic] private static Complex[]? s_lineX;
    [ThreadStatic] private static Complex[]? s_lineY;
    [ThreadStatic] private static Complex[]? s_lineZ;

    private readonly Mesh _mesh;
    private readonly byte[] _region;
    private readonly WorkerPool _pool;
    private readonly int _px, _py, _pz;
    private readonly Complex[] _xy, _z;
    private readonly double[] _kxx, _kyy, _kzz, _kxy, _kxz, _kyz;
    private readonly double _scaleT;
    private readonly Complex[][] _magnetization;
    private readonly Action<int, int> _linesX, _linesY, _linesZ, _multiply;
    private Complex[][] _arrays = [];
    private int _rowsY, _layersZ;
    private bool _forward;

    // Math.NET runs a line of 1,024 points or more as a Parallel.For per radix-2 level, allocating each time; the worker
    // pool already spreads the lines over the cores, so its own parallelism only adds that cost. Math.NET serves nothing
    // else in the solution, so its process-wide setting is this class's to make.
    static Demag() => MathNet.Numerics.Control.MaxDegreeOfParallelism = 1;

    public Demag(Geometry geometry, MagnetMaterial material, WorkerPool pool)
    {
        _mesh = geometry.Mesh;
        _region = geometry.Region;
        _pool = pool;
        (_px, _py, _pz) = _mesh.PaddedSize;
        int padded = _px * _py * _pz;
        (_xy, _z) = (new Complex[padded], new Complex[padded]);
        _scaleT = -PhysicalConstants.Mu0TmPerA * material.SaturationMagnetizationAPerM / padded;
        _magnetization = [_xy, _z];
        (_linesX, _linesY, _linesZ, _multiply) = (LinesX, LinesY, LinesZ, Multiply);
        double[][] kernels = Kernels();
        (_kxx, _kyy, _kzz, _kxy, _kxz, _kyz) = (kernels[0], kernels[1], kernels[2], kernels[3], kernels[4], kernels[5]);
    }

    public string Name => "demag";

    public double EnergyFactor => 0.5;

    public void AddField(VectorField m, double timeS, VectorField field)
    {
        Array.Clear(_xy);
        Array.Clear(_z);
        int nx = _mesh.Nx, ny = _mesh.Ny;
        for (int i = 0; i < m.Count; i++)
        {
            int p = Padded(i % nx, i / nx % ny, i / (nx * ny));
            _xy[p] = new Complex(m.X[i], m.Y[i]);
            _z[p] = m.Z[i];
        }
        Transform3D(_magnetization, _mesh.Ny, _mesh.Nz, forward: true);
        _pool.Run(_px * _py * _pz, _multiply);
        Transform3D(_magnetization, _mesh.Ny, _mesh.Nz, forward: false);
        for (int i = 0; i < m.Count; i++)
        {
            if (_region[i] == Geometry.Empty) continue;
            int p = Padded(i % nx, i / nx % ny, i / (nx * ny));
            field.X[i] += _scaleT * _xy[p].Real;
            field.Y[i] += _scaleT * _xy[p].Imaginary;
            field.Z[i] += _scaleT * _z[p].Real;
        }
    }

    private int Padded(int x, int y, int z) => (z * _py + y) * _px + x;

    /// <summary>
    /// The 3-D transform of <paramref name="arrays"/> as x, y, z passes of 1-D transforms (reverse order going back). Only
    /// the first <paramref name="rowsY"/> rows and <paramref name="layersZ"/> layers hold data; the rest is padding.
    /// </summary>
    private void Transform3D(Complex[][] arrays, int rowsY, int layersZ, bool forward)
    {
        (_arrays, _rowsY, _layersZ, _forward) = (arrays, rowsY, layersZ, forward);
        if (forward)
        {
            _pool.Run(rowsY * layersZ, _linesX);
            _pool.Run(_px * layersZ, _linesY);
            if (_pz > 1) _pool.Run(_px * _py, _linesZ);
        }
        else
        {
            if (_pz > 1) _pool.Run(_px * _py, _linesZ);
            _pool.Run(_px * layersZ, _linesY);
            _pool.Run(rowsY * layersZ, _linesX);
        }
    }

    private static Complex[] Line(ref Complex[]? line, int length)
    {
        if (line is null || line.Length != length) line = new Complex[length];
        return line;
    }

    private void LinesX(int from, int to)
    {
        Complex[] line = Line(ref s_lineX, _px);
        foreach (Complex[] data in _arrays)
            for (int row = from; row < to; row++)
            {
                int start = Padded(0, row % _rowsY, row / _rowsY);
                Array.Copy(data, start, line, 0, _px);
                Transform(line);
                Array.Copy(line, 0, data, start, _px);
            }
    }

    private void LinesY(int from, int to)
    {
        Complex[] line = Line(ref s_lineY, _py);
        foreach (Complex[] data in _arrays)
            for (int column = from; column < to; column++)
            {
                int start = Padded(column % _px, 0, column / _px);
                for (int y = 0; y < _py; y++) line[y] = data[start + y * _px];
                Transform(line);
                for (int y = 0; y < _py; y++) data[start + y * _px] = line[y];
            }
    }

    private void LinesZ(int from, int to)
    {
        Complex[] line = Line(ref s_lineZ, _pz);
        int plane = _px * _py;
        foreach (Complex[] data in _arrays)
            for (int column = from; column < to; column++)
            {
                for (int z = 0; z < _pz; z++) line[z] = data[column + z * plane];
                Transform(line);
                for (int z = 0; z < _pz; z++) data[column + z * plane] = line[z];
            }
    }

    private void Transform(Complex[] line)
    {
        if (_forward) Fourier.Forward(line, FourierOptions.NoScaling);
        else Fourier.Inverse(line, FourierOptions.NoScaling);
    }

    /// <summary>
    /// H(k) = N(k)·M(k) for the wave vectors k in [from, to) and their mirrors −k (each pair once, by its lower index). The
    /// packed spectrum Z = F(m_x + i m_y) splits as F m_x = (Z(k) + Z̄(−k))/2, F m_y = (Z(k) − Z̄(−k))/2i; the result is packed
    /// back as F h_x + i F h_y.
    /// </summary>
    private void Multiply(int from, int to)
    {
        for (int k = from; k < to; k++)
        {
            int x = k % _px, y = k / _px % _py, z = k / (_px * _py);
            int mirror = Padded((_px - x) % _px, (_py - y) % _py, (_pz - z) % _pz);
            if (mirror < k) continue;
            Complex zk = _xy[k], zm = Complex.Conjugate(_xy[mirror]);
            Complex mxK = (zk + zm) / 2, myK = (zk - zm) / new Complex(0, 2);
            Complex mxM = Complex.Conjugate(mxK), myM = Complex.Conjugate(myK);
            (_xy[k], _z[k]) = Apply(k, mxK, myK, _z[k]);
            if (mirror != k) (_xy[mirror], _z[mirror]) = Apply(mirror, mxM, myM, _z[mirror]);
        }
    }

    /// <summary>(F h_x + i F h_y, F h_z) at wave vector <paramref name="k"/>.</summary>
    private (Complex Xy, Complex Z) Apply(int k, Complex mx, Complex my, Complex mz)
    {
        Complex hx = _kxx[k] * mx + _kxy[k] * my + _kxz[k] * mz;
        Complex hy = _kxy[k] * mx + _kyy[k] * my + _kyz[k] * mz;
        return (hx + Complex.ImaginaryOne * hy, _kxz[k] * mx + _kyz[k] * my + _kzz[k] * mz);
    }

    /// <summary>The spectrum (real part) of each of the six tensor components, in <see cref="NewellTensor.Padded"/>'s order.</summary>
    private double[][] Kernels()
    {
        double[][] spectra = new double[6][];
        double[][] padded = NewellTensor.Padded(_mesh);
        for (int component = 0; component < 6; component++)
        {
            Complex[] data = [.. padded[component].Select(v => new Complex(v, 0))];
            Transform3D([data], _py, _pz, forward: true);
            spectra[component] = [.. data.Select(c => c.Real)];
        }
        return spectra;
    }
}
