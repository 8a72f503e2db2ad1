using ILGPU;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>Scalars of <see cref="IlgpuTorqueKernel"/>: mesh, coefficients of the local terms, LLG and SOT constants (SI, T).</summary>
public struct IlgpuTorqueParameters
{
    public int Nx, Ny, Nz, Precession;
    public double CellXM, CellYM, ExchangeXT, ExchangeYT, ExchangeZT, DmiXT, DmiYT, DmiOver2APerM;
    public double AxisX, AxisY, AxisZ, ZeemanXT, ZeemanYT, ZeemanZT, Gamma, Alpha;
    public double DampingLikeT, FieldLikeT, PolarizationX, PolarizationY, PolarizationZ;
}

/// <summary>
/// The ILGPU kernel path: one cell per thread adds exchange, interfacial DMI (edge ghosts by <see cref="DmiBoundary.Ghost"/>),
/// anisotropy and Zeeman to the host's field (demag and thermal, which stay on the C# FFT), then evaluates the torque
/// with the same <see cref="LlgTorque"/> and <see cref="SpinOrbitTorque"/> functions as the C# path. The stencils mirror
/// <see cref="Exchange"/> and <see cref="Dmi"/> over ArrayViews (m, field, torque stored x block, y block, z block).
/// </summary>
public static class IlgpuTorqueKernel
{
    public static void Evaluate(Index1D cell, ArrayView<double> m, ArrayView<double> field, ArrayView<double> torque, ArrayView<int> region,
        ArrayView<double> anisotropyTByRegion, ArrayView<int> drivenLayer, IlgpuTorqueParameters p)
    {
        int i = cell, n = p.Nx * p.Ny * p.Nz, plane = p.Nx * p.Ny;
        if (region[i] == 0)
        {
            torque[i] = 0;
            torque[i + n] = 0;
            torque[i + 2 * n] = 0;
            return;
        }
        int x = i % p.Nx, y = i / p.Nx % p.Ny, z = i / plane;
        double mx = m[i], my = m[i + n], mz = m[i + 2 * n];
        double bx = field[i] + p.ZeemanXT, by = field[i + n] + p.ZeemanYT, bz = field[i + 2 * n] + p.ZeemanZT;
        for (int axis = 0; axis < 2; axis++)
        {
            bool alongX = axis == 0;
            int stride = alongX ? 1 : p.Nx, position = alongX ? x : y, length = alongX ? p.Nx : p.Ny;
            double step = alongX ? p.CellXM : p.CellYM, exchange = alongX ? p.ExchangeXT : p.ExchangeYT, dmi = alongX ? p.DmiXT : p.DmiYT;
            Neighbour(m, region, i - stride, position > 0, alongX, -step * p.DmiOver2APerM, n, mx, my, mz, out double ax, out double ay, out double az);
            Neighbour(m, region, i + stride, position < length - 1, alongX, step * p.DmiOver2APerM, n, mx, my, mz, out double cx, out double cy, out double cz);
            bx += exchange * (ax + cx - 2 * mx);
            by += exchange * (ay + cy - 2 * my);
            bz += exchange * (az + cz - 2 * mz);
            if (alongX)
            {
                bx += dmi * (cz - az);
                bz -= dmi * (cx - ax);
            }
            else
            {
                by += dmi * (cz - az);
                bz -= dmi * (cy - ay);
            }
        }
        if (z > 0 && region[i - plane] != 0)
        {
            bx += p.ExchangeZT * (m[i - plane] - mx);
            by += p.ExchangeZT * (m[i - plane + n] - my);
            bz += p.ExchangeZT * (m[i - plane + 2 * n] - mz);
        }
        if (z < p.Nz - 1 && region[i + plane] != 0)
        {
            bx += p.ExchangeZT * (m[i + plane] - mx);
            by += p.ExchangeZT * (m[i + plane + n] - my);
            bz += p.ExchangeZT * (m[i + plane + 2 * n] - mz);
        }
        double k = anisotropyTByRegion[region[i]] * (mx * p.AxisX + my * p.AxisY + mz * p.AxisZ);
        bx += k * p.AxisX;
        by += k * p.AxisY;
        bz += k * p.AxisZ;
        LlgTorque.Evaluate(mx, my, mz, bx, by, bz, p.Gamma, p.Alpha, p.Precession != 0, out double tx, out double ty, out double tz);
        if (p.Precession != 0 && p.DampingLikeT != 0 && drivenLayer[z] != 0)
            SpinOrbitTorque.Add(mx, my, mz, p.PolarizationX, p.PolarizationY, p.PolarizationZ, p.DampingLikeT, p.FieldLikeT, p.Gamma, p.Alpha, ref tx, ref ty, ref tz);
        torque[i] = tx;
        torque[i + n] = ty;
        torque[i + 2 * n] = tz;
    }

    private static void Neighbour(ArrayView<double> m, ArrayView<int> region, int neighbour, bool exists, bool alongX, double tilt, int n,
        double mx, double my, double mz, out double nx, out double ny, out double nz)
    {
        if (exists && region[neighbour] != 0)
        {
            nx = m[neighbour];
            ny = m[neighbour + n];
            nz = m[neighbour + 2 * n];
            return;
        }
        DmiBoundary.Ghost(alongX, tilt, mx, my, mz, out nx, out ny, out nz);
    }
}
