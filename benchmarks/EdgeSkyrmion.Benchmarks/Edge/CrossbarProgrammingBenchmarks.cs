using BenchmarkDotNet.Attributes;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Runtime;

namespace EdgeSkyrmion.Benchmarks.Edge;

/// <summary>
/// The programming hot path: write-verify of 10,000 devices to alternating targets (pulses, verify reads, ledger
/// entries). Allocated bytes per operation must be zero.
/// </summary>
[MemoryDiagnoser]
public class CrossbarProgrammingBenchmarks
{
    private const int Devices = 10_000;
    private DeviceArray _array = null!;
    private byte[] _targetsA = null!;
    private byte[] _targetsB = null!;
    private bool _flip;
    private readonly ProgrammingOptions _options = new();

    [GlobalSetup]
    public void Setup()
    {
        StateTable table = Presets.Get(Presets.Default);
        _array = new DeviceArray(table, Devices, seed: 1);
        var rng = new Random(1);
        _targetsA = new byte[Devices];
        _targetsB = new byte[Devices];
        for (int d = 0; d < Devices; d++)
        {
            _targetsA[d] = (byte)rng.Next(table.States);
            _targetsB[d] = (byte)rng.Next(table.States);
        }
    }

    [Benchmark(OperationsPerInvoke = Devices)]
    public int ProgramOneDevice()
    {
        byte[] targets = (_flip = !_flip) ? _targetsA : _targetsB;
        _array.BeginProgrammingSession(idleS: 1);
        int verified = 0;
        for (int d = 0; d < Devices; d++)
            if (_array.Program(d, targets[d], _options.MaxPulsesPerDevice, _options.ReadsPerVerify).Verified) verified++;
        return verified;
    }
}
