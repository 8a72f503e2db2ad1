using BenchmarkDotNet.Attributes;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.Benchmarks.DeviceModel;

/// <summary>
/// Particle steps of 1,000 n = 4 devices at 300 K under a 30 MA/cm² pulse (20 skyrmions each): the plain C# path
/// and ILGPU's CPU accelerator. Particle-steps/s = 1000 · 20 · Steps / mean time.
/// Run: dotnet run -c Release --project benchmarks/EdgeSkyrmion.Benchmarks -- --filter '*ParticleStep*'
/// </summary>
[MemoryDiagnoser]
public class ParticleStepBenchmarks
{
    private const int Devices = 1000;
    private ParticleParameters _parameters;
    private ParticleSystem _system = null!;
    private CpuParticleBackend _csharp = null!;
    private IlgpuParticleBackend _ilgpu = null!;

    [GlobalSetup]
    public void Setup()
    {
        _parameters = new DeviceConfiguration { MultilayerRepeats = 4, TemperatureK = 300 }.Parameters(1);
        _system = ParticleSystem.Nucleate(_parameters, Devices);
        _csharp = new CpuParticleBackend();
        _ilgpu = new IlgpuParticleBackend(cpuOnly: true);
    }

    [GlobalCleanup]
    public void Cleanup() => _ilgpu.Dispose();

    /// <summary>10 steps of every device on the C# path (200,000 particle-steps).</summary>
    [Benchmark(Baseline = true)]
    public void CSharpTenSteps() => _csharp.Advance(_system, _parameters, 30e10, 10);

    /// <summary>10 steps of every device on ILGPU's CPU accelerator (200,000 particle-steps).</summary>
    [Benchmark]
    public void IlgpuCpuTenSteps() => _ilgpu.Advance(_system, _parameters, 30e10, 10);
}
