namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary><see cref="MinimizerSteps"/> on the host, over <see cref="Magnet.M"/> itself (the gradient on the magnet's path).</summary>
internal sealed class HostMinimizerSteps(Magnet magnet, IReadOnlySet<int>? frozen) : MinimizerSteps
{
    private readonly VectorField _g = new(magnet.M.Count), _previousM = new(magnet.M.Count), _previousG = new(magnet.M.Count);

    public override double Gradient()
    {
        magnet.EnergyGradient(magnet.M, _g);
        if (frozen is not null)
            foreach (int i in frozen) (_g.X[i], _g.Y[i], _g.Z[i]) = (0, 0, 0);
        return Magnet.MaxNorm(_g);
    }

    public override bool Descend(double step)
    {
        VectorField m = magnet.M;
        _previousM.CopyFrom(m);
        _previousG.CopyFrom(_g);
        for (int i = 0; i < m.Count; i++)
        {
            m.X[i] -= step * _g.X[i];
            m.Y[i] -= step * _g.Y[i];
            m.Z[i] -= step * _g.Z[i];
        }
        return !double.IsNaN(magnet.Normalize(m));
    }

    public override (double Ss, double Sy, double Yy) Differences()
    {
        VectorField m = magnet.M;
        double ss = 0, sy = 0, yy = 0;
        for (int i = 0; i < m.Count; i++)
        {
            double sx = m.X[i] - _previousM.X[i], sY = m.Y[i] - _previousM.Y[i], sz = m.Z[i] - _previousM.Z[i];
            double yx = _g.X[i] - _previousG.X[i], yY = _g.Y[i] - _previousG.Y[i], yz = _g.Z[i] - _previousG.Z[i];
            ss += sx * sx + sY * sY + sz * sz;
            sy += sx * yx + sY * yY + sz * yz;
            yy += yx * yx + yY * yY + yz * yz;
        }
        return (ss, sy, yy);
    }
}
