using EdgeSkyrmion.DeviceModel.Micromagnetics;
using EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class SkyrmionTests
{
    [Fact]
    public void CoarseDmiDiskRelaxesToTheStandardProblemsRadius()
    {
        var result = DmiDiskProblem.Run(cellM: 4e-9, threads: 1);
        Assert.True(result.Converged);
        Assert.Equal(DmiDiskProblem.ReferenceRadiusM * 1e9, result.RadiusM * 1e9, 2.0);
        Assert.Null(result.Mumax3Deviation);
    }

    /// <summary>
    /// On mumax3's own mesh the whole radial profile — the core, the wall and the canting the DMI boundary condition
    /// makes at the disk's edge — follows mumax3's cell by cell (measured 4.1e-4 in m_z, at the wall; 1.1e-5 at the edge).
    /// </summary>
    [Fact]
    public void OnMumax3sTwoNanometreMeshTheDisksProfileFollowsMumax3sCellByCell()
    {
        var result = DmiDiskProblem.Run(cellM: DmiDiskProblem.Mumax3CellM, threads: 1);
        Assert.True(result.Converged);
        Assert.Equal(DmiDiskProblem.Mumax3ProfileMz.Count, result.Profile.Count);
        (double mz, double atM) = result.Mumax3Deviation!.Value;
        Assert.True(mz < 1e-3, $"|Δm_z| {mz:E2} from mumax3 at {atM * 1e9:F0} nm");
        Assert.Equal(DmiDiskProblem.Mumax3ProfileMz[^1], result.Profile[^1].Mz, 1e-4);
    }

    /// <summary>
    /// The 1-D problem: only the DMI boundary condition tilts m, so the canting at the chain's ends and its decay into
    /// the bulk check that condition alone (measured 2.6e-6 from mumax3's m_z; one-cell-wide, 0.11); the sign of the
    /// canting checks the DMI's sign convention against mumax3's (its m_x is −0.6134471 at the first cell).
    /// </summary>
    [Fact]
    public void TheChainsEndsCantAsMumax3sDoCellByCell()
    {
        var result = DmiChainProblem.Run(threads: 1);
        Assert.True(result.Converged);
        Assert.True(result.Mumax3Deviation < 1e-4, $"|Δm_z| {result.Mumax3Deviation:E2} from mumax3 at {result.Mumax3DeviationAtM * 1e9:F1} nm");
        (double _, double firstMx, double _, double firstMz) = result.Profile[0];
        (double _, double lastMx, double _, double lastMz) = result.Profile[^1];
        Assert.Equal(-0.6134471, firstMx, 1e-4);
        Assert.Equal(-firstMx, lastMx, 1e-9);
        Assert.Equal(firstMz, lastMz, 1e-9);
    }

    [Fact]
    public void RelaxingLowersTheEnergyMonotonically()
    {
        var mesh = new Mesh(16, 16, 1, 2e-9, 2e-9, 1e-9);
        using var magnet = new Magnet(Geometry.Filled(mesh), new MagnetMaterial(), threads: 1);
        magnet.Zeeman.FieldT = (0, 0, 0.08);
        magnet.Set((x, y, _) => (Math.Sin(x * 3e8), Math.Cos(y * 2e8), (x - 16e-9) * (x - 16e-9) + (y - 16e-9) * (y - 16e-9) < 64e-18 ? -1 : 1));
        var result = new Relaxer(magnet) { EnergySampleEvery = 10, MaxSteps = 400 }.Relax();
        Assert.True(result.EnergiesJ.Count > 3);
        for (int i = 1; i < result.EnergiesJ.Count; i++)
            Assert.True(result.EnergiesJ[i] <= result.EnergiesJ[i - 1] + 1e-25, $"energy rose at sample {i}: {result.EnergiesJ[i - 1]:E6} → {result.EnergiesJ[i]:E6} J");
        Assert.True(result.EnergiesJ[^1] < result.EnergiesJ[0]);
    }
}
