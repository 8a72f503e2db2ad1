using System.Globalization;

namespace EdgeSkyrmion.Cloud.Training;

/// <summary>
/// Training for the spiking network the ANN becomes (issue #18, item 4): every hidden ReLU is the QCFS activation
/// (quantization clip-floor-shift, Bu et al. 2022) with <see cref="ActivationSteps"/> steps and a trained clip λ,
/// which an integrate-and-fire neuron with threshold λ, a start potential of λ/2 and constant input reproduces
/// exactly in that many timesteps; every weight is quantized in the forward pass to the signed levels the device
/// pairs hold (straight-through gradient), scaled like the conversion scales it (largest |W| of a layer at the top
/// level over <see cref="WeightSigma"/>), and, while training, carries Gaussian read noise of the preset's measured
/// spread for its level. Built from a preset by <c>Conversion.SpikingAwareLevels</c>.
/// </summary>
public sealed record SpikingAwareOptions
{
    /// <summary>L of QCFS: activation steps between 0 and the clip; the timesteps the converted network is made for.</summary>
    public int ActivationSteps { get; init; } = 4;

    /// <summary>The device preset whose levels the weights are quantized to.</summary>
    public required string Preset { get; init; }

    /// <summary>Signed levels L = 2X+1.</summary>
    public required int Levels { get; init; }

    /// <summary>Magnitude of each positive level, G0, ascending (X of them).</summary>
    public required double[] MagnitudesG0 { get; init; }

    /// <summary>Read spread (one SD, G0) of a pair at each level magnitude, zero first; all zero = no noise injection.</summary>
    public required double[] PairReadSdG0 { get; init; }

    /// <summary>Threshold scale σ of the conversion the quantization mimics (1 = the largest |W| at the top level).</summary>
    public double WeightSigma { get; init; } = 1;

    public double TopG0 => MagnitudesG0[^1];

    public SpikingAwareOptions Validated()
    {
        if (ActivationSteps is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(ActivationSteps), ActivationSteps, "--qcfs-steps must be 1–64.");
        if (!(WeightSigma >= 1 && double.IsFinite(WeightSigma))) throw new ArgumentOutOfRangeException(nameof(WeightSigma), WeightSigma, "--weight-sigma must be a number ≥ 1.");
        if (Levels < 3 || MagnitudesG0.Length != (Levels - 1) / 2 || MagnitudesG0.Any(m => !(m > 0)))
            throw new ArgumentException($"spiking-aware training needs at least 3 signed levels and one positive magnitude per positive level (levels {Levels}, {MagnitudesG0.Length} magnitudes).");
        if (PairReadSdG0.Length != MagnitudesG0.Length + 1 || PairReadSdG0.Any(s => !(s >= 0)))
            throw new ArgumentException("the read spread needs one non-negative SD per level magnitude, zero first.");
        return this;
    }

    /// <summary>What a model file records so conversion reproduces the trained network.</summary>
    public IEnumerable<KeyValuePair<string, string>> Metadata() =>
    [
        new("activation", "qcfs"),
        new("qcfs_steps", ActivationSteps.ToString(CultureInfo.InvariantCulture)),
        new("weight_levels", Levels.ToString(CultureInfo.InvariantCulture)),
        new("weight_preset", Preset),
        new("weight_magnitudes_g0", Join(MagnitudesG0)),
        new("weight_sigma", WeightSigma.ToString("R", CultureInfo.InvariantCulture)),
        new("read_noise_sd_g0", Join(PairReadSdG0)),
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
        try
        {
            return new SpikingAwareOptions
            {
                ActivationSteps = int.Parse(Get("qcfs_steps"), CultureInfo.InvariantCulture),
                Preset = Get("weight_preset"),
                Levels = int.Parse(Get("weight_levels"), CultureInfo.InvariantCulture),
                MagnitudesG0 = Split(Get("weight_magnitudes_g0")),
                PairReadSdG0 = Split(Get("read_noise_sd_g0")),
                WeightSigma = double.Parse(Get("weight_sigma"), CultureInfo.InvariantCulture),
            }.Validated();
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new InvalidDataException($"spiking-aware model: unreadable metadata ({e.Message}).", e);
        }
    }

    private static string Join(double[] values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static double[] Split(string text) => [.. text.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
}
