namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

/// <summary>
/// Every standard problem beside its published solution, each held to a bound a little above what this solver measured
/// (docs/micromagnetics.md, "Validation"), so one run says whether an install, a backend or a change still solves
/// them: the demagnetizing factors of a cube, a prism, a two-layer stack with its spacer and a thin film (analytic), µMAG 3's single-domain limit (16 cells an edge), µMAG 4 against magnum.np (whole trajectory, its mesh and γ)
/// and mumax3 (settled state and both fields' end, its mesh and γ; bounded by the gap mumax3's numerically integrated
/// demag kernel makes), the DMI disk's profile against mumax3's and its radius against the ODE's, and the DMI chain's
/// edge canting against mumax3's.
/// </summary>
public static class Validation
{
    /// <summary>One comparison: what was measured against which reference, and the bound it must stay within.</summary>
    public sealed record Check(string Name, string Against, double Measured, double Bound, string Unit)
    {
        public bool Passed => Measured <= Bound;
    }

    public static IReadOnlyList<Check> Run(int threads = -1, Action<string>? progress = null)
    {
        var checks = new List<Check>();
        progress?.Invoke("demagnetizing factors");
        var cube = DemagFactors.Measure(new Mesh(8, 8, 8, 2e-9, 2e-9, 2e-9), threads);
        checks.Add(new("demag-cube", "1/3 along every axis (8³ cells)", DemagFactors.LargestDifference(cube, (1.0 / 3, 1.0 / 3, 1.0 / 3)), 1e-10, "|ΔN|"));
        var prism = DemagFactors.Measure(new Mesh(16, 8, 4, 2e-9, 2e-9, 2e-9), threads);
        checks.Add(new("demag-prism", "Aharoni's closed form, 4 : 2 : 1 prism (16 × 8 × 4 cells)",
            DemagFactors.LargestDifference(prism, DemagFactors.Aharoni(16, 8, 4)), 1e-10, "|ΔN|"));
        var pair = DemagFactors.Measure(new Mesh(16, 16, 2, 2e-9, 2e-9, 1e-9) { LayerPitchM = 3e-9 }, threads);
        checks.Add(new("demag-stack", "two 32 × 32 × 1 nm layers 2 nm apart: Aharoni's prisms combined (16 × 16 × 2 cells, a spacer between)",
            DemagFactors.LargestDifference(pair, DemagFactors.AharoniLayerPair(32, 32, 1, 2)), 1e-10, "|ΔN|"));
        var film = DemagFactors.Measure(new Mesh(128, 128, 1, 2e-9, 2e-9, 1e-9), threads);
        // The film is wider than the 40 cells beyond which the tensor is a point dipole's: that far field sets the bound.
        checks.Add(new("demag-film", "Aharoni's closed form, a 256 × 256 × 1 nm film (128 × 128 × 1 cells; point-dipole far field)",
            DemagFactors.LargestDifference(film, DemagFactors.Aharoni(256, 256, 1)), 1e-6, "|ΔN|"));
        progress?.Invoke("µMAG 3 on 16 cells an edge");
        double crossing = StandardProblem3.Run([8.4, 8.6], 16, threads).CrossingLex ?? double.PositiveInfinity;
        checks.Add(new("sp3-crossing", $"the flower–vortex crossing, {StandardProblem3.ReferenceCrossingLex} l_ex", Math.Abs(crossing - StandardProblem3.ReferenceCrossingLex), 0.05, "l_ex"));
        var magnum = StandardProblem4.Reference.MagnumNpField1;
        progress?.Invoke("µMAG 4 on magnum.np's mesh");
        var onMagnum = StandardProblem4.Run(1, magnum.Nx, magnum.Ny, threads, gyromagneticRatioMPerAS: magnum.GyromagneticRatioMPerAS);
        checks.Add(new("sp4-magnum.np", $"{magnum.Code}: ⟨m⟩(t), {magnum.Samples.Count} samples over 1 ns", magnum.LargestDeviation(onMagnum.Trajectory).Deviation, 1e-4, "|Δm|"));
        foreach (var mumax3 in (StandardProblem4.Reference[])[StandardProblem4.Reference.Mumax3Field1, StandardProblem4.Reference.Mumax3Field2])
        {
            progress?.Invoke($"µMAG 4 field {mumax3.Field} on mumax3's mesh");
            var run = StandardProblem4.Run(mumax3.Field, mumax3.Nx, mumax3.Ny, threads, gyromagneticRatioMPerAS: mumax3.GyromagneticRatioMPerAS);
            if (mumax3.Field == 1)
            {
                var (x, y, z) = mumax3.Settled!.Value;
                checks.Add(new("sp4-mumax3-settled", $"{mumax3.Code}: the S-state", run.Settled.LargestDifference(x, y, z), 5e-5, "|Δm|"));
            }
            checks.Add(new($"sp4{(mumax3.Field == 1 ? "" : "b")}-mumax3", $"{mumax3.Code}: ⟨m⟩ at 1 ns, field {mumax3.Field} (its kernel differs from Newell's)",
                mumax3.LargestDeviation(run.Trajectory).Deviation, mumax3.Field == 1 ? 1e-2 : 5e-3, "|Δm|"));
        }
        progress?.Invoke("DMI disk");
        var disk = DmiDiskProblem.Run(DmiDiskProblem.Mumax3CellM, threads);
        checks.Add(new("dmi-disk-mumax3", "mumax3: m_z along the disk, 25 cells", disk.Mumax3Deviation!.Value.Mz, 1e-3, "|Δm_z|"));
        checks.Add(new("dmi-disk-radius", "the ODE's m_z = 0 radius, 22.03 nm", Math.Abs(disk.RadiusM - disk.ReferenceRadiusM) * 1e9, 0.1, "nm"));
        progress?.Invoke("DMI chain");
        var chain = DmiChainProblem.Run(threads);
        checks.Add(new("dmi-chain-mumax3", "mumax3: m_z along the chain, 100 cells", chain.Mumax3Deviation, 1e-4, "|Δm_z|"));
        return checks;
    }
}
