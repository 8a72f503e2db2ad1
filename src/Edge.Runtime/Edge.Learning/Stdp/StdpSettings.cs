namespace EdgeSkyrmion.Edge.Stdp;

/// <summary>
/// The parameters of the unsupervised network of Diehl &amp; Cook 2015 (their published Brian code), SI units.
/// Conductances are dimensionless, in units of the excitatory neuron's leak conductance, as in their code; a
/// synaptic weight w adds w to g_e on every presynaptic spike.
/// </summary>
public sealed record StdpSettings
{
    /// <summary>Excitatory (learning) neurons; the paper uses 400.</summary>
    public int Neurons { get; init; } = 400;

    /// <summary>Simulation step, seconds (Diehl &amp; Cook's code: 0.5 ms).</summary>
    public double StepS { get; init; } = 0.5e-3;

    /// <summary>Presentation of one image, seconds.</summary>
    public double PresentationS { get; init; } = 0.350;

    /// <summary>Rest between images (no input), seconds: skipped analytically.</summary>
    public double RestS { get; init; } = 0.150;

    /// <summary>Poisson rate of a white (255) pixel, hertz.</summary>
    public double MaxInputRateHz { get; init; } = 63.75;

    /// <summary>Added to the maximum rate each time an image evokes too few output spikes, hertz (255/8).</summary>
    public double RateIncrementHz { get; init; } = 31.875;

    /// <summary>An image evoking fewer output spikes than this is shown again at a higher rate.</summary>
    public int MinOutputSpikes { get; init; } = 5;

    /// <summary>Cap on re-presentations, so a blank image cannot loop forever (Diehl &amp; Cook have none).</summary>
    public int MaxRepresentations { get; init; } = 10;

    public double MembraneTimeConstantS { get; init; } = 0.100;
    public double RestPotentialV { get; init; } = -0.065;
    public double ResetPotentialV { get; init; } = -0.065;
    public double ThresholdV { get; init; } = -0.052;
    public double RefractoryS { get; init; } = 0.005;

    /// <summary>Reversal potential of excitatory synapses, volts.</summary>
    public double ExcitatoryReversalV { get; init; }

    /// <summary>Reversal potential of inhibitory synapses, volts.</summary>
    public double InhibitoryReversalV { get; init; } = -0.100;

    public double ExcitatoryConductanceTimeConstantS { get; init; } = 0.001;
    public double InhibitoryConductanceTimeConstantS { get; init; } = 0.002;

    /// <summary>
    /// Inhibitory conductance an excitatory spike adds to every other excitatory neuron: Diehl &amp; Cook's
    /// inhibitory→excitatory weight (17), applied directly because their one-to-one inhibitory neuron fires in the
    /// step after its excitatory partner (excitatory→inhibitory weight 10.4 drives it 60× past threshold).
    /// </summary>
    public double LateralInhibition { get; init; } = 17.0;

    /// <summary>Adaptive threshold increment per output spike, volts.</summary>
    public double ThetaIncrementV { get; init; } = 0.05e-3;

    /// <summary>Adaptive threshold decay time constant, seconds (1e7 ms).</summary>
    public double ThetaTimeConstantS { get; init; } = 1e4;

    public double PreTraceTimeConstantS { get; init; } = 0.020;
    public double PostTraceTimeConstantS { get; init; } = 0.020;

    /// <summary>Depression on a presynaptic spike: w −= NuPre · x_post.</summary>
    public double NuPre { get; init; } = 1e-4;

    /// <summary>Potentiation on a postsynaptic spike: w += NuPost · x_pre.</summary>
    public double NuPost { get; init; } = 1e-2;

    public double WeightMax { get; init; } = 1.0;

    /// <summary>Each neuron's input weights are renormalised to this sum before every image (784 × 0.1).</summary>
    public double ColumnWeightSum { get; init; } = 78.0;

    /// <summary>Initial weights are uniform in [0.003, 0.303) (Diehl &amp; Cook: (rand + 0.01) · 0.3).</summary>
    public double InitialWeightScale { get; init; } = 0.3;

    public int PresentationSteps => (int)Math.Round(PresentationS / StepS);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first out-of-range setting.</summary>
    public StdpSettings Validated()
    {
        if (Neurons <= 0) throw new ArgumentException($"--neurons {Neurons}: the network needs at least one excitatory neuron.");
        if (!(StepS > 0) || !(PresentationS >= StepS) || !(RestS >= 0))
            throw new ArgumentException("step, presentation and rest times must be positive, with the presentation at least one step.");
        if (!(MaxInputRateHz > 0) || !(MaxInputRateHz * StepS <= 1))
            throw new ArgumentException($"maximum input rate {MaxInputRateHz} Hz must be positive and at most one spike per step.");
        if (MinOutputSpikes < 0 || MaxRepresentations < 1) throw new ArgumentException("minimum output spikes must be ≥ 0 and representations ≥ 1.");
        if (!(WeightMax > 0) || !(ColumnWeightSum > 0)) throw new ArgumentException("w_max and the column weight sum must be positive.");
        return this;
    }
}
