using System.Diagnostics;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Energy;

namespace EdgeSkyrmion.Edge.Stdp;

/// <summary>What to train: image count (cycling through the set), synapse kind, seed and the labelling pass.</summary>
public sealed record StdpTrainingOptions
{
    public int Images { get; init; } = 60_000;

    /// <summary>Device states per synapse; null trains ideal continuous weights.</summary>
    public int? DeviceStates { get; init; } = 6;

    /// <summary>The preset whose range and statistics the devices follow (resampled to <see cref="DeviceStates"/>).</summary>
    public required StateTable Preset { get; init; }

    public StdpProgramming Programming { get; init; } = StdpProgramming.Pulse;
    public int Seed { get; init; } = 1;

    /// <summary>Training images (the first ones) whose responses label the neurons.</summary>
    public int LabellingImages { get; init; } = 10_000;

    /// <summary>Threads of the labelling pass (training itself is sequential: STDP is causal).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    public StdpTrainingOptions Validated()
    {
        if (Images < 1) throw new ArgumentException($"--images {Images}: train on at least one image.");
        if (DeviceStates is { } n) DerivedStateTable.For(Preset, n);
        if (LabellingImages < 1) throw new ArgumentException($"--label-images {LabellingImages}: label on at least one image.");
        return this;
    }
}

/// <summary>A trained model and what training cost: wall time, presentations and the crossbar's learning energy.</summary>
public sealed record StdpTrainingResult(StdpModel Model, long Presentations, double TrainSeconds, double LabelSeconds,
    EnergyTally InitialProgramming, EnergyTally Learning)
{
    public double SamplesPerSecond => Model.ImagesTrained / TrainSeconds;
    public double LearningEnergyPerSampleJ => Learning.TotalEnergyJ / Model.ImagesTrained;
}

/// <summary>
/// Unsupervised training of the Diehl &amp; Cook network (paper Sec. III): D&amp;C's random initial weights (programmed
/// into the devices by write-verify in discrete mode), one pass of STDP over the images in order, then the neurons
/// are labelled by their responses to training images with learning off.
/// </summary>
public static class StdpTraining
{
    public static StdpTrainingResult Train(StdpSettings settings, DigitSet train, StdpTrainingOptions options,
        Action<string, double>? progress = null)
    {
        settings.Validated();
        options.Validated();
        int inputs = DiehlCookNetwork.Inputs, neurons = settings.Neurons;
        var initial = new float[inputs * neurons];
        var random = new SampleRandom(options.Seed, -1);
        for (int k = 0; k < initial.Length; k++) initial[k] = (float)((random.NextUniform() + 0.01) * settings.InitialWeightScale);

        SynapseMatrix synapses;
        DeviceArray? devices = null;
        EnergyTally initialProgramming = default;
        if (options.DeviceStates is { } states)
        {
            StateTable table = DerivedStateTable.For(options.Preset, states);
            devices = new DeviceArray(table, inputs * neurons, options.Seed);
            var deviceSynapses = new DeviceSynapses(inputs, neurons, settings, devices, options.Programming);
            deviceSynapses.ProgramInitial(initial, ref random);
            initialProgramming = devices.Ledger.Snapshot();
            synapses = deviceSynapses;
        }
        else
        {
            synapses = new ContinuousSynapses(inputs, neurons, settings, initial);
        }

        var thetaV = new double[neurons];
        var network = new DiehlCookNetwork(settings, synapses, thetaV);
        var counts = new int[neurons];
        long presentations = 0;
        var clock = Stopwatch.StartNew();
        for (int n = 0; n < options.Images; n++)
        {
            presentations += network.Present(train.Image(n % train.Count), learn: true, ref random, counts);
            if ((n & 63) == 63) progress?.Invoke("training", (double)(n + 1) / options.Images);
        }
        // Normalise once more so the stored weights are the ones the next presentation would see.
        synapses.Normalize(ref random);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        EnergyTally learning = devices is null ? default : devices.Ledger.Snapshot() - initialProgramming;
        float[] weights = (float[])synapses.Weights.Clone();
        int labelling = Math.Min(options.LabellingImages, train.Count);
        clock.Restart();
        int[][] responses = StdpResponses.Measure(settings, weights, thetaV, train, labelling, LabellingSeed(options.Seed),
            options.Threads, f => progress?.Invoke("labelling", f));
        int[] labels = NeuronLabels.Assign(responses, train.Labels.AsSpan(0, labelling), neurons);
        double labelSeconds = clock.Elapsed.TotalSeconds;

        var model = new StdpModel
        {
            Inputs = inputs,
            Neurons = neurons,
            DeviceStates = options.DeviceStates,
            StateTable = devices?.Table.Name,
            Programming = devices is null ? null : options.Programming,
            Seed = options.Seed,
            ImagesTrained = options.Images,
            LabellingImages = labelling,
            Settings = settings,
            ThetaV = thetaV,
            Labels = labels,
            Weights = weights,
            DeviceStateValues = devices?.States.ToArray(),
        };
        return new StdpTrainingResult(model.Validated("trained model"), presentations, trainSeconds, labelSeconds, initialProgramming, learning);
    }

    /// <summary>The labelling pass draws its input spikes from a stream apart from training's and evaluation's.</summary>
    private static int LabellingSeed(int seed) => unchecked(seed * 7919 + 104_729);
}
