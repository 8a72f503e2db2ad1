using System.Diagnostics;
using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Protocol;

namespace EdgeSkyrmion.DeviceModel.Compact;

/// <summary>
/// Retention on the particle model: devices are programmed to a spread of states (nucleate, relax, the calibration
/// LTP/LTD cycle, then k LTP pulses for each k of <c>ltpPulses</c>, one branch each), then left idle with no current.
/// Through the idle, window by window, every skyrmion's side of the barrier is tracked: one that was past the barrier
/// and is now clear of it on the pre-synapse side crossed back (post → pre); the reverse is a forward escape. Events are
/// booked to the state the device started its idle in (the reference table's state nearest its gap read after
/// programming), with the device-seconds spent idle in that state as exposure, so rate = events / exposure. Counting
/// starts after a settling idle that is not booked.
/// </summary>
public static class RetentionRun
{
    /// <summary>
    /// One temperature's idle: exposure (device-seconds), back-crossings and forward escapes per starting state,
    /// back-crossings summed over the branches up to the end of each count window, and the wall time.
    /// </summary>
    public sealed record Result(
        double TemperatureK,
        double IdleS,
        int Devices,
        double[] ExposureDeviceS,
        int[] BackCrossings,
        int[] ForwardEscapes,
        int[] CumulativeBackCrossings,
        double WallSeconds);

    public static Result Run(DeviceConfiguration configuration, PulseProtocol protocol, StateTable reference, int devices, ulong seed,
        IParticleBackend backend, int[] ltpPulses, double idleS, int windows, double settleS = 0, Action<double>? progress = null)
    {
        if (!(settleS >= 0)) throw new ArgumentException("retention: the settling time must be ≥ 0 s.");
        if (ltpPulses.Length == 0 || ltpPulses.Any(k => k < 0)) throw new ArgumentException("retention: give at least one LTP pulse count, each ≥ 0.");
        if (!(idleS > 0) || windows < 1) throw new ArgumentException("retention: the idle must be > 0 s and split into ≥ 1 window.");
        var clock = Stopwatch.StartNew();
        var run = new SynapseRun(configuration, protocol, devices, seed, backend);
        run.Idle(protocol.NucleationRelaxationS);
        for (int i = 0; i < protocol.PulsesPerDirection; i++) run.Pulse(PulseDirection.Ltp, "calibration LTP");
        for (int i = 0; i < protocol.PulsesPerDirection; i++) run.Pulse(PulseDirection.Ltd, "calibration LTD");
        ParticleSystem calibrated = run.System.Clone();

        int states = reference.States;
        var exposure = new double[states];
        var back = new int[states];
        var forward = new int[states];
        var cumulative = new int[windows];
        var startState = new int[devices];
        var postSide = new bool[devices * run.System.Count];
        double window = idleS / windows;
        int done = 0, total = ltpPulses.Length * windows;
        foreach (int k in ltpPulses)
        {
            run.System.CopyFrom(calibrated);
            GapReading programmed = k == 0 ? run.ReadGap(protocol.GapS, "programmed") : run.Pulse(PulseDirection.Ltp, "programmed");
            for (int i = 1; i < k; i++) programmed = run.Pulse(PulseDirection.Ltp, "programmed");
            for (int d = 0; d < devices; d++)
            {
                startState[d] = CompactSynapse.NearestState(reference, programmed.MeanG0[d]);
                exposure[startState[d]] += idleS;
            }
            // Skyrmions still moving from the last pulse finish their passage during the settling time; counting
            // starts after it, so the rate is that of the idle device, not of the programming transient.
            run.Idle(settleS);
            for (int i = 0; i < postSide.Length; i++) postSide[i] = run.System.X[i] > run.Parameters.BarrierCenterXM;
            for (int w = 0; w < windows; w++)
            {
                run.Idle(window);
                for (int i = 0; i < postSide.Length; i++)
                {
                    // A crossing counts once the skyrmion is clear of the barrier on the other side, so one wandering
                    // in the gap is not booked back and forth.
                    double x = run.System.X[i];
                    if (EdgeAnnihilation.IsAnnihilated(x)) continue; // lost at an edge: no crossing
                    int d = i / run.System.Count;
                    if (postSide[i] && x < run.Parameters.BarrierCenterXM - run.Parameters.BarrierHalfLengthM)
                    {
                        postSide[i] = false;
                        back[startState[d]]++;
                        cumulative[w]++;
                    }
                    else if (!postSide[i] && x > run.Parameters.BarrierCenterXM + run.Parameters.BarrierHalfLengthM)
                    {
                        postSide[i] = true;
                        forward[startState[d]]++;
                    }
                }
                progress?.Invoke((double)++done / total);
            }
        }
        for (int w = 1; w < windows; w++) cumulative[w] += cumulative[w - 1];
        return new Result(configuration.TemperatureK, idleS, devices * ltpPulses.Length, exposure, back, forward, cumulative,
            clock.Elapsed.TotalSeconds);
    }
}
