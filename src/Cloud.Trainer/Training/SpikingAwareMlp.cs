using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeSkyrmion.Cloud.Training;

/// <summary>
/// The bias-free MLP as its spiking network computes: weights quantized to device levels
/// (<see cref="DeviceLevelQuantizer"/>, read noise while training), QCFS activations with one trained clip per
/// hidden layer, optional dropout after each.
/// </summary>
public sealed class SpikingAwareMlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers;
    private readonly Parameter clips;
    private readonly Dropout? dropout;
    private readonly DeviceLevelQuantizer _quantizer;
    private readonly int _steps;

    public SpikingAwareMlp(IReadOnlyList<Linear> linear, double[] hiddenClips, SpikingAwareOptions options, double dropoutRate)
        : base(nameof(SpikingAwareMlp))
    {
        if (hiddenClips.Length != linear.Count - 1 || hiddenClips.Any(c => !(c > 0)))
            throw new ArgumentException($"{linear.Count - 1} hidden layers need as many positive clips (got {string.Join(", ", hiddenClips)}).");
        layers = nn.ModuleList([.. linear]);
        clips = nn.Parameter(tensor(hiddenClips.Select(c => (float)c).ToArray()));
        dropout = dropoutRate > 0 ? nn.Dropout(dropoutRate) : null;
        _quantizer = new DeviceLevelQuantizer(options);
        _steps = options.ActivationSteps;
        RegisterComponents();
    }

    /// <summary>The trained clip λ of each hidden layer.</summary>
    public double[] HiddenClips() => [.. clips.data<float>().ToArray().Select(c => (double)c)];

    public override Tensor forward(Tensor x)
    {
        for (int l = 0; l < layers.Count; l++)
        {
            x = nn.functional.linear(x, _quantizer.Apply(layers[l].weight!, training));
            if (l + 1 == layers.Count) break;
            x = QcfsActivation.Apply(x, clips[l], _steps);
            if (dropout is not null) x = dropout.forward(x);
        }
        return x;
    }
}
