namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The plain C# path (the default): devices in parallel over the thread pool, each advanced by
/// <see cref="StochasticHeun"/>. Results for a seed do not depend on <see cref="MaxThreads"/>.
/// </summary>
public sealed class CpuParticleBackend(int maxThreads = -1) : IParticleBackend
{
    public string Name => "csharp";

    public int MaxThreads { get; } = maxThreads;

    public void Advance(ParticleSystem system, in ParticleParameters p, double currentDensityAPerM2, int steps)
    {
        ParticleParameters parameters = p;
        long first = system.Step;
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxThreads };
        Parallel.For(0, system.Devices, options, d => StochasticHeun.AdvanceDevice(system, parameters, currentDensityAPerM2, d, first, steps));
        system.Step = first + steps;
    }

    public void Dispose()
    {
    }
}
