namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>Uniaxial anisotropy with Ku by region, E = −Ku ∫ (m·u)², field B = (2Ku/Ms)(m·u) u.</summary>
public sealed class Anisotropy : IFieldTerm
{
    private readonly byte[] _region;
    private readonly double[] _coefficientTByRegion;
    private readonly double _ux, _uy, _uz;

    public Anisotropy(Geometry geometry, MagnetMaterial material)
    {
        _region = geometry.Region;
        _coefficientTByRegion = [.. material.AnisotropyJPerM3ByRegion.Select(k => 2 * k / material.SaturationMagnetizationAPerM)];
        (_ux, _uy, _uz) = material.AnisotropyAxis;
    }

    public string Name => "anisotropy";

    public double EnergyFactor => 0.5;

    public void AddField(VectorField m, double timeS, VectorField field)
    {
        for (int i = 0; i < _region.Length; i++)
        {
            double c = _coefficientTByRegion[_region[i]] * (m.X[i] * _ux + m.Y[i] * _uy + m.Z[i] * _uz);
            field.X[i] += c * _ux;
            field.Y[i] += c * _uy;
            field.Z[i] += c * _uz;
        }
    }
}
