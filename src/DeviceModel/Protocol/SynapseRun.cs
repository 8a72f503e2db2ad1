using EdgeSkyrmion.DeviceModel.Physics;
using EdgeSkyrmion.DeviceModel.Readout;

namespace EdgeSkyrmion.DeviceModel.Protocol;

/// <summary>
/// Runs a <see cref="PulseProtocol"/> on a batch of devices of the particle model: pulses, idle time, gaps read through
/// the MTJ. Each step of the protocol advances every device alike; reads accumulate into preallocated sums.
/// </summary>
public sealed class SynapseRun
{
    private readonly IParticleBackend _backend;
    private readonly double[] _sum, _sumSquares;

    public SynapseRun(DeviceConfiguration configuration, PulseProtocol protocol, int devices, ulong seed, IParticleBackend backend, MtjReadout? readout = null)
    {
        Configuration = configuration.Validated();
        Protocol = protocol.Validated();
        Parameters = configuration.Parameters(seed);
        Readout = readout ?? new MtjReadout();
        _backend = backend;
        System = ParticleSystem.Nucleate(Parameters, devices);
        _sum = new double[devices];
        _sumSquares = new double[devices];
    }

    public DeviceConfiguration Configuration { get; }
    public PulseProtocol Protocol { get; }
    public ParticleParameters Parameters { get; }
    public MtjReadout Readout { get; }
    public ParticleSystem System { get; }

    /// <summary>Particle-steps advanced so far (all devices).</summary>
    public long ParticleSteps { get; private set; }

    /// <summary>Advances by <paramref name="durationS"/> with no current.</summary>
    public void Idle(double durationS) => Drive(0, durationS);

    /// <summary>Advances by <paramref name="durationS"/> under a signed current density along x.</summary>
    public void Drive(double currentDensityAPerM2, double durationS)
    {
        int steps = Steps(durationS);
        if (steps == 0) return;
        _backend.Advance(System, Parameters, currentDensityAPerM2, steps);
        ParticleSteps += (long)steps * System.Devices * System.Count;
    }

    /// <summary>One programming pulse, then the gap, read through.</summary>
    public GapReading Pulse(PulseDirection direction, string label)
    {
        Drive((int)direction * Protocol.CurrentDensityAPerM2, Protocol.PulseDurationS);
        return ReadGap(Protocol.GapS, label);
    }

    /// <summary>The initialization pulse, then a gap, read through.</summary>
    public GapReading InitializationPulse(string label)
    {
        Drive(Protocol.InitializationCurrentDensityAPerM2, Protocol.InitializationDurationS);
        return ReadGap(Protocol.GapS, label);
    }

    /// <summary>Idles for <paramref name="durationS"/>, reading every <see cref="PulseProtocol.ReadIntervalS"/> after the settling time.</summary>
    public GapReading ReadGap(double durationS, string label)
    {
        Array.Clear(_sum);
        Array.Clear(_sumSquares);
        Idle(Protocol.ReadSettleS);
        int reads = Math.Max(1, (int)Math.Round((durationS - Protocol.ReadSettleS) / Protocol.ReadIntervalS));
        for (int r = 0; r < reads; r++)
        {
            Idle(Protocol.ReadIntervalS);
            for (int d = 0; d < System.Devices; d++)
            {
                double g = Readout.ConductanceG0(System, Parameters, Configuration.Track, d);
                _sum[d] += g;
                _sumSquares[d] += g * g;
            }
        }
        var mean = new double[System.Devices];
        var sd = new double[System.Devices];
        var inside = new int[System.Devices];
        var past = new int[System.Devices];
        var left = new int[System.Devices];
        for (int d = 0; d < System.Devices; d++)
        {
            mean[d] = _sum[d] / reads;
            sd[d] = Math.Sqrt(Math.Max(0, _sumSquares[d] / reads - mean[d] * mean[d]));
            inside[d] = MtjReadout.SkyrmionsInReadArea(System, Configuration.Track, d);
            past[d] = SkyrmionsPastBarrier(d);
            left[d] = SkyrmionsLeft(d);
        }
        return new GapReading(label, mean, sd, inside, past, left);
    }

    private int SkyrmionsPastBarrier(int device)
    {
        int count = 0, b = device * System.Count;
        for (int i = 0; i < System.Count; i++)
            if (System.X[b + i] > Parameters.BarrierCenterXM) count++;
        return count;
    }

    private int SkyrmionsLeft(int device)
    {
        int count = 0, b = device * System.Count;
        for (int i = 0; i < System.Count; i++)
            if (!EdgeAnnihilation.IsAnnihilated(System.X[b + i])) count++;
        return count;
    }

    private int Steps(double durationS) => (int)Math.Round(durationS / Parameters.TimeStepS);
}
