using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Derivation;

/// <summary>
/// What micromagnetics derived for the particle model, as a versioned file that cites the run that made it
/// (<see cref="Source"/>). Version 1 holds the isolated skyrmion per repeat count (radius, energy, and the Thiele integrals
/// of its static texture); repulsion, barrier and edge profiles and the driven dynamics are listed in
/// <see cref="NotYetDerived"/> until a run derives them.
/// </summary>
public sealed record DerivedParameters(int Version, string Source, double FieldT, double CellM, double BoxM, IReadOnlyList<DerivedParameters.Skyrmion> Skyrmions,
    IReadOnlyList<DerivedParameters.Interaction>? Interactions, DerivedParameters.Drive? CurrentDrive, IReadOnlyList<string> NotYetDerived,
    IReadOnlyList<DerivedParameters.Crossing>? Crossings = null, IReadOnlyList<DerivedParameters.EdgeScan>? EdgeScans = null,
    IReadOnlyList<DerivedParameters.BreathingRun>? Breathings = null)
{
    /// <summary>2 added the barrier-crossing profiles and the repeat count of each interaction profile; 3 the edge-annihilation scans, the
    /// driven skyrmion's repeat count and the thermal breathing runs.</summary>
    public const int CurrentVersion = 3;

    /// <summary>
    /// One repeat count: m_z = 0 radius (mean over layers and per layer), energy above the uniform state, topological charge Q,
    /// dissipation factor 𝒟 (per layer, dimensionless), the Thiele Hall angle they imply at the paper's α, and whether the
    /// minimizer converged.
    /// </summary>
    public sealed record Skyrmion(int MultilayerRepeats, double RadiusNm, IReadOnlyList<double> RadiusByLayerNm, double EnergyAboveUniformJ,
        double TopologicalCharge, double DissipationFactor, double ThieleHallAngleDeg, bool Converged);

    /// <summary>
    /// One interaction profile of n layers: energy against distance (core to edge, to the barrier region, or
    /// between two cores), the force −dE/dd, and the fitted exponential's decay length and amplitude (null when fewer than two
    /// forces are positive: nothing to fit).
    /// </summary>
    public sealed record Interaction(string Kind, IReadOnlyList<double> DistanceNm, IReadOnlyList<double> EnergyJ, IReadOnlyList<double> ForceDistanceNm,
        IReadOnlyList<double> ForcePn, double? DecayLengthNm, double? AmplitudePn, int MultilayerRepeats = 1);

    /// <summary>
    /// The energy across the barrier (<see cref="BarrierCrossing"/>): core position from the barrier's face and its lane (distance
    /// from the edge; null in files measured on the centre line only), E − E_ref, the pinned skyrmion's radius (null where the lane
    /// opened it onto the edge), and ΔE (the energy barrier of thermal crossing: the highest point of the cheapest intact lanes) with where it lies.
    /// </summary>
    public sealed record Crossing(string Path, int MultilayerRepeats, double GapNm, double WidthNm, IReadOnlyList<double> PositionNm, IReadOnlyList<double> EnergyJ,
        IReadOnlyList<double?> RadiusNm, double BarrierJ, double BarrierKbtAt300K, double BarrierPositionNm, bool Converged,
        IReadOnlyList<double>? LaneNm = null, double? BarrierLaneNm = null, IReadOnlyList<bool>? Opened = null);

    /// <summary>
    /// How close to the edge a held core keeps its skyrmion (<see cref="EdgeAnnihilationScan"/>): per distance the energy, the pinned
    /// texture's radius (null where no closed skyrmion is left to measure) and whether its wall opened onto the edge; the annihilation distance (null when the scan did not bracket it).
    /// </summary>
    public sealed record EdgeScan(int MultilayerRepeats, IReadOnlyList<double> DistanceNm, IReadOnlyList<double> EnergyJ, IReadOnlyList<double?> RadiusNm,
        IReadOnlyList<bool> Opened, double? AnnihilationDistanceNm, bool Converged);

    /// <summary>
    /// The isolated skyrmion's breathing at a temperature (<see cref="ThermalBreathing"/>): the mean radius at T, its SD, the
    /// relaxation time from the lag-one autocorrelation (null when the samples do not give one), how many samples, and whether
    /// the skyrmion was lost before the run's end.
    /// </summary>
    public sealed record BreathingRun(int MultilayerRepeats, double TemperatureK, double MeanRadiusNm, double RadiusSdNm, double? RelaxationTimePs, int Samples,
        bool Collapsed);

    /// <summary>The current-driven skyrmion of n layers (files before it: n = 1): mean velocity over the second half of the drive and its angle from +x.</summary>
    public sealed record Drive(double CurrentDensityAPerM2, double VelocityXMPerS, double VelocityYMPerS, double SpeedMPerS, double AngleFromXDeg, int MultilayerRepeats = 1);

    /// <summary>What is not derived yet; what the run measured drops out of it.</summary>
    public static IReadOnlyList<string> Pending(bool interactionsMeasured, bool driveMeasured, bool crossingMeasured = false, bool edgeScanned = false,
        bool breathingMeasured = false) =>
    [
        .. interactionsMeasured
            ? (string[])["interaction profiles for the repeat counts not in this run"]
            : ["skyrmion–skyrmion repulsion against distance", "skyrmion–barrier and skyrmion–edge energy against distance"],
        .. crossingMeasured ? (string[])[] : ["the energy across the barrier (crossing profile)"],
        .. edgeScanned ? (string[])[] : ["the distance from the edge at which a skyrmion is annihilated (edge scan)"],
        driveMeasured ? "current-driven velocity and Hall angle for the repeat counts not in this run" : "current-driven velocity and Hall angle",
        .. breathingMeasured ? (string[])[] : ["breathing stiffness at 300 K"],
    ];

    /// <summary>Reads a derive file (versions 1–3; version 1 lacks the crossings and takes n = 1 for its interaction profiles, 1 and 2 lack the edge scans).</summary>
    public static DerivedParameters Load(string path)
    {
        DerivedParameters? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(File.ReadAllText(path), DerivedParametersJsonContext.Default.DerivedParameters);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{path}: not a derive file ({e.Message}).");
        }
        if (parsed is null || parsed.Version is < 1 or > CurrentVersion) throw new ArgumentException($"{path}: version {parsed?.Version} is not one this build reads (1–{CurrentVersion}).");
        return parsed with { Interactions = parsed.Interactions?.Select(i => i.MultilayerRepeats < 1 ? i with { MultilayerRepeats = 1 } : i).ToList() };
    }

    public string ToJson() => JsonSerializer.Serialize(this, DerivedParametersJsonContext.Default.DerivedParameters);

    /// <summary>Writes the file atomically (a partial file is renamed into place).</summary>
    public void Save(string path)
    {
        string temp = path + ".partial";
        File.WriteAllText(temp, ToJson());
        File.Move(temp, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(DerivedParameters))]
internal sealed partial class DerivedParametersJsonContext : JsonSerializerContext;
