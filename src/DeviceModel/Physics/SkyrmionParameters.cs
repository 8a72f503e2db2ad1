namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// Everything the particle model needs about the skyrmion of one [Pt/Co/Ir]ₙ stack, SI: radius R, |Q| and the dissipation
/// factor 𝒟 of the Thiele tensors, the breathing SD at 300 K, how many skyrmions a device holds, the spin–orbit drive force
/// per unit current density (all driven layers together), and the three interactions: skyrmion–skyrmion A_ss·K₁(r/ξ_ss),
/// edge A_e·exp(−(d − R)/ξ_e), barrier A_b·exp(−(s − R)/ξ_b). <see cref="CrossingBarrierJ"/> is the micromagnetic energy
/// barrier of passing the barrier (null where not measured). <see cref="EdgeAnnihilationDistanceM"/>: the centre-to-edge distance at
/// which micromagnetics loses the skyrmion through the edge (<see cref="EdgeAnnihilation"/>; null: the rigid particle is never
/// lost). <see cref="BreathingRelaxationTimeS"/>: the breathing mode's relaxation time measured at 300 K (null: the
/// assumed 5 GHz mode, <see cref="Breathing.AssumedRelaxationTimeS"/>). A row of a <see cref="ParticleParameterSet"/> file.
/// </summary>
public sealed record SkyrmionParameters(int MultilayerRepeats, double RadiusM, double TopologicalCharge, double DissipationFactor, double BreathingSdM,
    int Count, double DriveNPerAPerM2, double PairStrengthN, double PairRangeM, double EdgeStrengthN, double EdgeRangeM, double BarrierStrengthN,
    double BarrierRangeM, double? CrossingBarrierJ, double? EdgeAnnihilationDistanceM = null, double? BreathingRelaxationTimeS = null)
{
    public double DiameterM => 2 * RadiusM;

    /// <summary>Radial stiffness of the breathing mode, J/m², from the 300 K breathing SD (equipartition).</summary>
    public double BreathingStiffnessJPerM2 => PhysicalConstants.BoltzmannJPerK * 300 / (BreathingSdM * BreathingSdM);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is not a positive finite number.</summary>
    public SkyrmionParameters Validated(string set)
    {
        (string Name, double Value)[] fields =
        [
            ("radius_m", RadiusM), ("topological_charge", TopologicalCharge), ("dissipation_factor", DissipationFactor), ("breathing_sd_m", BreathingSdM),
            ("drive_n_per_a_per_m2", DriveNPerAPerM2), ("pair_strength_n", PairStrengthN), ("pair_range_m", PairRangeM), ("edge_strength_n", EdgeStrengthN),
            ("edge_range_m", EdgeRangeM), ("barrier_strength_n", BarrierStrengthN), ("barrier_range_m", BarrierRangeM),
        ];
        foreach ((string name, double value) in fields)
            if (!(value > 0) || double.IsInfinity(value))
                throw new ArgumentException($"particle parameters '{set}', n = {MultilayerRepeats}: {name} must be a positive number (got {value}).");
        if (MultilayerRepeats < 1) throw new ArgumentException($"particle parameters '{set}': multilayer_repeats must be ≥ 1 (got {MultilayerRepeats}).");
        if (Count < 1) throw new ArgumentException($"particle parameters '{set}', n = {MultilayerRepeats}: count must be ≥ 1 (got {Count}).");
        if (CrossingBarrierJ is double barrier && !(barrier >= 0 && double.IsFinite(barrier)))
            throw new ArgumentException($"particle parameters '{set}', n = {MultilayerRepeats}: crossing_barrier_j must be ≥ 0 (got {barrier}).");
        if (EdgeAnnihilationDistanceM is double annihilation && !(annihilation > 0 && double.IsFinite(annihilation)))
            throw new ArgumentException($"particle parameters '{set}', n = {MultilayerRepeats}: edge_annihilation_distance_m must be a positive number (got {annihilation}).");
        if (BreathingRelaxationTimeS is double tau && !(tau > 0 && double.IsFinite(tau)))
            throw new ArgumentException($"particle parameters '{set}', n = {MultilayerRepeats}: breathing_relaxation_time_s must be a positive number (got {tau}).");
        return this;
    }
}
