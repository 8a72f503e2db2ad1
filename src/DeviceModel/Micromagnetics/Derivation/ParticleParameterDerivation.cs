using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

/// <summary>
/// Turns what micromagnetics measured (<see cref="DerivedParameters"/> files) into the particle model's inputs, a
/// <see cref="ParticleParameterSet"/> named "derived". Per repeat count n of the isolated-skyrmion runs:
/// <list type="bullet">
/// <item>R, |Q| and 𝒟 of the relaxed texture, as measured.</item>
/// <item>Drive: the thin-wall Thiele force ħθ_SH·J·π²R/(2e) per driven layer (<see cref="SpinOrbitDrive"/>) times κ, the ratio
/// of the force the driven micromagnetic skyrmion felt — |v|·√(G² + (α𝔇)²) by the Thiele equation with its own G and 𝔇 — to
/// that formula at the static R (so κ also carries the growth of R under the current). κ from the drive run of this n, else
/// from the nearest n driven.</item>
/// <item>Edge and barrier: A·exp(−(d − R)/ξ) fitted to −dE/dd of the pinned-core profiles (points with a positive force); the
/// pair: A·K₁(r/ξ) fitted the same way (ξ scanned, A by least squares in ln F). A profile measured at this n is used as is; else
/// (or when it has fewer than two positive forces, or they do not fall with distance) the nearest measured n′'s, its amplitude at contact (d − R′ = 0, R′ its own skyrmion's radius) scaled by n/n′ (energies ∝
/// magnetic thickness; the decay length kept).</item>
/// <item>Crossing barrier ΔE: the lowest measured maximum of the crossing profiles at this n (null where none was run).</item>
/// <item>Edge-annihilation distance: the edge scan's at this n (the first file's); else the nearest scanned n′'s, as it is (the
/// scans of n = 1, 2, 4, 6, 8 all put it at 15–15.5 nm whatever the skyrmion's free radius: pressed against the edge, each shrinks
/// to 8–9 nm before its wall opens); null (no annihilation) when no file has an edge scan.</item>
/// <item>Breathing SD at 300 K: a thermal run's at this n (scaled to 300 K by equipartition, SD ∝ √T), else the nearest run's
/// × √(n′/n) (the breathing stiffness taken ∝ magnetic thickness), else the tuned set's (said in the citations).</item>
/// <item>Breathing relaxation time: the nearest thermal run's (lag-one autocorrelation of R(t)), in place of the assumed
/// 5 GHz mode; none without runs.</item>
/// <item>Skyrmion count: not derived; the tuned set's.</item>
/// </list>
/// The drive's torque divides by the FM layer's thickness (the paper's Eq. 4); with <see cref="SpinOrbitFreeLayer.Mesh"/> by the
/// stack's 3n nm instead, as mumax3 does where FreeLayerThickness is unset: the set "derived-mesh-sot", every drive × 1/(3n).
/// </summary>
public static class ParticleParameterDerivation
{
    public sealed record DriveCalibration(int MultilayerRepeats, double ForceN, double ThinWallForceN, double Factor);

    public static ParticleParameterSet Assemble(IReadOnlyList<DerivedParameters> files, IReadOnlyList<string> fileNames, ParticleParameterSet tuned, out IReadOnlyList<DriveCalibration> drives,
        SpinOrbitFreeLayer freeLayer = SpinOrbitFreeLayer.MagneticLayer)
    {
        var paper = new Material();
        List<DerivedParameters.Skyrmion> isolated = [.. files.SelectMany(f => f.Skyrmions).GroupBy(s => s.MultilayerRepeats)
            .Select(g => g.First()).OrderBy(s => s.MultilayerRepeats)];
        List<DerivedParameters> driveFiles = [.. files.Where(f => f.CurrentDrive is not null)];
        if (driveFiles.Count == 0) throw new ArgumentException("particle parameters: no file has a current-driven run (device derive --drive-ma-cm2).");
        List<DerivedParameters.Interaction> interactions = [.. files.SelectMany(f => f.Interactions ?? [])];
        List<DerivedParameters.Crossing> crossings = [.. files.SelectMany(f => f.Crossings ?? [])];
        List<DerivedParameters.BreathingRun> breathings = [.. files.SelectMany(f => f.Breathings ?? []).Where(b => !b.Collapsed)];
        List<DerivedParameters.EdgeScan> edgeScans = [.. files.SelectMany(f => f.EdgeScans ?? []).Where(e => e.AnnihilationDistanceNm is not null)];
        foreach (string kind in (string[])["edge", "barrier", "pair"])
            if (!interactions.Any(i => i.Kind == kind)) throw new ArgumentException($"particle parameters: no file has a {kind} interaction profile (device derive --interactions).");
        List<DriveCalibration> calibrations = [.. driveFiles.Select(f => Calibrate(f, paper)).GroupBy(c => c.MultilayerRepeats).Select(g => g.First()).OrderBy(c => c.MultilayerRepeats)];
        drives = calibrations;
        bool mesh = freeLayer == SpinOrbitFreeLayer.Mesh;
        string name = mesh ? "derived-mesh-sot" : "derived";
        var rows = new List<SkyrmionParameters>();
        foreach (DerivedParameters.Skyrmion s in isolated)
        {
            int n = s.MultilayerRepeats;
            double r = s.RadiusNm * 1e-9;
            SkyrmionParameters fallback = tuned.ForRepeats(n);
            double kappa = calibrations.MinBy(c => Math.Abs(c.MultilayerRepeats - n))!.Factor;
            (double edgeA, double edgeXi) = Exponential(Profile(interactions, "edge", n), RadiusOf(isolated, n, interactions, "edge"), n);
            (double barrierA, double barrierXi) = Exponential(Profile(interactions, "barrier", n), RadiusOf(isolated, n, interactions, "barrier"), n);
            (double pairA, double pairXi) = Bessel(Profile(interactions, "pair", n), n);
            double? crossing = crossings.Where(c => c.MultilayerRepeats == n).Select(c => (double?)c.BarrierJ).Min();
            double? annihilation = EdgeAnnihilationDistance(edgeScans, n);
            rows.Add(new SkyrmionParameters(n, r, Math.Abs(s.TopologicalCharge), s.DissipationFactor, BreathingSdAt300K(breathings, n) ?? fallback.BreathingSdM, fallback.Count,
                SpinOrbitDrive.DrivenLayers(n) * kappa * SpinOrbitDrive.ThinWallForcePerLayer(paper.SpinHallAngle, r) * freeLayer.DriveScale(paper, n),
                pairA, pairXi, edgeA, edgeXi, barrierA, barrierXi, crossing, annihilation, BreathingRelaxationTime(breathings, n)).Validated(name));
        }
        string measuredProfiles = string.Join(", ", interactions.Select(i => $"{i.Kind} n = {i.MultilayerRepeats}"));
        return new ParticleParameterSet(ParticleParameterSet.CurrentVersion, name,
            $"edgeskyrmion device derive --from {string.Join(' ', fileNames)}{(mesh ? " --sot-free-layer mesh" : "")} (micromagnetics of the [Pt/Co/Ir]n stack, {DateTime.UtcNow:yyyy-MM-dd})",
            [
                .. files.Select(f => f.Source),
                .. calibrations.Select(c => FormattableString.Invariant($"drive factor κ = {c.Factor:F3} from the n = {c.MultilayerRepeats} driven skyrmion ({c.ForceN * 1e12:F2} pN against the thin-wall {c.ThinWallForceN * 1e12:F2} pN)")),
                $"each n takes κ of the nearest driven n ({string.Join(", ", calibrations.Select(c => c.MultilayerRepeats))})",
                mesh ? "spin–orbit torque over the mesh's whole thickness, 3n nm (mumax3 with FreeLayerThickness unset), not the 1 nm Co layer of the paper's Eq. 4: every drive × 1/(3n)"
                    : "spin–orbit torque over the 1 nm Co layer (the paper's Eq. 4)",
                $"interaction profiles measured: {measuredProfiles}; other n (and any n whose profile has fewer than two positive forces, or forces that do not fall with distance) scale the nearest fittable amplitude by n/n′ and keep its decay length",
                edgeScans.Count == 0 ? "edge annihilation: not measured (no edge scan; skyrmions are never lost at an edge)"
                    : $"edge annihilation measured: {string.Join(", ", edgeScans.Select(e => FormattableString.Invariant($"n = {e.MultilayerRepeats} at {e.AnnihilationDistanceNm:F1} nm")))}; other n keep the nearest scanned n′'s d_ann (it does not grow with R)",
                breathings.Count == 0 ? "breathing SD: the tuned set's (not derived)"
                    : $"breathing SD measured: {string.Join(", ", breathings.Select(b => FormattableString.Invariant($"n = {b.MultilayerRepeats} {b.RadiusSdNm:F2} nm at {b.TemperatureK:0.#} K")))}; other n scale the nearest by √(n′/n); the relaxation time of the nearest run replaces the assumed 5 GHz mode",
                "skyrmion count: the tuned set's (not derived)",
            ],
            rows);
    }

    /// <summary>κ: the Thiele force on the driven skyrmion over the thin-wall force at its static radius.</summary>
    public static DriveCalibration Calibrate(DerivedParameters driveFile, Material paper)
    {
        DerivedParameters.Drive d = driveFile.CurrentDrive!;
        DerivedParameters.Skyrmion s = driveFile.Skyrmions.FirstOrDefault(k => k.MultilayerRepeats == d.MultilayerRepeats)
            ?? throw new ArgumentException($"particle parameters: the drive file has no isolated skyrmion of n = {d.MultilayerRepeats}.");
        double unit = GyroDissipativeTensor.GyroKgPerS(paper.SaturationMagnetizationAPerM, s.MultilayerRepeats * paper.MagneticLayerThicknessM, paper.GyromagneticRatioRadPerST);
        double g = Math.Abs(s.TopologicalCharge) * unit, dissipation = paper.GilbertDamping * s.DissipationFactor * unit;
        double force = d.SpeedMPerS * Math.Sqrt(g * g + dissipation * dissipation);
        double thinWall = SpinOrbitDrive.DrivenLayers(s.MultilayerRepeats) * SpinOrbitDrive.ThinWallForcePerLayer(paper.SpinHallAngle, s.RadiusNm * 1e-9) * d.CurrentDensityAPerM2;
        return new DriveCalibration(s.MultilayerRepeats, force, thinWall, force / thinWall);
    }

    /// <summary>The 300 K breathing SD for n, m, from the nearest thermal run; null without runs.</summary>
    private static double? BreathingSdAt300K(List<DerivedParameters.BreathingRun> runs, int n)
    {
        DerivedParameters.BreathingRun? nearest = runs.MinBy(b => Math.Abs(b.MultilayerRepeats - n));
        if (nearest is null) return null;
        return nearest.RadiusSdNm * 1e-9 * Math.Sqrt(300 / nearest.TemperatureK) * Math.Sqrt((double)nearest.MultilayerRepeats / n);
    }

    /// <summary>The breathing relaxation time for n, s: the nearest thermal run's (measured 180–210 ps at n = 1 and 4); null without runs.</summary>
    private static double? BreathingRelaxationTime(List<DerivedParameters.BreathingRun> runs, int n) =>
        runs.Where(b => b.RelaxationTimePs is not null).MinBy(b => Math.Abs(b.MultilayerRepeats - n))?.RelaxationTimePs * 1e-12;

    /// <summary>d_ann for n, m: its own scan's, or the nearest scanned n′'s; null without scans.</summary>
    private static double? EdgeAnnihilationDistance(List<DerivedParameters.EdgeScan> scans, int n) =>
        scans.MinBy(e => Math.Abs(e.MultilayerRepeats - n))?.AnnihilationDistanceNm * 1e-9;

    private static (DerivedParameters.Interaction Profile, double Scale) Profile(List<DerivedParameters.Interaction> all, string kind, int n)
    {
        // A profile with fewer than two positive forces (e.g. one pulled negative by the film's far edge), or whose positive forces
        // do not fall with distance (a coarse profile of a deformed pair), has no decay to fit: the next nearest serves.
        DerivedParameters.Interaction nearest = all.Where(i => i.Kind == kind && InteractionProfiles.FitExponential(Forces(i)).DecayLengthM > 0).MinBy(i => Math.Abs(i.MultilayerRepeats - n))
            ?? throw new ArgumentException($"particle parameters: no {kind} profile has positive forces that fall with distance to fit.");
        return (nearest, (double)n / nearest.MultilayerRepeats);
    }

    /// <summary>The radius of the skyrmion a borrowed profile was measured with: its wall-to-boundary distance d − R is what carries over.</summary>
    private static double RadiusOf(List<DerivedParameters.Skyrmion> isolated, int n, List<DerivedParameters.Interaction> all, string kind)
    {
        int measured = Profile(all, kind, n).Profile.MultilayerRepeats;
        return (isolated.FirstOrDefault(s => s.MultilayerRepeats == measured) ?? isolated.First(s => s.MultilayerRepeats == n)).RadiusNm * 1e-9;
    }

    private static List<(double DistanceM, double ForceN)> Forces(DerivedParameters.Interaction i) =>
        [.. i.ForceDistanceNm.Zip(i.ForcePn, (d, f) => (d * 1e-9, f * 1e-12))];

    /// <summary>A and ξ of A·exp(−(d − R)/ξ): the fit's amplitude at its first positive distance d₀ carried to d = R of the profile's own skyrmion.</summary>
    private static (double AmplitudeN, double DecayM) Exponential((DerivedParameters.Interaction Profile, double Scale) p, double radiusM, int n)
    {
        List<(double DistanceM, double ForceN)> forces = Forces(p.Profile);
        (double decay, double amplitude) = InteractionProfiles.FitExponential(forces);
        if (!double.IsFinite(decay) || !(decay > 0))
            throw new ArgumentException($"particle parameters: the {p.Profile.Kind} profile (n = {p.Profile.MultilayerRepeats}) has too few positive forces to fit, for n = {n}.");
        double d0 = forces.First(f => f.ForceN > 0).DistanceM;
        return (p.Scale * amplitude * Math.Exp((d0 - radiusM) / decay), decay);
    }

    /// <summary>A and ξ of A·K₁(r/ξ): ξ scanned from 1 to 60 nm in 0.05 nm, A by least squares in ln F, the best ξ kept.</summary>
    public static (double AmplitudeN, double RangeM) Bessel((DerivedParameters.Interaction Profile, double Scale) p, int n)
    {
        List<(double DistanceM, double ForceN)> positive = [.. Forces(p.Profile).Where(f => f.ForceN > 0)];
        if (positive.Count < 2) throw new ArgumentException($"particle parameters: the pair profile (n = {p.Profile.MultilayerRepeats}) has too few positive forces to fit, for n = {n}.");
        (double residual, double amplitude, double range) best = (double.PositiveInfinity, 0, 0);
        for (double xi = 1e-9; xi <= 60e-9; xi += 0.05e-9)
        {
            double lnA = positive.Average(f => Math.Log(f.ForceN) - Math.Log(BesselK1.Evaluate(f.DistanceM / xi)));
            double residual = positive.Sum(f => Math.Pow(Math.Log(f.ForceN) - lnA - Math.Log(BesselK1.Evaluate(f.DistanceM / xi)), 2));
            if (residual < best.residual) best = (residual, Math.Exp(lnA), xi);
        }
        return (p.Scale * best.amplitude, best.range);
    }
}
