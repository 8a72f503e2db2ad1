using EdgeSkyrmion.DeviceModel.Micromagnetics;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class DemagTests
{
    /// <summary>Both FFTs the convolution runs on: each must meet the analytic factors on its own.</summary>
    public static TheoryData<string> Ffts => [.. DemagFfts.Names];

    private static readonly MagnetMaterial Plain = new() { ExchangeStiffnessJPerM = 0, InterfacialDmiJPerM2 = 0, AnisotropyJPerM3ByRegion = [0, 0] };

    /// <summary>The body-averaged demagnetizing factor along each axis: −⟨B⟩·m̂/(μ0 Ms) for m uniform along that axis.</summary>
    private static (double X, double Y, double Z) Factors(Mesh mesh, string fft)
    {
        using IDisposable scope = DemagFfts.Use(fft);
        using var magnet = new Magnet(Geometry.Filled(mesh), Plain, threads: 1);
        var demag = magnet.Terms.Single(t => t.Name == "demag");
        double Along(double x, double y, double z)
        {
            magnet.SetUniform(x, y, z);
            var field = new VectorField(mesh.Count);
            demag.AddField(magnet.M, 0, field);
            double sum = 0;
            for (int i = 0; i < mesh.Count; i++) sum += x * field.X[i] + y * field.Y[i] + z * field.Z[i];
            return -sum / mesh.Count / magnet.SaturationFluxDensityT;
        }
        return (Along(1, 0, 0), Along(0, 1, 0), Along(0, 0, 1));
    }

    [Theory]
    [MemberData(nameof(Ffts))]
    public void CubeHasOneThirdAlongEveryAxis(string fft)
    {
        var n = Factors(new Mesh(8, 8, 8, 2e-9, 2e-9, 2e-9), fft);
        Assert.Equal(1.0 / 3, n.X, 1e-6);
        Assert.Equal(1.0 / 3, n.Y, 1e-6);
        Assert.Equal(1.0 / 3, n.Z, 1e-6);
    }

    [Theory]
    [MemberData(nameof(Ffts))]
    public void ThinFilmIsNearlyAllOutOfPlane(string fft)
    {
        var n = Factors(new Mesh(64, 64, 1, 2e-9, 2e-9, 1e-9), fft);
        Assert.InRange(n.Z, 0.95, 1.0);
        Assert.InRange(n.X, 0.0, 0.03);
        Assert.Equal(n.X, n.Y, 1e-9);
        Assert.Equal(1.0, n.X + n.Y + n.Z, 1e-6);
    }

    [Theory]
    [MemberData(nameof(Ffts))]
    public void PrismMatchesAharonisClosedForm(string fft)
    {
        var mesh = new Mesh(16, 8, 4, 2e-9, 2e-9, 2e-9);
        var n = Factors(mesh, fft);
        Assert.Equal(Aharoni(16, 8, 4), n.Z, 1e-5);
        Assert.Equal(Aharoni(4, 8, 16), n.X, 1e-5);
        Assert.Equal(1.0, n.X + n.Y + n.Z, 1e-6);
    }

    [Fact]
    public void AharonisFormulaGivesOneThirdForACube() => Assert.Equal(1.0 / 3, Aharoni(1, 1, 1), 1e-12);

    /// <summary>Aharoni, J. Appl. Phys. 83, 3432 (1998), Eq. (1): N_z of a prism with sides 2a × 2b × 2c (here full sides).</summary>
    private static double Aharoni(double sideX, double sideY, double sideZ)
    {
        double a = sideX / 2, b = sideY / 2, c = sideZ / 2;
        double abc = Math.Sqrt(a * a + b * b + c * c), ab = Math.Sqrt(a * a + b * b), bc = Math.Sqrt(b * b + c * c), ac = Math.Sqrt(a * a + c * c);
        double pi = (b * b - c * c) / (2 * b * c) * Math.Log((abc - a) / (abc + a))
            + (a * a - c * c) / (2 * a * c) * Math.Log((abc - b) / (abc + b))
            + b / (2 * c) * Math.Log((ab + a) / (ab - a))
            + a / (2 * c) * Math.Log((ab + b) / (ab - b))
            + c / (2 * a) * Math.Log((bc - b) / (bc + b))
            + c / (2 * b) * Math.Log((ac - a) / (ac + a))
            + 2 * Math.Atan(a * b / (c * abc))
            + (a * a * a + b * b * b - 2 * c * c * c) / (3 * a * b * c)
            + (a * a + b * b - 2 * c * c) / (3 * a * b * c) * abc
            + c / (a * b) * (ac + bc)
            - (Math.Pow(ab, 3) + Math.Pow(bc, 3) + Math.Pow(ac, 3)) / (3 * a * b * c);
        return pi / Math.PI;
    }
}
