using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Snn;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeSkyrmion.Cloud.Conversion;

/// <summary>
/// The same SNN as <see cref="SpikingRun"/>, time-stepped densely with TorchSharp: every step multiplies the full
/// spike vector of each layer by the full weight matrix (work ∝ neurons × synapses). It exists as the reference
/// the event-driven engine is checked against and benchmarked against; input spikes come from the same
/// <see cref="PoissonEncoder"/>, the LIF update is the same float32 arithmetic, v ← v·leak + I, reset by subtraction.
/// </summary>
public sealed class DenseReferenceSnn : IDisposable
{
    private readonly Tensor[] _weights;
    private readonly float[] _thresholds;
    private readonly SnnTiming _timing;
    private readonly PoissonEncoder _encoder;
    private readonly int[] _inputSpikes;
    private readonly float[] _inputVector;

    public DenseReferenceSnn(SpikingNetwork network)
    {
        if (network.Encoding != Protos.V1.InputEncoding.Poisson || Enumerable.Range(0, network.LayerCount).Any(l => network.InitialPotential(l) != 0))
            throw new ArgumentException("the dense reference runs Poisson input from rest only.");
        TorchRuntime.Initialize();
        _weights = new Tensor[network.LayerCount];
        _thresholds = new float[network.LayerCount];
        for (int l = 0; l < network.LayerCount; l++)
        {
            _weights[l] = tensor(network.Weights(l).ToArray()).reshape(network.Sizes[l], network.Sizes[l + 1]);
            _thresholds[l] = network.Threshold(l);
        }
        _timing = network.Timing;
        _encoder = new PoissonEncoder(network.Inputs);
        _inputSpikes = new int[network.Inputs];
        _inputVector = new float[network.Inputs];
    }

    /// <summary>Output spike counts per class after <paramref name="timesteps"/> steps (no early exit).</summary>
    public int[] Run(ReadOnlySpan<byte> image, int timesteps, ulong seed)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _encoder.Reset(image, seed, _timing.MaxInputRateHz, _timing.TimestepS);
        float leak = _timing.LeakFactor;
        Tensor[] potential = [.. _weights.Select(w => zeros(1, w.shape[1]))];
        Tensor outputCounts = zeros(1, _weights[^1].shape[1]);
        for (int t = 0; t < timesteps; t++)
        {
            using var stepScope = torch.NewDisposeScope();
            Array.Clear(_inputVector);
            int n = _encoder.Step(_inputSpikes);
            for (int k = 0; k < n; k++) _inputVector[_inputSpikes[k]] = 1f;
            Tensor spikes = tensor(_inputVector).reshape(1, _inputVector.Length);
            for (int l = 0; l < _weights.Length; l++)
            {
                Tensor current = spikes.matmul(_weights[l]);
                potential[l].mul_(leak).add_(current);
                spikes = potential[l].ge(_thresholds[l]).to_type(ScalarType.Float32);
                potential[l].sub_(spikes.mul(_thresholds[l]));
            }
            outputCounts.add_(spikes);
        }
        return [.. outputCounts.flatten().data<float>().ToArray().Select(c => (int)c)];
    }

    public void Dispose()
    {
        foreach (Tensor w in _weights) w.Dispose();
    }
}
