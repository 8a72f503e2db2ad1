using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeSkyrmion.DeviceModel.Compact;

/// <summary>
/// The compact model of one skyrmionic synapse preset: what the crossbar needs to program and read a device
/// without simulating skyrmions. Conductances are in units of G0 (the MTJ conductance with no skyrmion in the
/// read area); every other quantity is SI. Produced by `device characterize` from the particle model, saved as
/// versioned JSON (<see cref="FormatVersion"/>), shipped as presets in DeviceModel/Presets.
/// </summary>
public sealed record StateTable
{
    public const int FormatVersion = 1;

    /// <summary>File format version; a file of another version is refused.</summary>
    public int Version { get; init; } = FormatVersion;

    /// <summary>Preset name, e.g. "mml4-300K".</summary>
    public required string Name { get; init; }

    /// <summary>Where the numbers come from: the paper's figure, or the characterize run (command, seed, devices).</summary>
    public required string Source { get; init; }

    /// <summary>Multilayer repeat count n of [Pt/Co/Ir]ₙ.</summary>
    public required int MultilayerRepeats { get; init; }

    /// <summary>Barrier-to-edge interspace in units of the skyrmion diameter D_skr.</summary>
    public required double InterspaceDskr { get; init; }

    public required double TemperatureK { get; init; }

    /// <summary>MTJ conductance with no skyrmion under the read area, siemens (paper: 20 μS).</summary>
    public required double G0Siemens { get; init; }

    /// <summary>Mean conductance of each distinguishable state, ascending, in units of G0. State 0 is the lowest.</summary>
    public required double[] StateMeansG0 { get; init; }

    /// <summary>Cycle-to-cycle read spread (one SD) of each state, in units of G0.</summary>
    public required double[] StateSdsG0 { get; init; }

    /// <summary>
    /// Device-to-device spread of the state means (one SD), in units of G0; drawn once per device and scaled by each
    /// state's skyrmion coverage when read (see <see cref="CompactSynapse.ReadG0"/>).
    /// </summary>
    public required double DeviceToDeviceSdG0 { get; init; }

    /// <summary>
    /// LtpStepProbabilities[s][k]: probability that one LTP pulse moves a device in state s up by k states
    /// (k = 0, 1, 2); each row sums to 1. Moves are clipped at the top state.
    /// </summary>
    public required double[][] LtpStepProbabilities { get; init; }

    /// <summary>LtdStepProbabilities[s][k]: as <see cref="LtpStepProbabilities"/>, moving down by k states.</summary>
    public required double[][] LtdStepProbabilities { get; init; }

    /// <summary>Energy of one programming pulse, joules (paper Eq. 3, ≈ 300 fJ for n = 4).</summary>
    public required double PulseEnergyJ { get; init; }

    /// <summary>Energy of one MTJ read, joules (see the read-energy model in DeviceModel/Energy).</summary>
    public required double ReadEnergyJ { get; init; }

    /// <summary>Duration of one programming pulse, seconds (paper: 2 ns).</summary>
    public required double PulseDurationS { get; init; }

    /// <summary>Idle time after which the skyrmions have equilibrated and programming stalls until the initialization pulse, seconds.</summary>
    public required double EquilibrationTimeS { get; init; }

    /// <summary>Probability that a pulse moves an equilibrated ("cold") device at all, before the initialization pulse.</summary>
    public required double ColdStepProbability { get; init; }

    /// <summary>Energy of the initialization pulse (25 ns, 5 MA/cm²), joules.</summary>
    public required double InitializationPulseEnergyJ { get; init; }

    /// <summary>Nominal skyrmion radius of the preset, m (0 where the table predates the particle model).</summary>
    public double SkyrmionRadiusM { get; init; }

    /// <summary>Probability that the first pulse after the initialization pulse moves an equilibrated device (null where not measured).</summary>
    public double? InitializedStepProbability { get; init; }

    /// <summary>How held states drift over idle hours (null where no retention run has been fitted; then nothing drifts).</summary>
    public DriftLaw? Drift { get; init; }

    [JsonIgnore]
    public int States => StateMeansG0.Length;

    [JsonIgnore]
    public double RangeG0 => StateMeansG0[^1] - StateMeansG0[0];

    /// <summary>Checks every field; a defect is an <see cref="InvalidDataException"/> naming the field.</summary>
    public StateTable Validated(string source = "state table")
    {
        if (Version != FormatVersion)
            throw new InvalidDataException($"{source}: format version {Version}, this build reads version {FormatVersion}.");
        Require(!string.IsNullOrWhiteSpace(Name), source, "name is missing");
        Require(StateMeansG0 is { Length: >= 2 }, source, "state_means_g0 needs at least two states");
        Require(StateSdsG0 is not null && StateSdsG0.Length == StateMeansG0!.Length, source, "state_sds_g0 must have one entry per state");
        for (int s = 0; s < StateMeansG0!.Length; s++)
        {
            Require(double.IsFinite(StateMeansG0[s]) && StateMeansG0[s] > 0, source, $"state_means_g0[{s}] must be a positive number");
            Require(s == 0 || StateMeansG0[s] > StateMeansG0[s - 1], source, "state_means_g0 must be strictly ascending");
            Require(double.IsFinite(StateSdsG0![s]) && StateSdsG0[s] >= 0, source, $"state_sds_g0[{s}] must be ≥ 0");
        }
        CheckSteps(LtpStepProbabilities, "ltp_step_probabilities", source);
        CheckSteps(LtdStepProbabilities, "ltd_step_probabilities", source);
        Require(MultilayerRepeats >= 1, source, "multilayer_repeats must be ≥ 1");
        Require(InterspaceDskr > 0, source, "interspace_dskr must be > 0");
        Require(TemperatureK >= 0, source, "temperature_k must be ≥ 0");
        Require(G0Siemens > 0, source, "g0_siemens must be > 0");
        Require(DeviceToDeviceSdG0 >= 0, source, "device_to_device_sd_g0 must be ≥ 0");
        Require(PulseEnergyJ > 0, source, "pulse_energy_j must be > 0");
        Require(ReadEnergyJ >= 0, source, "read_energy_j must be ≥ 0");
        Require(InitializationPulseEnergyJ >= 0, source, "initialization_pulse_energy_j must be ≥ 0");
        Require(PulseDurationS > 0, source, "pulse_duration_s must be > 0");
        Require(EquilibrationTimeS > 0, source, "equilibration_time_s must be > 0");
        Require(ColdStepProbability is >= 0 and <= 1, source, "cold_step_probability must be in [0, 1]");
        Require(InitializedStepProbability is null or (>= 0 and <= 1), source, "initialized_step_probability must be in [0, 1]");
        Require(SkyrmionRadiusM >= 0, source, "skyrmion_radius_m must be ≥ 0");
        Drift?.Validate(StateMeansG0.Length, source);
        return this;
    }

    private void CheckSteps(double[][]? rows, string field, string source)
    {
        Require(rows is not null && rows.Length == StateMeansG0.Length, source, $"{field} must have one row per state");
        for (int s = 0; s < rows!.Length; s++)
        {
            Require(rows[s] is { Length: 3 }, source, $"{field}[{s}] must hold probabilities for 0, 1 and 2 steps");
            Require(rows[s].All(p => p is >= 0 and <= 1) && Math.Abs(rows[s].Sum() - 1) < 1e-6, source, $"{field}[{s}] must be probabilities summing to 1");
        }
    }

    private static void Require(bool condition, string source, string message)
    {
        if (!condition) throw new InvalidDataException($"{source}: {message}.");
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        TypeInfoResolver = StateTableJsonContext.Default,
    };

    public string ToJson() => JsonSerializer.Serialize(this, StateTableJsonContext.Default.StateTable);

    public static StateTable FromJson(string json, string source)
    {
        try
        {
            StateTable table = JsonSerializer.Deserialize(json, StateTableJsonContext.Default.StateTable)
                ?? throw new InvalidDataException($"{source}: empty state table.");
            return table.Validated(source);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a valid state table ({e.Message}).", e);
        }
    }

    public static StateTable Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"state table {path} does not exist.", path);
        return FromJson(File.ReadAllText(path), path);
    }

    public void Save(string path)
    {
        Validated(path);
        string temp = path + ".partial";
        File.WriteAllText(temp, ToJson());
        File.Move(temp, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(StateTable))]
internal sealed partial class StateTableJsonContext : JsonSerializerContext;
