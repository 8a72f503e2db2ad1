namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>Advances every device of a <see cref="ParticleSystem"/> by stochastic Heun steps under one current density.</summary>
public interface IParticleBackend : IDisposable
{
    /// <summary>"csharp", "ilgpu-cpu", "ilgpu-cuda", ...</summary>
    string Name { get; }

    void Advance(ParticleSystem system, in ParticleParameters p, double currentDensityAPerM2, int steps);
}
