namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// One synapse design point: repeat count n, barrier interspace, temperature, material, track and the particle parameter
/// set the skyrmion's physics is read from (<see cref="ParticleParameterSet"/>, tuned by default). Validates
/// (unphysical input is an <see cref="ArgumentException"/>) and derives the integrator's <see cref="ParticleParameters"/>.
/// </summary>
public sealed record DeviceConfiguration
{
    /// <summary>Integration step, s: well inside the Heun stability limit for the stiffest (edge/barrier contact) force.</summary>
    public const double DefaultTimeStepS = 10e-12;

    public int MultilayerRepeats { get; init; } = 4;
    public double InterspaceDskr { get; init; } = 1.5;
    public double TemperatureK { get; init; } = 300;
    public Material Material { get; init; } = new();
    public Track Track { get; init; } = new();
    public double TimeStepS { get; init; } = DefaultTimeStepS;

    /// <summary>Skyrmions in the device; null takes the count of the parameter set's row.</summary>
    public int? SkyrmionCount { get; init; }

    public ParticleParameterSet ParameterSet { get; init; } = ParticleParameterSet.Tuned;

    public SkyrmionParameters Skyrmion => ParameterSet.ForRepeats(MultilayerRepeats);

    public Barrier Barrier => Barrier.ForInterspace(Track, InterspaceDskr, Skyrmion.DiameterM);

    public double MagneticThicknessM => MultilayerRepeats * Material.MagneticLayerThicknessM;

    public DeviceConfiguration Validated()
    {
        if (MultilayerRepeats < 1) throw new ArgumentException($"multilayer repeats n must be ≥ 1 (got {MultilayerRepeats}).");
        if (!(TemperatureK >= 0) || double.IsInfinity(TemperatureK)) throw new ArgumentException($"temperature must be ≥ 0 K (got {TemperatureK}).");
        if (!(TimeStepS > 0)) throw new ArgumentException("time step must be > 0.");
        if (SkyrmionCount is < 1) throw new ArgumentException("skyrmion count must be ≥ 1.");
        Material.Validated();
        Track.Validated();
        // Skyrmion throws for an n the parameter set lacks.
        if (Skyrmion.EdgeAnnihilationDistanceM * 2 >= Track.WidthM)
            throw new ArgumentException($"particle parameters '{ParameterSet.Name}', n = {MultilayerRepeats}: edge_annihilation_distance_m ({Skyrmion.EdgeAnnihilationDistanceM * 1e9:F1} nm) leaves no room on a {Track.WidthM * 1e9:F0} nm track.");
        _ = Barrier; // throws for an interspace that leaves no barrier
        return this;
    }

    public ParticleParameters Parameters(ulong seed)
    {
        Validated();
        SkyrmionParameters sk = Skyrmion;
        Barrier barrier = Barrier;
        double unitCharge = GyroDissipativeTensor.GyroKgPerS(Material.SaturationMagnetizationAPerM, MagneticThicknessM, Material.GyromagneticRatioRadPerST);
        double gyro = sk.TopologicalCharge * unitCharge;
        double dissipation = Material.GilbertDamping * sk.DissipationFactor * unitCharge;
        double tau = Breathing.RelaxationTimeS(sk, Material.GilbertDamping);
        double decay = Math.Exp(-TimeStepS / tau);
        return new ParticleParameters
        {
            Count = SkyrmionCount ?? sk.Count,
            TrackLengthM = Track.LengthM,
            TrackWidthM = Track.WidthM,
            BarrierCenterXM = barrier.CenterXM,
            BarrierCenterYM = barrier.CenterYM,
            BarrierHalfLengthM = barrier.HalfLengthM,
            BarrierHalfWidthM = barrier.HalfWidthM,
            BarrierCornerRadiusM = barrier.CornerRadiusM,
            RadiusM = sk.RadiusM,
            GyroKgPerS = gyro,
            DissipationKgPerS = dissipation,
            DriveNPerAPerM2 = sk.DriveNPerAPerM2,
            RepulsionStrengthN = sk.PairStrengthN,
            RepulsionRangeM = sk.PairRangeM,
            EdgeStrengthN = sk.EdgeStrengthN,
            EdgeRangeM = sk.EdgeRangeM,
            BarrierStrengthN = sk.BarrierStrengthN,
            BarrierRangeM = sk.BarrierRangeM,
            EdgeAnnihilationM = sk.EdgeAnnihilationDistanceM ?? 0,
            ThermalForceSdN = ThermalForce.ForceSdN(TemperatureK, dissipation, TimeStepS),
            BreathingDecay = decay,
            BreathingKickM = Breathing.EquilibriumSdM(sk, TemperatureK) * Math.Sqrt(1 - decay * decay),
            TimeStepS = TimeStepS,
            Seed = seed,
        };
    }
}
