namespace EdgeSkyrmion.Edge.Stdp;

/// <summary>
/// The input→excitatory synapses of the Diehl &amp; Cook network and how STDP changes them. <see cref="Weights"/>
/// is input-major (<c>[input * Neurons + neuron]</c>), so one input spike adds one contiguous row to the
/// neurons' excitatory conductances. Implementations: ideal float weights, or skyrmion devices moved one state
/// per event (<see cref="DeviceSynapses"/>).
/// </summary>
public abstract class SynapseMatrix(int inputs, int neurons, StdpSettings settings)
{
    public int Inputs { get; } = inputs;
    public int Neurons { get; } = neurons;
    public StdpSettings Settings { get; } = settings;

    /// <summary>The weights the neurons see, 0 … w_max.</summary>
    public float[] Weights { get; } = new float[inputs * neurons];

    public ReadOnlySpan<float> Row(int input) => Weights.AsSpan(input * Neurons, Neurons);

    /// <summary>Presynaptic spike of <paramref name="input"/>: every synapse of its row is depressed by ν_pre · x_post.</summary>
    public abstract void Depress(int input, ReadOnlySpan<float> postTraces, ref SampleRandom random);

    /// <summary>Postsynaptic spike of <paramref name="neuron"/>: every synapse of its column is potentiated by ν_post · x_pre.</summary>
    public abstract void Potentiate(int neuron, ReadOnlySpan<float> preTraces, ref SampleRandom random);

    /// <summary>Rescales each neuron's input weights towards the column sum of the settings.</summary>
    public abstract void Normalize(ref SampleRandom random);

    /// <summary>Sum of each neuron's input weights.</summary>
    public void ColumnSums(Span<double> sums)
    {
        sums.Clear();
        for (int i = 0; i < Inputs; i++)
        {
            ReadOnlySpan<float> row = Row(i);
            for (int j = 0; j < row.Length; j++) sums[j] += row[j];
        }
    }
}
