using System.Numerics;
using EdgeSkyrmion.Protos.V1;
using System.Runtime.InteropServices;

namespace EdgeSkyrmion.Edge.Snn;

/// <summary>
/// The event-driven inference of a <see cref="SpikingNetwork"/>, with all its state allocated once: create one
/// per thread and call <see cref="Run"/> per image; a step allocates nothing.
///
/// One step (dt): the Poisson encoder draws the input spikes; then layer by layer, every spike of the layer below
/// adds its weight row to this layer's synaptic input (work ∝ spikes × fan-out, never neurons × synapses), and
/// each neuron integrates as a LIF neuron, v ← v·exp(−dt/τ) + I, fires when v ≥ θ and is reset by subtraction,
/// v ← v − θ. Spikes reach the next layer in the same step. The output is the class with the most spikes.
/// With <see cref="InputEncoding.ConstantCurrent"/> there are no input spikes: every lit pixel drives its weight
/// row, scaled by its intensity, into the first layer at every step (the row is read every step, so each counts as
/// fan-out synaptic events per step); the drive is summed once per image. Neurons start an image at their layer's
/// initial potential (the QCFS shift of a spiking-aware network), otherwise at rest.
/// </summary>
public sealed class SpikingRun
{
    private readonly SpikingNetwork _network;
    private readonly PoissonEncoder _encoder;
    private readonly float[][] _potential;
    private readonly float[][] _input;
    private readonly int[][] _spikes;
    private readonly int[] _spikeCounts;
    private readonly int[] _outputSpikes;
    private readonly long[] _layerSpikes;
    private readonly float _leak;
    private readonly float[] _drive;
    private int _litPixels;

    public SpikingRun(SpikingNetwork network)
    {
        _network = network;
        _encoder = new PoissonEncoder(network.Inputs);
        int layers = network.LayerCount;
        _potential = new float[layers][];
        _input = new float[layers][];
        _spikes = new int[layers + 1][];
        _spikeCounts = new int[layers + 1];
        _spikes[0] = new int[network.Inputs];
        for (int l = 0; l < layers; l++)
        {
            _potential[l] = new float[network.Sizes[l + 1]];
            _input[l] = new float[network.Sizes[l + 1]];
            _spikes[l + 1] = new int[network.Sizes[l + 1]];
        }
        _outputSpikes = new int[network.Outputs];
        _layerSpikes = new long[layers + 1];
        _leak = network.Timing.LeakFactor;
        _drive = new float[network.Sizes[1]];
    }

    public SpikingNetwork Network => _network;

    /// <summary>Spikes of each output neuron in the last run.</summary>
    public ReadOnlySpan<int> OutputSpikeCounts => _outputSpikes;

    /// <summary>Membrane potentials of the output neurons at the end of the last run (the tie-break).</summary>
    public ReadOnlySpan<float> OutputPotentials => _potential[^1];

    /// <summary>Spikes per population in the last run, input first.</summary>
    public ReadOnlySpan<long> LayerSpikes => _layerSpikes;

    /// <summary>
    /// Classifies one image in <paramref name="timesteps"/> steps with input spikes fixed by <paramref name="seed"/>.
    /// Early exit (<paramref name="earlyExitMargin"/> &gt; 0) stops once the leading class has at least that many
    /// more output spikes than the runner-up, or more than the steps left (then no continuation could change the
    /// result); 0 always runs every step.
    /// </summary>
    public SnnResult Run(ReadOnlySpan<byte> image, int timesteps, ulong seed, int earlyExitMargin = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timesteps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(earlyExitMargin);
        SnnTiming timing = _network.Timing;
        bool constantCurrent = _network.Encoding == InputEncoding.ConstantCurrent;
        if (constantCurrent) SumDrive(image);
        else _encoder.Reset(image, seed, timing.MaxInputRateHz, timing.TimestepS);
        for (int l = 0; l < _potential.Length; l++)
        {
            Array.Fill(_potential[l], _network.InitialPotential(l));
            Array.Clear(_input[l]);
        }
        Array.Clear(_outputSpikes);
        Array.Clear(_layerSpikes);

        long events = 0;
        int predicted = -1, decidedStep = 1, step = 0;
        while (step < timesteps)
        {
            step++;
            if (constantCurrent)
            {
                _spikeCounts[0] = 0;
                _drive.CopyTo(_input[0], 0);
                events += (long)_litPixels * _drive.Length;
            }
            else
            {
                _spikeCounts[0] = _encoder.Step(_spikes[0]);
                _layerSpikes[0] += _spikeCounts[0];
            }
            for (int l = 0; l < _potential.Length; l++)
            {
                events += Propagate(l);
                _spikeCounts[l + 1] = Integrate(l);
                _layerSpikes[l + 1] += _spikeCounts[l + 1];
            }
            ReadOnlySpan<int> fired = _spikes[^1].AsSpan(0, _spikeCounts[^1]);
            foreach (int o in fired) _outputSpikes[o]++;

            (int leader, int lead) = Leader();
            if (leader != predicted)
            {
                predicted = leader;
                decidedStep = step;
            }
            if (earlyExitMargin > 0 && (lead >= earlyExitMargin || lead > timesteps - step)) break;
        }
        long spikes = 0;
        foreach (long s in _layerSpikes) spikes += s;
        return new SnnResult(predicted, timesteps, step, decidedStep, events, spikes);
    }

    /// <summary>The first layer's input current of a constant-current image: Σ over lit pixels of intensity × weight row.</summary>
    private void SumDrive(ReadOnlySpan<byte> image)
    {
        if (image.Length != _network.Inputs)
            throw new ArgumentException($"image has {image.Length} pixels, the network's input layer has {_network.Inputs}.", nameof(image));
        Array.Clear(_drive);
        _litPixels = 0;
        int fanOut = _drive.Length;
        ReadOnlySpan<float> weights = _network.Weights(0);
        for (int p = 0; p < image.Length; p++)
        {
            if (image[p] == 0) continue;
            _litPixels++;
            float intensity = image[p] / 255f;
            ReadOnlySpan<float> row = weights.Slice(p * fanOut, fanOut);
            for (int j = 0; j < fanOut; j++) _drive[j] += intensity * row[j];
        }
    }

    /// <summary>Adds the weight row of every spike of population <paramref name="layer"/> to the next layer's input.</summary>
    private long Propagate(int layer)
    {
        int count = _spikeCounts[layer];
        if (count == 0) return 0;
        Span<float> input = _input[layer];
        int fanOut = input.Length;
        ReadOnlySpan<float> weights = _network.Weights(layer);
        ReadOnlySpan<int> spikes = _spikes[layer].AsSpan(0, count);
        ref float target = ref MemoryMarshal.GetReference(input);
        foreach (int pre in spikes)
        {
            ReadOnlySpan<float> row = weights.Slice(pre * fanOut, fanOut);
            ref float source = ref MemoryMarshal.GetReference(row);
            int j = 0;
            for (; j <= fanOut - Vector<float>.Count; j += Vector<float>.Count)
            {
                Vector<float> sum = Vector.LoadUnsafe(ref target, (nuint)j) + Vector.LoadUnsafe(ref source, (nuint)j);
                sum.StoreUnsafe(ref target, (nuint)j);
            }
            for (; j < fanOut; j++) input[j] += row[j];
        }
        return (long)count * fanOut;
    }

    /// <summary>LIF update of layer <paramref name="layer"/>'s neurons; records who fired; clears the input.</summary>
    private int Integrate(int layer)
    {
        Span<float> v = _potential[layer];
        Span<float> input = _input[layer];
        Span<int> fired = _spikes[layer + 1];
        float threshold = _network.Threshold(layer);
        int count = 0;
        for (int j = 0; j < v.Length; j++)
        {
            float potential = v[j] * _leak + input[j];
            input[j] = 0;
            if (potential >= threshold)
            {
                potential -= threshold;
                fired[count++] = j;
            }
            v[j] = potential;
        }
        return count;
    }

    /// <summary>The predicted class now and its lead in spikes over the runner-up (ties: higher potential, then lower index).</summary>
    private (int Leader, int Lead) Leader()
    {
        ReadOnlySpan<float> v = _potential[^1];
        int best = 0;
        for (int o = 1; o < _outputSpikes.Length; o++)
            if (_outputSpikes[o] > _outputSpikes[best] || (_outputSpikes[o] == _outputSpikes[best] && v[o] > v[best])) best = o;
        int runnerUp = int.MinValue;
        for (int o = 0; o < _outputSpikes.Length; o++)
            if (o != best) runnerUp = Math.Max(runnerUp, _outputSpikes[o]);
        return (best, _outputSpikes.Length == 1 ? int.MaxValue : _outputSpikes[best] - runnerUp);
    }
}
