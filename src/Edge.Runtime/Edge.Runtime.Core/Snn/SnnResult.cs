namespace EdgeSkyrmion.Edge.Snn;

/// <summary>
/// What one inference returns. The per-class output spike counts and final potentials stay in the
/// <see cref="SpikingRun"/> (no allocation per image).
/// </summary>
/// <param name="PredictedClass">Output neuron with the most spikes; ties go to the higher membrane potential, then the lower index.</param>
/// <param name="Timesteps">Steps requested.</param>
/// <param name="StepsRun">Steps simulated (fewer than requested when early exit stopped the run).</param>
/// <param name="DecidedStep">First step (1-based) from which the prediction never changed again within the steps run.</param>
/// <param name="SynapticEvents">Synaptic weight additions: for each spike, the fan-out of its neuron.</param>
/// <param name="Spikes">Spikes of every population, input included.</param>
public readonly record struct SnnResult(int PredictedClass, int Timesteps, int StepsRun, int DecidedStep, long SynapticEvents, long Spikes)
{
    public int SavedSteps => Timesteps - StepsRun;
}
