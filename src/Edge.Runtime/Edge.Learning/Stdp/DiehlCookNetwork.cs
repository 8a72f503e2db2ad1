using System.Numerics;

namespace EdgeSkyrmion.Edge.Stdp;

/// <summary>
/// The dynamics of Diehl &amp; Cook's 784→N network for one image: Poisson inputs, conductance-based LIF excitatory
/// neurons with adaptive thresholds θ, one-to-all lateral inhibition, and (when learning) STDP on the
/// <see cref="SynapseMatrix"/>. Fixed 0.5 ms steps as in their code: the membrane by forward Euler, conductances and
/// the postsynaptic traces by their exact exponential factor; the presynaptic traces are lazy (time of last spike,
/// looked up when a neuron fires); the 150 ms rest is skipped analytically. One instance holds one network state;
/// parallel evaluation uses one instance per thread over shared, read-only weights and θ. Nothing allocates per step.
/// </summary>
public sealed class DiehlCookNetwork
{
    public const int Inputs = 784;

    private readonly StdpSettings _settings;
    private readonly SynapseMatrix _synapses;
    private readonly double[] _thetaV;
    private readonly int _n;
    private readonly float[] _v;
    private readonly float[] _ge;
    private readonly float[] _gi;
    private readonly float[] _threshold;
    private readonly int[] _refractoryUntil;
    private readonly float[] _postTrace;
    private readonly float[] _preTrace;
    private readonly long[] _lastPreStep;
    private readonly float[] _preDecay;
    private readonly int[] _activeInputs;
    private readonly double[] _activeRates;
    private readonly int[] _spikedNow;
    private readonly float _geDecay, _giDecay, _postDecay, _membraneGain;
    private readonly int _refractorySteps;
    private long _clock;

    public DiehlCookNetwork(StdpSettings settings, SynapseMatrix synapses, double[] thetaV)
    {
        _settings = settings;
        _synapses = synapses;
        _thetaV = thetaV;
        _n = synapses.Neurons;
        if (synapses.Inputs != Inputs) throw new ArgumentException($"the network has {Inputs} inputs, the synapses {synapses.Inputs}.");
        if (thetaV.Length != _n) throw new ArgumentException($"{thetaV.Length} thresholds for {_n} neurons.");
        _v = new float[_n];
        _ge = new float[_n];
        _gi = new float[_n];
        _threshold = new float[_n];
        _refractoryUntil = new int[_n];
        _postTrace = new float[_n];
        _preTrace = new float[Inputs];
        _lastPreStep = new long[Inputs];
        _activeInputs = new int[Inputs];
        _activeRates = new double[Inputs];
        _spikedNow = new int[_n];
        double dt = settings.StepS;
        _geDecay = (float)Math.Exp(-dt / settings.ExcitatoryConductanceTimeConstantS);
        _giDecay = (float)Math.Exp(-dt / settings.InhibitoryConductanceTimeConstantS);
        _postDecay = (float)Math.Exp(-dt / settings.PostTraceTimeConstantS);
        _membraneGain = (float)(dt / settings.MembraneTimeConstantS);
        _refractorySteps = (int)Math.Round(settings.RefractoryS / dt);
        // Beyond 40 time constants a trace is below 1e-17: zero in float.
        _preDecay = new float[(int)Math.Ceiling(40 * settings.PreTraceTimeConstantS / dt)];
        for (int k = 0; k < _preDecay.Length; k++) _preDecay[k] = (float)Math.Exp(-k * dt / settings.PreTraceTimeConstantS);
        Reset();
    }

    /// <summary>Back to rest: resting potential, no conductances, no traces (an evaluation image starts here).</summary>
    public void Reset()
    {
        Array.Fill(_v, (float)_settings.RestPotentialV);
        Array.Clear(_ge);
        Array.Clear(_gi);
        Array.Clear(_refractoryUntil);
        Array.Clear(_postTrace);
        Array.Fill(_lastPreStep, long.MinValue / 2);
        _clock = 0;
    }

    /// <summary>
    /// Shows one image: presentations at increasing input rate until at least the minimum number of output spikes
    /// (or the cap on presentations), each followed by the rest. With <paramref name="learn"/>, weights are
    /// normalised before every presentation, STDP runs and θ adapts; otherwise weights and θ are read only.
    /// <paramref name="counts"/> receives the spike count of each neuron in the last presentation.
    /// Returns the number of presentations.
    /// </summary>
    public int Present(ReadOnlySpan<byte> image, bool learn, ref SampleRandom random, Span<int> counts)
    {
        if (image.Length != Inputs) throw new ArgumentException($"an image has {Inputs} pixels, got {image.Length}.");
        for (int p = 0; p < _settings.MaxRepresentations; p++)
        {
            if (learn) _synapses.Normalize(ref random);
            double maxRate = _settings.MaxInputRateHz + p * _settings.RateIncrementHz;
            int spikes = Run(image, maxRate, learn, ref random, counts);
            Rest(learn);
            if (spikes >= _settings.MinOutputSpikes) return p + 1;
        }
        return _settings.MaxRepresentations;
    }

    private int Run(ReadOnlySpan<byte> image, double maxRateHz, bool learn, ref SampleRandom random, Span<int> counts)
    {
        int active = 0;
        double perStep = Math.Min(1, maxRateHz * _settings.StepS) / 255.0;
        for (int i = 0; i < Inputs; i++)
        {
            if (image[i] == 0) continue;
            _activeInputs[active] = i;
            _activeRates[active++] = image[i] * perStep;
        }
        for (int j = 0; j < _n; j++) _threshold[j] = (float)(_settings.ThresholdV + _thetaV[j]);
        counts.Clear();
        int total = 0, steps = _settings.PresentationSteps;
        float rest = (float)_settings.RestPotentialV, reset = (float)_settings.ResetPotentialV;
        float eExc = (float)_settings.ExcitatoryReversalV, eInh = (float)_settings.InhibitoryReversalV;
        float inhibition = (float)_settings.LateralInhibition;
        for (int t = 0; t < steps; t++)
        {
            int fired = 0;
            for (int j = 0; j < _n; j++)
            {
                float v = _v[j];
                if (t >= _refractoryUntil[j])
                {
                    v += _membraneGain * ((rest - v) + _ge[j] * (eExc - v) + _gi[j] * (eInh - v));
                    if (v > _threshold[j])
                    {
                        v = reset;
                        _refractoryUntil[j] = t + _refractorySteps;
                        _spikedNow[fired++] = j;
                    }
                }
                _v[j] = v;
                _ge[j] *= _geDecay;
                _gi[j] *= _giDecay;
            }
            if (learn) Scale(_postTrace, _postDecay);
            if (fired > 0)
            {
                total += fired;
                for (int f = 0; f < fired; f++) OnSpike(_spikedNow[f], learn, counts, ref random);
                // Each spike inhibits every other excitatory neuron (the one-to-one inhibitory partner's output).
                AddScalar(_gi, fired * inhibition);
                for (int f = 0; f < fired; f++) _gi[_spikedNow[f]] -= inhibition;
            }
            for (int a = 0; a < active; a++)
            {
                if (random.NextUniform() >= _activeRates[a]) continue;
                int input = _activeInputs[a];
                Add(_ge, _synapses.Row(input));
                if (learn) _synapses.Depress(input, _postTrace, ref random);
                _lastPreStep[input] = _clock;
            }
            _clock++;
        }
        for (int j = 0; j < _n; j++) _refractoryUntil[j] -= steps;
        return total;
    }

    private void OnSpike(int neuron, bool learn, Span<int> counts, ref SampleRandom random)
    {
        counts[neuron]++;
        if (!learn) return;
        _thetaV[neuron] += _settings.ThetaIncrementV;
        _threshold[neuron] = (float)(_settings.ThresholdV + _thetaV[neuron]);
        for (int i = 0; i < Inputs; i++)
        {
            long age = _clock - _lastPreStep[i];
            _preTrace[i] = age < _preDecay.Length ? _preDecay[age] : 0f;
        }
        _synapses.Potentiate(neuron, _preTrace, ref random);
        _postTrace[neuron] = 1f;
    }

    /// <summary>
    /// The rest between presentations, in closed form: the membrane relaxes to rest by exp(−T/τ_m), the
    /// conductances (τ ≤ 2 ms ≪ 150 ms) vanish, the traces decay by exp(−T/τ) and θ by exp(−(presentation + T)/τ_θ)
    /// while learning. The conductance tail's last push on the membrane in the rest's first milliseconds is dropped.
    /// </summary>
    private void Rest(bool learn)
    {
        int restSteps = (int)Math.Round(_settings.RestS / _settings.StepS);
        float relax = (float)Math.Exp(-_settings.RestS / _settings.MembraneTimeConstantS);
        float rest = (float)_settings.RestPotentialV;
        for (int j = 0; j < _n; j++) _v[j] = rest + (_v[j] - rest) * relax;
        Array.Clear(_ge);
        Array.Clear(_gi);
        for (int j = 0; j < _n; j++) _refractoryUntil[j] = Math.Max(0, _refractoryUntil[j] - restSteps);
        _clock += restSteps;
        if (!learn) return;
        Scale(_postTrace, (float)Math.Exp(-_settings.RestS / _settings.PostTraceTimeConstantS));
        double thetaDecay = Math.Exp(-(_settings.PresentationS + _settings.RestS) / _settings.ThetaTimeConstantS);
        for (int j = 0; j < _n; j++) _thetaV[j] *= thetaDecay;
    }

    private static void Add(Span<float> target, ReadOnlySpan<float> values)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
            for (; j <= target.Length - Vector<float>.Count; j += Vector<float>.Count)
                (new Vector<float>(target[j..]) + new Vector<float>(values[j..])).CopyTo(target[j..]);
        for (; j < target.Length; j++) target[j] += values[j];
    }

    private static void AddScalar(Span<float> target, float value)
    {
        for (int j = 0; j < target.Length; j++) target[j] += value;
    }

    private static void Scale(Span<float> target, float factor)
    {
        for (int j = 0; j < target.Length; j++) target[j] *= factor;
    }
}
