namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>The applied field, uniform, E = −Ms ∫ m·B. Settable between steps (a field step, a pulse).</summary>
public sealed class Zeeman(byte[] region) : IFieldTerm
{
    /// <summary>Applied flux density μ0H, T.</summary>
    public (double X, double Y, double Z) FieldT { get; set; }

    public string Name => "zeeman";

    public double EnergyFactor => 1;

    public void AddField(VectorField m, double timeS, VectorField field)
    {
        (double bx, double by, double bz) = FieldT;
        for (int i = 0; i < region.Length; i++)
        {
            if (region[i] == Geometry.Empty) continue;
            field.X[i] += bx;
            field.Y[i] += by;
            field.Z[i] += bz;
        }
    }
}
