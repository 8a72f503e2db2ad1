using static TorchSharp.torch;

namespace EdgeSkyrmion.Cloud.Training;

/// <summary>
/// Quantization-aware weights: a layer's weights snapped to the signed device levels the conversion will give them
/// (largest |W| over σ at the top level, the nearest level by magnitude, beyond the top clipped to it), with the
/// gradient passed straight through, plus, in training, Gaussian noise of the pair's read spread at its level.
/// </summary>
public sealed class DeviceLevelQuantizer
{
    private readonly float[] _magnitudes;
    private readonly float[] _midpoints;
    private readonly float[] _readSd;
    private readonly double _top;
    private readonly double _sigma;

    public DeviceLevelQuantizer(SpikingAwareOptions options)
    {
        _magnitudes = [0f, .. options.MagnitudesG0.Select(m => (float)m)];
        _midpoints = [.. _magnitudes.Zip(_magnitudes.Skip(1), (a, b) => (a + b) / 2)];
        _readSd = [.. options.PairReadSdG0.Select(s => (float)s)];
        _top = options.TopG0;
        _sigma = options.WeightSigma;
    }

    /// <summary>The weights as the device levels (in weight units) they will be programmed to; noisy reads when <paramref name="noise"/>.</summary>
    public Tensor Apply(Tensor weight, bool noise)
    {
        using var scope = NewDisposeScope();
        Tensor perG0 = (weight.abs().max() / (_sigma * _top)).detach();
        Tensor g0 = weight.detach() / perG0;
        Tensor index = bucketize(g0.abs(), tensor(_midpoints, device: weight.device));
        Tensor levels = tensor(_magnitudes, device: weight.device).index(index) * g0.sign();
        if (noise && _readSd.Any(s => s > 0))
            levels += randn_like(levels) * tensor(_readSd, device: weight.device).index(index);
        return (weight + (levels * perG0 - weight).detach()).MoveToOuterDisposeScope();
    }
}
