using System.Numerics;

namespace EdgeSkyrmion.Edge.Stdp;

/// <summary>Ideal synapses (`--states continuous`): float weights, Diehl &amp; Cook's rule applied exactly and clipped to [0, w_max].</summary>
public sealed class ContinuousSynapses : SynapseMatrix
{
    private readonly double[] _sums;
    private readonly float[] _factors;

    public ContinuousSynapses(int inputs, int neurons, StdpSettings settings, ReadOnlySpan<float> weights)
        : base(inputs, neurons, settings)
    {
        if (weights.Length != Weights.Length)
            throw new ArgumentException($"{weights.Length} weights do not fill {inputs}×{neurons} synapses.");
        weights.CopyTo(Weights);
        _sums = new double[neurons];
        _factors = new float[neurons];
    }

    public override void Depress(int input, ReadOnlySpan<float> postTraces, ref SampleRandom random)
    {
        Span<float> row = Weights.AsSpan(input * Neurons, Neurons);
        float nu = (float)Settings.NuPre;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<float>(nu);
            for (; j <= row.Length - Vector<float>.Count; j += Vector<float>.Count)
            {
                var w = new Vector<float>(row[j..]) - scale * new Vector<float>(postTraces[j..]);
                Vector.Max(w, Vector<float>.Zero).CopyTo(row[j..]);
            }
        }
        for (; j < row.Length; j++) row[j] = MathF.Max(0, row[j] - nu * postTraces[j]);
    }

    public override void Potentiate(int neuron, ReadOnlySpan<float> preTraces, ref SampleRandom random)
    {
        float nu = (float)Settings.NuPost, max = (float)Settings.WeightMax;
        float[] w = Weights;
        for (int i = 0, k = neuron; i < Inputs; i++, k += Neurons)
            if (preTraces[i] > 0) w[k] = MathF.Min(max, w[k] + nu * preTraces[i]);
    }

    /// <summary>Exact rescaling, as Diehl &amp; Cook (no clipping: a weight may exceed w_max until STDP pulls it back).</summary>
    public override void Normalize(ref SampleRandom random)
    {
        ColumnSums(_sums);
        float[] factors = _factors;
        for (int j = 0; j < Neurons; j++) factors[j] = _sums[j] > 0 ? (float)(Settings.ColumnWeightSum / _sums[j]) : 1f;
        for (int i = 0; i < Inputs; i++)
        {
            Span<float> row = Weights.AsSpan(i * Neurons, Neurons);
            for (int j = 0; j < row.Length; j++) row[j] *= factors[j];
        }
    }
}
