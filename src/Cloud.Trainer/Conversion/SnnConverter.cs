using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>
/// ANN → SNN conversion (paper App. B): data-normalized weights W̃ (threshold 1), quantized onto the signed levels
/// of a device pair (W⁺, W⁻), with the paper's threshold scale σ.
///
/// Direct conversion maps each layer's largest |W̃ₗ| onto the top level: the weights become the pairs nearest to
/// σₗ·W̃ₗ in G0 with σₗ = top level / max|W̃ₗ|, and the layer's threshold becomes σₗ, so the effective network is
/// still W̃ against 1 but for the quantization. Most weights are far smaller than the largest (the paper: ANN
/// weights mostly within ±0.1 against a device range of ±0.6, σ = 6), so direct conversion leaves most of them on
/// the few lowest levels. The σ-scaled conversion multiplies every layer's scale by σ ≥ 1: σ·σₗ·W̃ₗ, threshold
/// σ·σₗ. The level spacing in W̃ units shrinks by σ and the weights beyond max|W̃ₗ|/σ clip at the top level; the
/// scan (<see cref="SigmaScan"/>) picks the balance. The image records σ (1 = direct conversion).
/// Full precision (L = ∞, levels 0 in the image) stores W̃ as floats with threshold 1.
/// A spiking-aware model (QCFS, <see cref="SpikingAwareOptions"/>) converts with its trained clips as λ and its
/// training σ, so the levels are the ones it was trained on and each threshold is its clip; its image takes the
/// pixels as constant currents and starts every neuron at half its threshold (the QCFS shift).
/// </summary>
public sealed class SnnConverter
{
    private readonly ModelFile _model;
    private readonly float[][] _normalized;
    private readonly int[] _sizes;

    public IReadOnlyList<double> NormalizationFactors { get; }
    public NormalizationKind Normalization { get; }
    public SnnTiming Timing { get; }
    public InputEncoding Encoding { get; }

    /// <summary>Start potential of every neuron, fraction of its threshold.</summary>
    public float InitialPotential { get; }

    public SnnConverter(ModelFile model, IReadOnlyList<double> normalizationFactors, NormalizationKind normalization, SnnTiming? timing = null,
        InputEncoding encoding = InputEncoding.Poisson, float initialPotential = 0)
    {
        IReadOnlyList<ModelFile.Tensor> weights = model.LayerWeights();
        if (normalizationFactors.Count != weights.Count)
            throw new ArgumentException($"{normalizationFactors.Count} normalization factors for {weights.Count} layers.");
        _model = model;
        _sizes = [weights[0].Columns, .. weights.Select(w => w.Rows)];
        _normalized = ActivationNormalization.NormalizedWeights(model, normalizationFactors);
        NormalizationFactors = normalizationFactors;
        Normalization = normalization;
        Timing = timing ?? SnnTiming.Paper;
        Encoding = encoding;
        InitialPotential = initialPotential;
    }

    /// <summary>The converter of a spiking-aware model: its trained clips as λ, constant-current input, QCFS start potential.</summary>
    public static SnnConverter ForSpikingAware(ModelFile model, SnnTiming? timing = null) =>
        new(model, SpikingAwareOptions.Clips(model), NormalizationKind.TrainedClip, timing, InputEncoding.ConstantCurrent, (float)QcfsActivation.Shift);

    /// <summary>The image of a spiking-aware model at the levels and σ it was trained with.</summary>
    public static ModelImage SpikingAwareImage(ModelFile model, SpikingAwareOptions options, int timesteps, SnnTiming? timing = null) =>
        ForSpikingAware(model, timing).Quantized(SignedLevels.FromPreset(Presets.Get(options.Preset), options.Levels), options.WeightSigma, timesteps);

    public IReadOnlyList<int> Sizes => _sizes;

    /// <summary>Largest |W̃| of each layer.</summary>
    public double[] MaxAbsWeights() => [.. _normalized.Select(w => (double)w.Max(MathF.Abs))];

    /// <summary>σ of the direct conversion of each layer: the top level over that layer's largest |W̃|.</summary>
    public double[] DirectSigmas(SignedLevels levels) => [.. MaxAbsWeights().Select(m => levels.TopG0 / m)];

    /// <summary>The full-precision SNN (L = ∞).</summary>
    public ModelImage FullPrecision(int timesteps)
    {
        ModelImage image = Header(ModelImageFile.FullPrecision, "", [], sigma: 1, timesteps);
        for (int l = 0; l < _normalized.Length; l++)
        {
            Layer layer = NewLayer(l, threshold: 1, weightPerG0: 1);
            layer.SignedWeights.AddRange(_normalized[l]);
            image.Layers.Add(layer);
        }
        return ModelImageFile.Validate(image);
    }

    /// <summary>Quantized onto <paramref name="levels"/> with threshold scale <paramref name="sigma"/> (1 = direct conversion).</summary>
    public ModelImage Quantized(SignedLevels levels, double sigma, int timesteps)
    {
        if (!(sigma > 0 && double.IsFinite(sigma))) throw new ArgumentException($"--sigma {sigma}: σ must be a positive number.");
        double[] sigmas = [.. DirectSigmas(levels).Select(d => sigma * d)];
        ModelImage image = Header((uint)levels.Levels, levels.PresetName, levels.StateMeansG0, sigma, timesteps);
        for (int l = 0; l < _normalized.Length; l++)
        {
            float[] w = _normalized[l];
            var plus = new byte[w.Length];
            var minus = new byte[w.Length];
            double scale = double.IsFinite(sigmas[l]) ? sigmas[l] : 0;
            for (int k = 0; k < w.Length; k++) (plus[k], minus[k]) = levels.Encode(w[k] * scale);
            // A layer whose weights all quantize to zero (L = 1) still needs a positive threshold.
            Layer layer = NewLayer(l, threshold: (float)(scale > 0 ? scale : 1), weightPerG0: 1);
            layer.PlusStates = ByteString.CopyFrom(plus);
            layer.MinusStates = ByteString.CopyFrom(minus);
            image.Layers.Add(layer);
        }
        return ModelImageFile.Validate(image);
    }

    private ModelImage Header(uint levels, string preset, double[] stateMeans, double sigma, int timesteps)
    {
        _model.Metadata.TryGetValue("test_accuracy", out string? accuracy);
        var image = new ModelImage
        {
            SchemaVersion = ModelImageFile.SchemaVersion,
            ModelId = _model.Metadata.TryGetValue("architecture", out string? arch) ? $"mlp-{arch}" : "mlp",
            Version = 1,
            PresetName = preset,
            Levels = levels,
            Sigma = sigma,
            TimestepS = Timing.TimestepS,
            MembraneTimeConstantS = Timing.MembraneTimeConstantS,
            MaxInputRateHz = Timing.MaxInputRateHz,
            Timesteps = (uint)timesteps,
            Normalization = ActivationNormalization.Name(Normalization),
            AnnTestAccuracy = double.TryParse(accuracy, System.Globalization.CultureInfo.InvariantCulture, out double a) ? a : 0,
            InputEncoding = Encoding,
        };
        image.StateMeansG0.AddRange(stateMeans);
        return image;
    }

    private Layer NewLayer(int l, float threshold, float weightPerG0) => new()
    {
        Inputs = (uint)_sizes[l],
        Outputs = (uint)_sizes[l + 1],
        Threshold = threshold,
        WeightPerG0 = weightPerG0,
        NormalizationFactor = (float)NormalizationFactors[l],
        InitialPotential = InitialPotential,
    };

    /// <summary>
    /// Quantizes <paramref name="ann"/> with the scaling of an image already converted with a fixed σ (its
    /// normalization factors, σ, preset, levels and timing), so weights that did not move keep their levels: the
    /// retrained or personalized image differs from <paramref name="held"/> only where it must.
    /// </summary>
    public static ModelImage QuantizedLike(ModelFile ann, ModelImage held)
    {
        double[] factors = [.. held.Layers.Select(l => (double)l.NormalizationFactor)];
        var timing = new SnnTiming(held.TimestepS, held.MembraneTimeConstantS, held.MaxInputRateHz);
        var converter = new SnnConverter(ann, factors, ActivationNormalization.Parse(held.Normalization), timing, held.InputEncoding, held.Layers[0].InitialPotential);
        return converter.Quantized(SignedLevels.FromPreset(Presets.Get(held.PresetName), (int)held.Levels), held.Sigma, (int)held.Timesteps);
    }
}
