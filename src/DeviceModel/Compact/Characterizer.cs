using System.Diagnostics;
using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Protocol;

namespace EdgeSkyrmion.DeviceModel.Compact;

/// <summary>
/// Produces a <see cref="StateTable"/> from the particle model: nucleate, relax, run the calibration LTP/LTD cycle,
/// measure the second cycle (states, read SDs, step probabilities, each device's LTP staircase, and what the top of
/// its range holds through an equilibration idle), then program five LTP pulses, idle for the equilibration time and
/// compare the next pulse with and without the initialization pulse (cold start, Fig. 8).
/// </summary>
public static class Characterizer
{
    /// <summary>Pulses applied before the idle of the cold-start experiment (paper Fig. 8a: after the 5th pulse).</summary>
    public const int PulsesBeforeIdle = 5;

    public sealed record Result(
        StateTable? Table,
        StateTableBuilder.Levels Levels,
        IReadOnlyList<GapReading> Calibration,
        IReadOnlyList<GapReading> Measured,
        GapReading BeforeIdle,
        GapReading Equilibrated,
        GapReading ColdPulse,
        GapReading Initialized,
        GapReading InitializedPulse,
        GapReading HeldTop,
        int[] StaircaseStates,
        int[] CycleStates,
        double WeightRangeG0,
        double HeldWeightRangeG0,
        double WallSeconds,
        long ParticleSteps);

    public static Result Run(DeviceConfiguration configuration, PulseProtocol protocol, int devices, ulong seed, IParticleBackend backend,
        string source, Action<double>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var run = new SynapseRun(configuration, protocol, devices, seed, backend);
        int total = 4 * protocol.PulsesPerDirection + PulsesBeforeIdle + 5, done = 0;
        void Tick() => progress?.Invoke((double)++done / total);

        run.Idle(protocol.NucleationRelaxationS);
        List<GapReading> calibration = [run.ReadGap(protocol.GapS, "nucleated")];
        Cycle(run, calibration, "calibration", Tick);
        List<GapReading> measured = [calibration[^1]];
        Pulses(run, measured, PulseDirection.Ltp, "cycle", Tick);
        // Fig. 5c: the top of the range as the device holds it through an equilibration idle and the initialization
        // pulse that programming after an idle starts with; skyrmions that went back around the barrier are lost to
        // the weight range. The branch is undone, so the LTD half runs exactly as without it.
        ParticleSystem top = run.System.Clone();
        run.Idle(protocol.EquilibrationS);
        GapReading heldTop = run.InitializationPulse("top of the cycle after equilibration");
        Tick();
        run.System.CopyFrom(top);
        Pulses(run, measured, PulseDirection.Ltd, "cycle", Tick);

        GapReading beforeIdle = measured[^1];
        for (int i = 0; i < PulsesBeforeIdle; i++) { beforeIdle = run.Pulse(PulseDirection.Ltp, "before idle"); Tick(); }
        run.Idle(protocol.EquilibrationS);
        GapReading equilibrated = run.ReadGap(protocol.GapS, "equilibrated");
        ParticleSystem snapshot = run.System.Clone();
        GapReading cold = run.Pulse(PulseDirection.Ltp, "cold pulse");
        Tick();
        run.System.CopyFrom(snapshot);
        GapReading initialized = run.InitializationPulse("initialization pulse");
        Tick();
        GapReading afterInit = run.Pulse(PulseDirection.Ltp, "pulse after initialization");
        Tick();

        StateTableBuilder.Levels levels = StateTableBuilder.DistinguishableLevels(measured);
        int[] staircase = StateTableBuilder.StaircaseStates(measured.Take(protocol.PulsesPerDirection + 1).ToList());
        int[] cycleStates = StateTableBuilder.CycleStates(measured);
        double range = WeightRange(measured);
        double heldRange = heldTop.MeanG0.Average() - measured.Min(g => g.MeanG0.Average());
        StateTable? table = levels.MeansG0.Length >= 2
            ? Build(configuration, protocol, levels, measured, equilibrated, cold, initialized, afterInit, source)
            : null;
        Tick();
        return new Result(table, levels, calibration, measured, beforeIdle, equilibrated, cold, initialized, afterInit, heldTop, staircase, cycleStates, range,
            heldRange, clock.Elapsed.TotalSeconds, run.ParticleSteps);
    }

    /// <summary>
    /// Skyrmions per device that went back around the barrier into the pre-synapse region while the top of the
    /// measured cycle idled (paper Sec. II: beyond 1.7 D_skr interspace they do, and the weight range falls).
    /// </summary>
    public static double BackCrossingsFromTop(Result r) =>
        r.Measured[r.Measured.Count / 2].SkyrmionsPastBarrier.Average() - r.HeldTop.SkyrmionsPastBarrier.Average(); // the middle read ends the LTP half

    /// <summary>
    /// The paper's valid weight range: the conductance range of the device-averaged second LTP/LTD cycle (Fig. 5b);
    /// <see cref="Result.HeldWeightRangeG0"/> is the part of it a device keeps through an idle (Fig. 5c).
    /// </summary>
    public static double WeightRange(IReadOnlyList<GapReading> cycle)
    {
        double[] averaged = cycle.Select(g => g.MeanG0.Average()).ToArray();
        return averaged.Max() - averaged.Min();
    }

    /// <summary>Eq. 3 for a pulse on this device: t = 3n nm of stack, the track's length and width.</summary>
    public static double PulseEnergyJ(DeviceConfiguration c, double currentDensityAPerM2, double durationS) =>
        PulseEnergy.Joules(c.Material.HeavyMetalResistivityOhmM, c.MultilayerRepeats * c.Material.RepeatThicknessM, c.Track.LengthM, c.Track.WidthM,
            currentDensityAPerM2, durationS);

    private static void Cycle(SynapseRun run, List<GapReading> into, string label, Action tick)
    {
        Pulses(run, into, PulseDirection.Ltp, label, tick);
        Pulses(run, into, PulseDirection.Ltd, label, tick);
    }

    private static void Pulses(SynapseRun run, List<GapReading> into, PulseDirection direction, string label, Action tick)
    {
        for (int i = 1; i <= run.Protocol.PulsesPerDirection; i++) { into.Add(run.Pulse(direction, $"{label} {direction.ToString().ToUpperInvariant()} {i}")); tick(); }
    }

    /// <summary>mml4-300K for the paper's 1.5 D_skr interspace; another design carries its interspace (mml4-is1.2-300K), so two designs never share a name.</summary>
    public static string TableName(DeviceConfiguration c) =>
        c.InterspaceDskr == new DeviceConfiguration().InterspaceDskr
            ? FormattableString.Invariant($"mml{c.MultilayerRepeats}-{c.TemperatureK:0.#}K")
            : FormattableString.Invariant($"mml{c.MultilayerRepeats}-is{c.InterspaceDskr:0.##}-{c.TemperatureK:0.#}K");

    private static StateTable Build(DeviceConfiguration c, PulseProtocol protocol, StateTableBuilder.Levels levels, List<GapReading> measured,
        GapReading equilibrated, GapReading cold, GapReading initialized, GapReading afterInit, string source)
    {
        int half = protocol.PulsesPerDirection;
        var readout = new Readout.MtjReadout();
        var levelsOnly = new StateTable
        {
            Name = TableName(c),
            Source = source,
            MultilayerRepeats = c.MultilayerRepeats,
            InterspaceDskr = c.InterspaceDskr,
            TemperatureK = c.TemperatureK,
            G0Siemens = readout.G0Siemens,
            StateMeansG0 = levels.MeansG0,
            StateSdsG0 = levels.SdsG0,
            DeviceToDeviceSdG0 = levels.DeviceToDeviceSdG0,
            LtpStepProbabilities = [],
            LtdStepProbabilities = [],
            PulseEnergyJ = PulseEnergyJ(c, protocol.CurrentDensityAPerM2, protocol.PulseDurationS),
            ReadEnergyJ = ReadEnergy.Joules(readout.G0Siemens * levels.MeansG0.Average()),
            PulseDurationS = protocol.PulseDurationS,
            EquilibrationTimeS = protocol.EquilibrationS,
            ColdStepProbability = 0,
            InitializationPulseEnergyJ = PulseEnergyJ(c, protocol.InitializationCurrentDensityAPerM2, protocol.InitializationDurationS),
            SkyrmionRadiusM = c.Skyrmion.RadiusM,
        };
        return (levelsOnly with
        {
            LtpStepProbabilities = StateTableBuilder.StepProbabilities(levelsOnly, measured.Take(half + 1).ToList(), PulseDirection.Ltp),
            LtdStepProbabilities = StateTableBuilder.StepProbabilities(levelsOnly, measured.Skip(half).ToList(), PulseDirection.Ltd),
            ColdStepProbability = StateTableBuilder.CrossedFraction(equilibrated, cold),
            InitializedStepProbability = StateTableBuilder.CrossedFraction(initialized, afterInit),
        }).Validated(source);
    }
}
