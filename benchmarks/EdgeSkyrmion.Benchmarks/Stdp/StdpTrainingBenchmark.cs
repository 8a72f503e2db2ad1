using BenchmarkDotNet.Attributes;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Stdp;

namespace EdgeSkyrmion.Benchmarks.Stdp;

/// <summary>
/// One STDP training sample (350 ms presentation + rest, learning on) of the 400-neuron Diehl &amp; Cook network on
/// MNIST, continuous and 6-state device synapses; samples/s = 1 / mean. Needs MNIST: set ES_MNIST_DIR or run from the
/// repository root after `data fetch`.
/// </summary>
[MemoryDiagnoser]
public class StdpTrainingBenchmark
{
    private DigitSet _train = null!;
    private DiehlCookNetwork _network = null!;
    private int[] _counts = null!;
    private SampleRandom _random;
    private int _next;

    [Params("continuous", "6")]
    public string States { get; set; } = "continuous";

    [GlobalSetup]
    public void Setup()
    {
        string dir = Environment.GetEnvironmentVariable("ES_MNIST_DIR") ?? Path.Combine(FindRoot(), "data", "mnist");
        _train = DigitSet.Load(dir, DigitSplit.Train);
        var settings = new StdpSettings();
        int synapses = DiehlCookNetwork.Inputs * settings.Neurons;
        _random = new SampleRandom(1, 0);
        var initial = new float[synapses];
        for (int k = 0; k < synapses; k++) initial[k] = (float)((_random.NextUniform() + 0.01) * settings.InitialWeightScale);
        SynapseMatrix matrix;
        if (States == "continuous")
        {
            matrix = new ContinuousSynapses(DiehlCookNetwork.Inputs, settings.Neurons, settings, initial);
        }
        else
        {
            StateTable table = DerivedStateTable.For(Presets.Get(Presets.Default), int.Parse(States, System.Globalization.CultureInfo.InvariantCulture));
            var device = new DeviceSynapses(DiehlCookNetwork.Inputs, settings.Neurons, settings, new DeviceArray(table, synapses, 1), StdpProgramming.Pulse);
            device.ProgramInitial(initial, ref _random);
            matrix = device;
        }
        _network = new DiehlCookNetwork(settings, matrix, new double[settings.Neurons]);
        _counts = new int[settings.Neurons];
        // Warm the network past the first, unrepresentative images.
        for (int n = 0; n < 200; n++) TrainOne();
    }

    [Benchmark]
    public int TrainOne() => _network.Present(_train.Image(_next++ % _train.Count), learn: true, ref _random, _counts);

    private static string FindRoot()
    {
        for (string? d = AppContext.BaseDirectory; d is not null; d = Path.GetDirectoryName(d))
            if (File.Exists(Path.Combine(d, "EdgeSkyrmion.sln"))) return d;
        return Directory.GetCurrentDirectory();
    }
}
