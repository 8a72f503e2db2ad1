namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary><see cref="HeunStepper"/>'s stages on the host, over <see cref="Magnet.M"/> itself. Allocates nothing per step.</summary>
public sealed class Heun : HeunStepper
{
    private readonly VectorField _k1, _k2, _predicted;

    public Heun(Magnet magnet, double timeStepS) : base(magnet, timeStepS) =>
        (_k1, _k2, _predicted) = (new VectorField(magnet.Mesh.Count), new VectorField(magnet.Mesh.Count), new VectorField(magnet.Mesh.Count));

    public override string Name => "heun";

    protected override double Advance(double dtS)
    {
        VectorField m = Magnet.M;
        Magnet.Torque(m, TimeS, _k1);
        for (int i = 0; i < m.Count; i++)
        {
            _predicted.X[i] = m.X[i] + dtS * _k1.X[i];
            _predicted.Y[i] = m.Y[i] + dtS * _k1.Y[i];
            _predicted.Z[i] = m.Z[i] + dtS * _k1.Z[i];
        }
        Magnet.Torque(_predicted, TimeS + dtS, _k2);
        for (int i = 0; i < m.Count; i++)
        {
            m.X[i] += 0.5 * dtS * (_k1.X[i] + _k2.X[i]);
            m.Y[i] += 0.5 * dtS * (_k1.Y[i] + _k2.Y[i]);
            m.Z[i] += 0.5 * dtS * (_k1.Z[i] + _k2.Z[i]);
        }
        return Magnet.Normalize(m);
    }
}
