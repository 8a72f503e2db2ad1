using static TorchSharp.torch;

namespace EdgeSkyrmion.Cloud.Training;

/// <summary>
/// The quantization clip-floor-shift activation (QCFS, Bu et al. 2022): h(z) = λ/L · clip(⌊z·L/λ + ½⌋, 0, L).
/// It is what an integrate-and-fire neuron with threshold λ, reset by subtraction and starting at λ/2 emits in L
/// steps of constant input z, counted in units of λ/L, so a network trained with it converts with no
/// quantization error in its first layer and a small one in deeper layers at T = L. The floor passes its gradient
/// straight through; λ is trained by the gradient of both of its uses.
/// </summary>
public static class QcfsActivation
{
    public const double Shift = 0.5;

    public static Tensor Apply(Tensor z, Tensor clip, int steps)
    {
        Tensor scaled = z * (steps / clip) + Shift;
        Tensor floored = scaled + (scaled.floor() - scaled).detach();
        return floored.clamp(0, steps) * (clip / steps);
    }
}
