namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>One contribution to the effective field B_eff = −(1/Ms) δE/δm, in T.</summary>
public interface IFieldTerm
{
    string Name { get; }

    /// <summary>E = −EnergyFactor · Ms · V · Σ m·B: ½ for terms quadratic in m, 1 for the applied field, 0 for a field without an energy (thermal).</summary>
    double EnergyFactor { get; }

    /// <summary>Adds this term's field for magnetization <paramref name="m"/> at time <paramref name="timeS"/> into <paramref name="field"/>.</summary>
    void AddField(VectorField m, double timeS, VectorField field);
}
