using EdgeSkyrmion.DeviceModel.Micromagnetics;
using EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class DemagTests
{
    /// <summary>Both FFTs the convolution runs on: each must meet the analytic factors on its own.</summary>
    public static TheoryData<string> Ffts => [.. DemagFfts.Names];

    /// <summary>The body-averaged factors on <paramref name="fft"/>'s convolution (<see cref="DemagFactors.Measure"/>).</summary>
    private static (double X, double Y, double Z) Factors(Mesh mesh, string fft)
    {
        using IDisposable scope = DemagFfts.Use(fft);
        return DemagFactors.Measure(mesh);
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
    public void ThinFilmMatchesAharonisClosedFormWithinTheFarFieldsDipoleError(string fft)
    {
        // 128 × 128 × 1 nm: N_z 0.9722, N_x 0.0139. Cells over 40 apart see a point dipole, which puts the measured factors
        // 1.3 × 10⁻⁷ (z) and 6 × 10⁻⁸ (x) from the closed form; the sum stays 1 to rounding.
        var n = Factors(new Mesh(64, 64, 1, 2e-9, 2e-9, 1e-9), fft);
        var exact = DemagFactors.Aharoni(128, 128, 1);
        Assert.Equal(exact.Z, n.Z, 1e-6);
        Assert.Equal(exact.X, n.X, 1e-6);
        Assert.Equal(n.X, n.Y, 1e-9);
        Assert.Equal(1.0, n.X + n.Y + n.Z, 1e-9);
    }

    [Theory]
    [MemberData(nameof(Ffts))]
    public void PrismMatchesAharonisClosedForm(string fft)
    {
        var mesh = new Mesh(16, 8, 4, 2e-9, 2e-9, 2e-9);
        var n = Factors(mesh, fft);
        var exact = DemagFactors.Aharoni(16, 8, 4);
        Assert.Equal(exact.Z, n.Z, 1e-5);
        Assert.Equal(exact.X, n.X, 1e-5);
        Assert.Equal(1.0, n.X + n.Y + n.Z, 1e-6);
    }

    [Theory]
    [MemberData(nameof(Ffts))]
    public void TwoLayersWithASpacerMatchAharonisPrismsCombined(string fft)
    {
        // 40 × 24 × 1 nm layers 3 nm apart; the pair's N_z (0.883) lies between one layer's and a solid 5 nm block's.
        var mesh = new Mesh(20, 12, 2, 2e-9, 2e-9, 1e-9) { LayerPitchM = 4e-9 };
        var n = Factors(mesh, fft);
        var exact = DemagFactors.AharoniLayerPair(40, 24, 1, 3);
        Assert.Equal(exact.Z, n.Z, 1e-10);
        Assert.Equal(exact.X, n.X, 1e-10);
        Assert.Equal(exact.Y, n.Y, 1e-10);
        Assert.InRange(exact.Z, DemagFactors.AharoniZ(40, 24, 5) + 0.01, DemagFactors.AharoniZ(40, 24, 1) - 0.01);
        // Touching layers are one prism: the formula needs a spacer and says so.
        Assert.Contains("the spacer need a thickness > 0", Assert.Throws<ArgumentException>(() => DemagFactors.AharoniLayerPair(40, 24, 1, 0)).Message);
    }

    [Fact]
    public void AharonisFormulaGivesOneThirdForACube() => Assert.Equal(1.0 / 3, DemagFactors.AharoniZ(1, 1, 1), 1e-12);
}
