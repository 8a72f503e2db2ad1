using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Edge.Snn;

/// <summary>
/// A feed-forward LIF network ready to run: per layer a signed effective weight matrix, row-major by presynaptic
/// neuron (<c>weights[input * outputs + output]</c>) so one input spike adds one contiguous row, and a threshold.
///
/// Dale's principle (paper Fig. 7a) doubles the input and hidden populations into + and − copies: the + copy
/// drives the next layer through the W⁺ devices, the − copy (same spikes, the same value R) through the W⁻
/// devices with inverted sign. The current a neuron receives is therefore Σᵢ sᵢ·(G⁺ᵢⱼ − G⁻ᵢⱼ)·k, so this engine
/// folds each pair into one signed weight per synapse and each doubled population into one: the spikes are
/// identical (the test DaleFoldingTests checks it against an explicitly doubled network).
/// </summary>
public sealed class SpikingNetwork
{
    private readonly float[][] _weights;
    private readonly float[] _thresholds;
    private readonly float[] _initialPotentials;

    /// <summary>Neurons per layer, input first: e.g. [784, 1200, 1200, 10].</summary>
    public IReadOnlyList<int> Sizes { get; }
    public SnnTiming Timing { get; }

    /// <summary>How pixels enter the first layer: Poisson spikes or a constant current per lit pixel.</summary>
    public InputEncoding Encoding { get; }
    public int LayerCount => _weights.Length;
    public int Inputs => Sizes[0];
    public int Outputs => Sizes[^1];

    private SpikingNetwork(int[] sizes, float[][] weights, float[] thresholds, SnnTiming timing, InputEncoding encoding, float[] initialPotentials)
    {
        Sizes = sizes;
        _weights = weights;
        _thresholds = thresholds;
        Timing = timing.Validated();
        Encoding = encoding;
        _initialPotentials = initialPotentials;
    }

    /// <summary>The signed effective weights of layer <paramref name="layer"/>, [input * outputs + output].</summary>
    public ReadOnlySpan<float> Weights(int layer) => _weights[layer];

    public float Threshold(int layer) => _thresholds[layer];

    /// <summary>Membrane potential of layer <paramref name="layer"/>'s neurons at the start of an image, in weight units.</summary>
    public float InitialPotential(int layer) => _initialPotentials[layer] * _thresholds[layer];

    /// <summary>Builds a network from prepared matrices (e.g. computed from crossbar reads); copies nothing.</summary>
    public static SpikingNetwork FromMatrices(IReadOnlyList<int> sizes, IReadOnlyList<float[]> weights, IReadOnlyList<float> thresholds, SnnTiming? timing = null,
        InputEncoding encoding = InputEncoding.Poisson, IReadOnlyList<float>? initialPotentials = null)
    {
        if (sizes.Count < 2) throw new ArgumentException("a network needs at least an input and an output layer.");
        if (weights.Count != sizes.Count - 1 || thresholds.Count != sizes.Count - 1)
            throw new ArgumentException($"{sizes.Count} layers of neurons need {sizes.Count - 1} weight matrices and thresholds (got {weights.Count} and {thresholds.Count}).");
        for (int l = 0; l < weights.Count; l++)
        {
            if (sizes[l] < 1 || sizes[l + 1] < 1) throw new ArgumentException($"layer sizes must be positive (got {sizes[l]}, {sizes[l + 1]}).");
            if (weights[l].Length != sizes[l] * sizes[l + 1])
                throw new ArgumentException($"weight matrix {l} has {weights[l].Length} entries, expected {sizes[l]}×{sizes[l + 1]}.");
            if (!(thresholds[l] > 0) || !float.IsFinite(thresholds[l]))
                throw new ArgumentException($"threshold of layer {l} must be a positive number (got {thresholds[l]}).");
            if (initialPotentials is not null && initialPotentials[l] is not (>= 0 and < 1))
                throw new ArgumentException($"initial potential of layer {l} must be a fraction of the threshold in [0, 1) (got {initialPotentials[l]}).");
        }
        if (initialPotentials is not null && initialPotentials.Count != weights.Count)
            throw new ArgumentException($"{weights.Count} layers need {weights.Count} initial potentials (got {initialPotentials.Count}).");
        return new SpikingNetwork([.. sizes], [.. weights], [.. thresholds], timing ?? SnnTiming.Paper, encoding,
            initialPotentials is null ? new float[weights.Count] : [.. initialPotentials]);
    }

    /// <summary>
    /// Builds the network a model image describes. <paramref name="conductanceG0"/> gives the conductance (in G0)
    /// of one device, (layer, synapse index, true for the W⁺ device), e.g. a crossbar read with device variation
    /// and read noise; null reads every device at its state's mean. Full-precision images have no devices and
    /// take their signed weights as stored.
    /// </summary>
    public static SpikingNetwork FromImage(ModelImage image, Func<int, int, bool, double>? conductanceG0 = null)
    {
        ModelImageFile.Validate(image);
        int[] sizes = [(int)image.Layers[0].Inputs, .. image.Layers.Select(l => (int)l.Outputs)];
        var weights = new float[image.Layers.Count][];
        for (int l = 0; l < image.Layers.Count; l++)
        {
            Layer layer = image.Layers[l];
            if (image.Levels == ModelImageFile.FullPrecision)
            {
                if (conductanceG0 is not null) throw new ArgumentException("a full-precision image has no devices to read.");
                weights[l] = [.. layer.SignedWeights];
                continue;
            }
            weights[l] = new float[layer.PlusStates.Length];
            Fill(image, l, weights[l], conductanceG0);
        }
        var timing = new SnnTiming(image.TimestepS, image.MembraneTimeConstantS, image.MaxInputRateHz);
        return new SpikingNetwork(sizes, weights, [.. image.Layers.Select(l => l.Threshold)], timing, image.InputEncoding,
            [.. image.Layers.Select(l => l.InitialPotential)]);
    }

    /// <summary>
    /// Overwrites the weights with a new read of the devices of <paramref name="image"/>, the quantized image this
    /// network was built from: a fresh crossbar snapshot without reallocating the matrices (9.6 MB for the paper's
    /// network, which a wearable must not churn through).
    /// </summary>
    public void Reread(ModelImage image, Func<int, int, bool, double> conductanceG0)
    {
        if (image.Levels == ModelImageFile.FullPrecision) throw new ArgumentException("a full-precision image has no devices to read.");
        if (image.Layers.Count != _weights.Length || image.Layers.Where((layer, l) => layer.PlusStates.Length != _weights[l].Length).Any())
            throw new ArgumentException("the image's layers differ from this network's: build a new network for it.");
        for (int l = 0; l < _weights.Length; l++) Fill(image, l, _weights[l], conductanceG0);
    }

    private static void Fill(ModelImage image, int l, float[] weights, Func<int, int, bool, double>? conductanceG0)
    {
        Layer layer = image.Layers[l];
        ReadOnlySpan<byte> plus = layer.PlusStates.Span, minus = layer.MinusStates.Span;
        for (int s = 0; s < weights.Length; s++)
        {
            double gPlus = conductanceG0?.Invoke(l, s, true) ?? image.StateMeansG0[plus[s]];
            double gMinus = conductanceG0?.Invoke(l, s, false) ?? image.StateMeansG0[minus[s]];
            weights[s] = (float)((gPlus - gMinus) * layer.WeightPerG0);
        }
    }
}
