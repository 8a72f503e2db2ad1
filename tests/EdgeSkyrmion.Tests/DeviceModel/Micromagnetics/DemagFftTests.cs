using EdgeSkyrmion.DeviceModel.Micromagnetics;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

/// <summary>The demag convolution on libtorch's FFT (<see cref="TorchDemag"/>) against the C# one on Math.NET's (<see cref="Demag"/>).</summary>
public class DemagFftTests
{
    /// <summary>A random unit m in every magnetic cell.</summary>
    private static VectorField RandomM(Geometry geometry, int seed)
    {
        var rng = new Random(seed);
        var m = new VectorField(geometry.Mesh.Count);
        for (int i = 0; i < m.Count; i++)
        {
            if (!geometry.IsMagnetic(i)) continue;
            double x = rng.NextDouble() - 0.5, y = rng.NextDouble() - 0.5, z = rng.NextDouble() - 0.5, norm = Math.Sqrt(x * x + y * y + z * z);
            (m.X[i], m.Y[i], m.Z[i]) = (x / norm, y / norm, z / norm);
        }
        return m;
    }

    public static TheoryData<string, Mesh> Bodies => new()
    {
        // A disk in a film whose sides are not powers of two (empty cells, uneven padding).
        { "disk", new Mesh(40, 22, 1, 2e-9, 2e-9, 1e-9) },
        // A stack of four 1 nm layers 3 nm apart: the layers couple through demag alone, across the padding in z.
        { "disk", new Mesh(24, 24, 4, 2e-9, 2e-9, 1e-9) { LayerPitchM = 3e-9 } },
        { "block", new Mesh(12, 10, 6, 1e-9, 1.5e-9, 2e-9) },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void TorchAndMathNetFftsGiveTheSameDemagField(string shape, Mesh mesh)
    {
        Geometry geometry = shape == "disk" ? Geometry.Disk(mesh, 0.9 * mesh.Ny * mesh.CellYM) : Geometry.Filled(mesh);
        var material = new MagnetMaterial();
        using var pool = new WorkerPool(2);
        var mathNet = new Demag(geometry, material, pool);
        using var torch = new TorchDemag(geometry, material, pool);
        VectorField m = RandomM(geometry, seed: 7);
        VectorField a = new(mesh.Count), b = new(mesh.Count);
        mathNet.AddField(m, 0, a);
        torch.AddField(m, 0, b);
        double scale = Magnet.MaxNorm(a);
        Assert.True(scale > 0.1, $"the field is not trivially small ({scale} T)");
        for (int i = 0; i < mesh.Count; i++)
        {
            Assert.Equal(a.X[i], b.X[i], scale * 1e-12);
            Assert.Equal(a.Y[i], b.Y[i], scale * 1e-12);
            Assert.Equal(a.Z[i], b.Z[i], scale * 1e-12);
            if (!geometry.IsMagnetic(i)) Assert.True(b.X[i] == 0 && b.Y[i] == 0 && b.Z[i] == 0, $"empty cell {i} got a field");
        }
        // A second evaluation of another m: nothing of the first is left in the tensors.
        VectorField m2 = RandomM(geometry, seed: 8);
        VectorField c = new(mesh.Count), d = new(mesh.Count);
        mathNet.AddField(m2, 0, c);
        torch.AddField(m2, 0, d);
        for (int i = 0; i < mesh.Count; i++) Assert.Equal(c.Z[i], d.Z[i], scale * 1e-12);
    }

    [Fact]
    public void AMagnetTakesTheDemagOfTheScopeItIsBuiltInAndTheDefaultOutsideIt()
    {
        var mesh = new Mesh(8, 8, 1, 2e-9, 2e-9, 1e-9);
        Magnet Build() => new(Geometry.Filled(mesh), new MagnetMaterial(), threads: 1);
        // A run beside this one (another test's, say) started before the scope and building its magnet while the scope is open.
        using var scopeOpen = new ManualResetEventSlim();
        Magnet? beside = null;
        var thread = new Thread(() => { scopeOpen.Wait(); beside = Build(); });
        thread.Start();
        using (DemagFfts.Use(TorchDemag.ProviderName))
        {
            using Magnet inside = Build();
            Assert.IsType<TorchDemag>(inside.Demag);
            Assert.Equal(TorchDemag.ProviderName, DemagProvider.Current);
            scopeOpen.Set();
            thread.Join();
        }
        using (beside) Assert.IsType<Demag>(beside!.Demag);
        using Magnet after = Build();
        Assert.IsType<Demag>(after.Demag);
        Assert.Equal(DemagProvider.Default, DemagProvider.Current);
    }

    [Fact]
    public void TheMemoryEstimateCountsWhatTheDemagInUseTakes()
    {
        // 256 × 256 cells: ≈ 87 MB on Math.NET's FFT, ≈ 145 MB on libtorch's (its transforms' transient tensors).
        var mesh = new Mesh(256, 256, 1, 2e-9, 2e-9, 1e-9);
        const long budget = 110L << 20;
        using (DemagFfts.Use(DemagProvider.Default))
        {
            using var fits = new Magnet(Geometry.Filled(mesh), new MagnetMaterial(), threads: 1, memoryBudgetBytes: budget);
        }
        using (DemagFfts.Use(TorchDemag.ProviderName))
        {
            var e = Assert.Throws<ArgumentException>(() => new Magnet(Geometry.Filled(mesh), new MagnetMaterial(), threads: 1, memoryBudgetBytes: budget));
            Assert.Contains("over the 110 MiB budget", e.Message);
        }
    }

    [Fact]
    public void AnUnknownFftIsRefusedNamingTheChoices()
    {
        var e = Assert.Throws<ArgumentException>(() => DemagFfts.Use("fftw"));
        Assert.Contains("unknown demag FFT 'fftw'", e.Message);
        Assert.Contains("torch or mathnet", e.Message);
        Assert.Equal(DemagProvider.Default, DemagProvider.Current);
    }

    [Fact]
    public void ARunOnEitherFftFollowsTheSameTrajectory()
    {
        static Magnet Film(string fft)
        {
            using IDisposable scope = DemagFfts.Use(fft);
            return BackendAgreementTests.Film(ilgpu: false);
        }
        using Magnet mathNet = Film(DemagProvider.Default), torch = Film(TorchDemag.ProviderName);
        var rkMathNet = new DormandPrince(mathNet);
        var rkTorch = new DormandPrince(torch);
        for (int step = 0; step < 6; step++) Assert.Equal(rkMathNet.Step(), rkTorch.Step());
        Assert.Equal(rkMathNet.TimeS, rkTorch.TimeS, 1e-20);
        Assert.True(rkMathNet.TimeS > 0);
        for (int i = 0; i < mathNet.M.Count; i++)
        {
            Assert.Equal(mathNet.M.X[i], torch.M.X[i], 1e-9);
            Assert.Equal(mathNet.M.Z[i], torch.M.Z[i], 1e-9);
        }
    }
}
