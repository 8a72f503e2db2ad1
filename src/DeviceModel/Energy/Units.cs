namespace EdgeSkyrmion.DeviceModel.Energy;

/// <summary>
/// Energy unit conversions, in one place. Energies are joules inside the models (SI); ledgers, reports and the
/// wire carry femtojoules (one pulse ≈ 300 fJ), and people read nJ and pJ.
/// </summary>
public static class Units
{
    public const double FemtojoulesPerJoule = 1e15;

    public static double Femtojoules(double joules) => joules * FemtojoulesPerJoule;

    public static double Joules(double femtojoules) => femtojoules / FemtojoulesPerJoule;

    public static double Picojoules(double femtojoules) => femtojoules / 1e3;

    public static double Nanojoules(double femtojoules) => femtojoules / 1e6;
}
