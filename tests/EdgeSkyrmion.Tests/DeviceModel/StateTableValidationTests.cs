using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Runtime;

namespace EdgeSkyrmion.Tests.DeviceModel;

/// <summary>
/// One case per rule of <see cref="StateTable.Validated"/>: a table breaking only that rule is refused with a
/// message naming the offending field, and nothing is loaded or created — parsing returns no table, saving writes
/// no file, provisioning a device with it leaves no state directory.
/// </summary>
public class StateTableValidationTests
{
    private static readonly StateTable Good = Presets.Get(Presets.Default) with
    {
        Drift = new DriftLaw { Source = "test", ReferenceTemperatureK = 300, ActivationEnergyJ = 1e-20, UpActivationEnergyJ = 2e-20, DownRatesPerS = new double[7], UpRatesPerS = new double[7] },
    };

    private static double[] With(double[] values, int index, double value)
    {
        double[] copy = [.. values];
        copy[index] = value;
        return copy;
    }

    private static double[][] WithRow(double[][] rows, int index, double[] row)
    {
        double[][] copy = [.. rows];
        copy[index] = row;
        return copy;
    }

    /// <summary>Expected text naming the field → the defect breaking only that rule.</summary>
    private static readonly Dictionary<string, Func<StateTable, StateTable>> Defects = new()
    {
        ["format version 7"] = t => t with { Version = 7 },
        ["name is missing"] = t => t with { Name = " " },
        ["state_means_g0 needs at least two states"] = t => t with { StateMeansG0 = [1.0], StateSdsG0 = [0.01] },
        ["state_sds_g0 must have one entry per state"] = t => t with { StateSdsG0 = t.StateSdsG0[..^1] },
        ["state_means_g0[2] must be a positive number"] = t => t with { StateMeansG0 = With(t.StateMeansG0, 2, -1) },
        ["state_means_g0 must be strictly ascending"] = t => t with { StateMeansG0 = With(t.StateMeansG0, 3, t.StateMeansG0[2]) },
        ["state_sds_g0[3] must be ≥ 0"] = t => t with { StateSdsG0 = With(t.StateSdsG0, 3, -0.1) },
        ["ltp_step_probabilities must have one row per state"] = t => t with { LtpStepProbabilities = t.LtpStepProbabilities[..^1] },
        ["ltp_step_probabilities[1] must hold probabilities for 0, 1 and 2 steps"] = t => t with { LtpStepProbabilities = WithRow(t.LtpStepProbabilities, 1, [0.5, 0.5]) },
        ["ltp_step_probabilities[1] must be probabilities summing to 1"] = t => t with { LtpStepProbabilities = WithRow(t.LtpStepProbabilities, 1, [0.5, 0.6, 0.1]) },
        ["ltd_step_probabilities must have one row per state"] = t => t with { LtdStepProbabilities = [.. t.LtdStepProbabilities, [1, 0, 0]] },
        ["ltd_step_probabilities[2] must be probabilities summing to 1"] = t => t with { LtdStepProbabilities = WithRow(t.LtdStepProbabilities, 2, [-0.1, 1.1, 0]) },
        ["multilayer_repeats must be ≥ 1"] = t => t with { MultilayerRepeats = 0 },
        ["interspace_dskr must be > 0"] = t => t with { InterspaceDskr = 0 },
        ["temperature_k must be ≥ 0"] = t => t with { TemperatureK = -1 },
        ["g0_siemens must be > 0"] = t => t with { G0Siemens = -1 },
        ["device_to_device_sd_g0 must be ≥ 0"] = t => t with { DeviceToDeviceSdG0 = -0.01 },
        ["pulse_energy_j must be > 0"] = t => t with { PulseEnergyJ = 0 },
        ["read_energy_j must be ≥ 0"] = t => t with { ReadEnergyJ = -1e-15 },
        ["initialization_pulse_energy_j must be ≥ 0"] = t => t with { InitializationPulseEnergyJ = -1e-15 },
        ["pulse_duration_s must be > 0"] = t => t with { PulseDurationS = 0 },
        ["equilibration_time_s must be > 0"] = t => t with { EquilibrationTimeS = -1 },
        ["cold_step_probability must be in [0, 1]"] = t => t with { ColdStepProbability = 1.5 },
        ["initialized_step_probability must be in [0, 1]"] = t => t with { InitializedStepProbability = 2 },
        ["skyrmion_radius_m must be ≥ 0"] = t => t with { SkyrmionRadiusM = -1e-9 },
        ["drift.down_rates_per_s must have one entry per state"] = t => t with { Drift = t.Drift! with { DownRatesPerS = new double[3] } },
        ["drift.up_rates_per_s must be finite and ≥ 0"] = t => t with { Drift = t.Drift! with { UpRatesPerS = With(t.Drift!.UpRatesPerS, 4, -1e-3) } },
        ["drift.reference_temperature_k must be > 0"] = t => t with { Drift = t.Drift! with { ReferenceTemperatureK = 0 } },
        ["drift.activation_energy_j must be finite and ≥ 0"] = t => t with { Drift = t.Drift! with { ActivationEnergyJ = -1e-21 } },
        ["drift.up_activation_energy_j must be finite and ≥ 0"] = t => t with { Drift = t.Drift! with { UpActivationEnergyJ = -1e-21 } },
    };

    public static TheoryData<string> Rules => [.. Defects.Keys];

    [Fact]
    public void TheUndamagedTableIsAccepted()
    {
        Assert.Same(Good, Good.Validated());
        Assert.Equal(Good.StateMeansG0, StateTable.FromJson(Good.ToJson(), "good.json").StateMeansG0);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void ATableBreakingOneRuleIsRefusedNamingTheFieldAndNothingIsLoaded(string named)
    {
        StateTable bad = Defects[named](Good);
        string root = Path.Combine(Path.GetTempPath(), "table-rule-" + Guid.NewGuid().ToString("N"));

        var parsed = Assert.Throws<InvalidDataException>(() => StateTable.FromJson(bad.ToJson(), "bad.json"));
        Assert.Contains(named, parsed.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.json: ", parsed.Message, StringComparison.Ordinal);

        string saved = Path.Combine(root, "table.json");
        Directory.CreateDirectory(root);
        Assert.Contains(named, Assert.Throws<InvalidDataException>(() => bad.Save(saved)).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(saved), "a refused table was written");

        string device = Path.Combine(root, "device");
        Assert.Contains(named, Assert.Throws<InvalidDataException>(() => EdgeDevice.Provision(device, "wrist", bad, chipSeed: 1)).Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(device), "provisioning with a refused table created the state directory");
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void AMissingRequiredFieldIsRefusedNamingTheField()
    {
        string json = Good.ToJson().Replace("\"state_sds_g0\"", "\"renamed\"", StringComparison.Ordinal);
        var e = Assert.Throws<InvalidDataException>(() => StateTable.FromJson(json, "t.json"));
        Assert.StartsWith("t.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("state_sds_g0", e.Message, StringComparison.Ordinal);
    }
}
