using System.Globalization;
using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Cloud.Training;

/// <summary>
/// Training for the spiking network the ANN becomes (issue #18, item 4): every hidden ReLU is the QCFS activation
/// (quantization clip-floor-shift, Bu et al. 2022) with <see cref="ActivationSteps"/> steps and a trained clip λ,
/// which an integrate-and-fire neuron with threshold λ, a start potential of λ/2 and constant input reproduces
/// exactly in that many timesteps; every weight is quantized in the forward pass to the signed levels the device
/// pairs hold (straight-through gradient), scaled like the conversion scales it (largest |W| of a layer at the top
/// level over <see cref="WeightSigma"/>), and, while training, carries Gaussian read noise of the preset's measured
/// spread for its level (device-to-device offset and cycle spread of both devices of the pair).
/// </summary>
public sealed record SpikingAwareOptions
{
    /// <summary>L of QCFS: activation steps between 0 and the clip; the timesteps the converted network is made for.</summary>
    public int ActivationSteps { get; init; } = 4;

    /// <summary>The device levels the weights are quantized to.</summary>
    public required SignedLevels Levels { get; init; }

    /// <summary>Read spread (one SD, G0) of a pair at each level magnitude, zero first; all zero = no noise injection.</summary>
    public required double[] PairReadSdG0 { get; init; }

    /// <summary>Threshold scale σ of the conversion the quantization mimics (1 = the largest |W| at the top level).</summary>
    public double WeightSigma { get; init; } = 1;

    /// <summary>The levels and read spread of <paramref name="levels"/> signed levels on <paramref name="table"/>'s states.</summary>
    public static SpikingAwareOptions ForPreset(StateTable table, int levels, int activationSteps, double weightSigma, bool readNoise)
    {
        SignedLevels signed = SignedLevels.FromPreset(table, levels);
        double Device(int state) => Math.Sqrt(Math.Pow(table.StateSdsG0[state], 2) +
            Math.Pow(table.DeviceToDeviceSdG0 * (table.StateMeansG0[state] - table.StateMeansG0[0]) / table.RangeG0, 2));
        // A level is one device at sₖ and its partner at the background; zero is both at the background.
        double[] sd = [Math.Sqrt(2) * Device(0), .. signed.LevelStates.Select(s => Math.Sqrt(Device(s) * Device(s) + Device(0) * Device(0)))];
        return new SpikingAwareOptions
        {
            ActivationSteps = activationSteps,
            Levels = signed,
            PairReadSdG0 = readNoise ? sd : new double[sd.Length],
            WeightSigma = weightSigma,
        }.Validated();
    }

    public SpikingAwareOptions Validated()
    {
        if (ActivationSteps is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(ActivationSteps), ActivationSteps, "--qcfs-steps must be 1–64.");
        if (!(WeightSigma >= 1 && double.IsFinite(WeightSigma))) throw new ArgumentOutOfRangeException(nameof(WeightSigma), WeightSigma, "--weight-sigma must be a number ≥ 1.");
        if (Levels.Levels < 3) throw new ArgumentException("spiking-aware training needs at least 3 signed levels.");
        if (PairReadSdG0.Length != Levels.MagnitudesG0.Length + 1 || PairReadSdG0.Any(s => !(s >= 0)))
            throw new ArgumentException("the read spread needs one non-negative SD per level magnitude, zero first.");
        return this;
    }

    /// <summary>What a model file records so conversion reproduces the trained network.</summary>
    public IEnumerable<KeyValuePair<string, string>> Metadata() =>
    [
        new("activation", "qcfs"),
        new("qcfs_steps", ActivationSteps.ToString(CultureInfo.InvariantCulture)),
        new("weight_levels", Levels.Levels.ToString(CultureInfo.InvariantCulture)),
        new("weight_preset", Levels.PresetName),
        new("weight_sigma", WeightSigma.ToString("R", CultureInfo.InvariantCulture)),
        new("read_noise_sd_g0", string.Join(",", PairReadSdG0.Select(s => s.ToString("R", CultureInfo.InvariantCulture)))),
    ];

    /// <summary>The clip λ of every layer of a spiking-aware model file (hidden layers trained, output measured).</summary>
    public static double[] Clips(ModelFile model)
    {
        int layers = model.LayerWeights().Count;
        return [.. Enumerable.Range(0, layers).Select(l =>
            model.Tensors.FirstOrDefault(t => t.Name == $"layer{l}.clip") is { Data.Length: 1 } clip && clip.Data[0] > 0
                ? clip.Data[0]
                : throw new InvalidDataException($"spiking-aware model: tensor layer{l}.clip (one positive value) missing."))];
    }

    /// <summary>The options a spiking-aware model file was trained with; null for a ReLU model.</summary>
    public static SpikingAwareOptions? Of(ModelFile model)
    {
        if (!model.Metadata.TryGetValue("activation", out string? activation) || activation != "qcfs") return null;
        string Get(string key) => model.Metadata.TryGetValue(key, out string? v) ? v : throw new InvalidDataException($"spiking-aware model: metadata {key} missing.");
        var table = Presets.Get(Get("weight_preset"));
        return new SpikingAwareOptions
        {
            ActivationSteps = int.Parse(Get("qcfs_steps"), CultureInfo.InvariantCulture),
            Levels = SignedLevels.FromPreset(table, int.Parse(Get("weight_levels"), CultureInfo.InvariantCulture)),
            PairReadSdG0 = [.. Get("read_noise_sd_g0").Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture))],
            WeightSigma = double.Parse(Get("weight_sigma"), CultureInfo.InvariantCulture),
        }.Validated();
    }
}
