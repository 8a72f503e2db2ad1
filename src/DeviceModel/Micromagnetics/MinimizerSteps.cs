namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// The arithmetic of <see cref="Minimizer"/>'s iterations — the gradient, the descent step, the Barzilai–Borwein sums —
/// either on the host (<see cref="HostMinimizerSteps"/>) or with m, g and the last changes kept on the device
/// (<see cref="IlgpuMinimizerSteps"/>), so that the minimizer's control is written once.
/// </summary>
internal abstract class MinimizerSteps : IDisposable
{
    /// <summary>On the device where nothing of the magnet's field is left on the host (<see cref="Magnet.CanStepOnDevice"/>), else on the host.</summary>
    public static MinimizerSteps For(Magnet magnet, IReadOnlySet<int>? frozen) =>
        magnet.CanStepOnDevice ? new IlgpuMinimizerSteps(magnet, frozen) : new HostMinimizerSteps(magnet, frozen);

    /// <summary>g = m×(m×B) of the current m, zero in frozen cells; returns max |g|, T (NaN where m or g holds a NaN).</summary>
    public abstract double Gradient();

    /// <summary>Remembers m and g, then m ← normalize(m − <paramref name="step"/> g); false where a magnetic cell's m is NaN or zero.</summary>
    public abstract bool Descend(double step);

    /// <summary>s·s, s·y and y·y for s and y the last changes of m and g.</summary>
    public abstract (double Ss, double Sy, double Yy) Differences();

    /// <summary>Brings m into <see cref="Magnet.M"/> (nothing to do on the host).</summary>
    public virtual void CopyToHost()
    {
    }

    public virtual void Dispose()
    {
    }
}
