using EdgeSkyrmion.DeviceModel.Protocol;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;

namespace EdgeSkyrmion.Edge.Stdp;

/// <summary>
/// Synapses held by skyrmion devices of a <see cref="DeviceArray"/> (device index = weight index). The weight of a
/// device is the linear map of its state's mean conductance, w = (G_s − G_min)/(G_max − G_min) · w_max, with G_min and
/// G_max the lowest and highest state means; read noise and device offsets are left out of the learning dynamics
/// (the MTJ read spread, ≤ 0.025 G0, is a quarter of a state step and averages out over a 350 ms presentation).
///
/// Discrete STDP: Diehl &amp; Cook's update Δw becomes a move to the adjacent state with probability |Δw| / (distance
/// to that state), so the expected change equals the continuous rule; every move goes through the crossbar
/// (<see cref="StdpProgramming"/>), so learning energy lands in the array's ledger. Normalisation is programmed the
/// same way: each device moves towards f·w with f = column sum target / column sum. Rare events are drawn by
/// thinning (geometric skips at an upper-bound probability, then acceptance), so a presynaptic spike costs
/// O(expected events), not one random number per synapse.
/// </summary>
public sealed class DeviceSynapses : SynapseMatrix
{
    public const int MaxVerifyPulses = 8;

    private readonly float[] _levels;
    private readonly float[] _upStep;
    private readonly float[] _downStep;
    private readonly float _minStep;
    private readonly double[] _sums;

    public DeviceArray Devices { get; }
    public StdpProgramming Programming { get; }

    public DeviceSynapses(int inputs, int neurons, StdpSettings settings, DeviceArray devices, StdpProgramming programming)
        : base(inputs, neurons, settings)
    {
        if (devices.Count != inputs * neurons)
            throw new ArgumentException($"the crossbar has {devices.Count} devices, {inputs}×{neurons} synapses need {inputs * neurons}.");
        Devices = devices;
        Programming = programming;
        _levels = Levels(devices.Table, settings.WeightMax);
        int states = _levels.Length;
        _upStep = new float[states];
        _downStep = new float[states];
        _minStep = float.MaxValue;
        for (int s = 0; s < states; s++)
        {
            _upStep[s] = s + 1 < states ? _levels[s + 1] - _levels[s] : float.PositiveInfinity;
            _downStep[s] = s > 0 ? _levels[s] - _levels[s - 1] : float.PositiveInfinity;
            if (s > 0) _minStep = Math.Min(_minStep, _downStep[s]);
        }
        _sums = new double[neurons];
        for (int k = 0; k < Weights.Length; k++) Weights[k] = _levels[devices.State(k)];
    }

    /// <summary>The weight of each state: its mean conductance mapped linearly onto 0 … w_max.</summary>
    public static float[] Levels(StateTable table, double weightMax)
    {
        double low = table.StateMeansG0[0], range = table.RangeG0;
        return table.StateMeansG0.Select(g => (float)((g - low) / range * weightMax)).ToArray();
    }

    /// <summary>
    /// Programs the initial weights: each device is write-verified to a state drawn so its expected weight is
    /// <paramref name="weights"/> (stochastic rounding).
    /// </summary>
    public void ProgramInitial(ReadOnlySpan<float> weights, ref SampleRandom random)
    {
        for (int k = 0; k < Weights.Length; k++)
        {
            int s = 0;
            while (s + 1 < _levels.Length && _levels[s + 1] <= weights[k]) s++;
            if (s + 1 < _levels.Length && random.NextUniform() < (weights[k] - _levels[s]) / _upStep[s]) s++;
            Devices.Program(k, s, MaxVerifyPulses, 1);
            Weights[k] = _levels[Devices.State(k)];
        }
    }

    public override void Depress(int input, ReadOnlySpan<float> postTraces, ref SampleRandom random)
    {
        int row = input * Neurons;
        double nu = Settings.NuPre;
        // Traces are at most 1, so no synapse's probability exceeds nu / smallest step.
        double bound = Math.Min(1, nu / _minStep);
        for (int j = random.NextSkip(bound); j < Neurons; j += 1 + random.NextSkip(bound))
        {
            int k = row + j;
            int s = Devices.State(k);
            if (s == 0 || postTraces[j] <= 0) continue;
            Move(k, PulseDirection.Ltd, Events(nu * postTraces[j] / _downStep[s] / bound, ref random));
        }
    }

    public override void Potentiate(int neuron, ReadOnlySpan<float> preTraces, ref SampleRandom random)
    {
        double nu = Settings.NuPost;
        for (int i = 0, k = neuron; i < Inputs; i++, k += Neurons)
        {
            if (preTraces[i] <= 0) continue;
            int s = Devices.State(k);
            if (s == _levels.Length - 1) continue;
            Move(k, PulseDirection.Ltp, Events(nu * preTraces[i] / _upStep[s], ref random));
        }
    }

    public override void Normalize(ref SampleRandom random)
    {
        ColumnSums(_sums);
        float top = _levels[^1];
        for (int j = 0; j < Neurons; j++)
        {
            if (_sums[j] <= 0) continue;
            double change = Settings.ColumnWeightSum / _sums[j] - 1;
            if (change == 0) continue;
            var direction = change > 0 ? PulseDirection.Ltp : PulseDirection.Ltd;
            double magnitude = Math.Abs(change);
            double bound = Math.Min(1, magnitude * top / _minStep);
            for (int i = random.NextSkip(bound); i < Inputs; i += 1 + random.NextSkip(bound))
            {
                int k = i * Neurons + j;
                int s = Devices.State(k);
                float step = direction == PulseDirection.Ltp ? _upStep[s] : _downStep[s];
                if (s == 0 || float.IsInfinity(step)) continue;
                Move(k, direction, Events(magnitude * _levels[s] / step / bound, ref random));
            }
        }
    }

    /// <summary>How many one-state moves an expected change of <paramref name="expected"/> states becomes.</summary>
    private static int Events(double expected, ref SampleRandom random)
    {
        int whole = (int)expected;
        return random.NextUniform() < expected - whole ? whole + 1 : whole;
    }

    private void Move(int device, PulseDirection direction, int events)
    {
        for (int e = 0; e < events; e++)
        {
            int s = Devices.State(device);
            int target = s + (int)direction;
            if (target < 0 || target >= _levels.Length) break;
            // STDP events on one synapse are milliseconds apart, far beyond the microsecond equilibration time,
            // so every event finds the device cold and starts with the initialization pulse.
            Devices.Initialize(device);
            if (Programming == StdpProgramming.WriteVerify) Devices.Program(device, target, MaxVerifyPulses, 1);
            else Devices.Pulse(device, direction);
        }
        Weights[device] = _levels[Devices.State(device)];
    }
}
