using EdgeSkyrmion.DeviceModel.Protocol;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Energy;

namespace EdgeSkyrmion.Edge.Crossbar;

/// <summary>
/// A flat array of modelled skyrmionic synapses driven by the compact model of one <see cref="StateTable"/>.
/// Each device has its own state, its own device-to-device conductance offset (drawn once from the array's seed,
/// so the same seed is the same physical chip), a "warm" flag (initialized in this programming session) and a
/// "failed" flag (write-verify could not reach its target). Every pulse and read is booked in <see cref="Ledger"/>.
///
/// Memory: 2 bytes per device plus two bit sets, so the doubled 784-1200-1200-10 network (4.8 M devices) fits in
/// about 11 MB.
/// </summary>
public sealed class DeviceArray
{
    /// <summary>Offsets are stored as signed bytes of this many device-to-device SDs: ±6.35 SD at 0.05 SD resolution.</summary>
    private const double OffsetCodesPerSd = 20;

    private readonly byte[] _states;
    private readonly sbyte[] _offsetCodes;
    private readonly ulong[] _warm;
    private readonly ulong[] _failed;
    private double _offsetStepG0;
    private GaussianSource _noise;

    public StateTable Table { get; private set; }
    public int Count => _states.Length;
    public int Seed { get; }
    public EnergyLedger Ledger { get; }

    public DeviceArray(StateTable table, int count, int seed, EnergyLedger? ledger = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Table = table;
        Seed = seed;
        Ledger = ledger ?? new EnergyLedger();
        _states = new byte[count];
        _offsetCodes = new sbyte[count];
        _warm = new ulong[(count + 63) / 64];
        _failed = new ulong[(count + 63) / 64];
        _offsetStepG0 = table.DeviceToDeviceSdG0 / OffsetCodesPerSd;
        var fabrication = new GaussianSource(seed);
        for (int i = 0; i < count; i++)
            _offsetCodes[i] = (sbyte)Math.Clamp(Math.Round(fabrication.NextStandardNormal() * OffsetCodesPerSd), -127, 127);
        _noise = new GaussianSource(unchecked(seed * 31 + 17));
    }

    /// <summary>
    /// Reads and programs from here on with the table of the device's present temperature (see
    /// <see cref="TemperatureTables"/>): same states, that temperature's conductances, spreads and step probabilities.
    /// Each device keeps its fabrication offset in units of the table's device-to-device SD.
    /// </summary>
    public void UseTable(StateTable table)
    {
        if (table.States != Table.States)
            throw new ArgumentException($"table {table.Name} has {table.States} states, the devices hold states of {Table.Name} ({Table.States}).");
        Table = table;
        _offsetStepG0 = table.DeviceToDeviceSdG0 / OffsetCodesPerSd;
    }

    /// <summary>The device's state moved without a pulse (drift while idle, see <see cref="DeviceAging"/>).</summary>
    public void Drift(int device, int state) => _states[device] = (byte)state;

    /// <summary>Devices whose physical state differs from <paramref name="targets"/> (what an image asks for).</summary>
    public int CountOffTarget(ReadOnlySpan<byte> targets)
    {
        int count = 0;
        for (int d = 0; d < targets.Length; d++)
            if (_states[d] != targets[d]) count++;
        return count;
    }

    /// <summary>Restarts the read and pulse noise from <paramref name="seed"/>, so a block of reads can be reproduced.</summary>
    public void ReseedReadNoise(int seed) => _noise = new GaussianSource(seed);

    /// <summary>The device's physical state (what it holds, as opposed to what a read says).</summary>
    public int State(int device) => _states[device];

    /// <summary>The physical states of all devices, for persistence.</summary>
    public ReadOnlySpan<byte> States => _states;

    public double OffsetG0(int device) => _offsetCodes[device] * _offsetStepG0;

    public bool IsFailed(int device) => (_failed[device >> 6] & (1UL << device)) != 0;

    public int FailedCount => _failed.Sum(w => System.Numerics.BitOperations.PopCount(w));

    /// <summary>Restores persisted physical states and failure flags (the devices are non-volatile).</summary>
    public void Restore(ReadOnlySpan<byte> states, ReadOnlySpan<ulong> failed)
    {
        if (states.Length != _states.Length || failed.Length != _failed.Length)
            throw new InvalidDataException($"restored crossbar has {states.Length} devices, this array has {_states.Length}.");
        for (int i = 0; i < states.Length; i++)
            if (states[i] >= Table.States)
                throw new InvalidDataException($"device {i} is in state {states[i]}, the preset has {Table.States} states.");
        states.CopyTo(_states);
        failed.CopyTo(_failed);
    }

    public ReadOnlySpan<ulong> FailedBits => _failed;

    /// <summary>
    /// Starts a programming session. After an idle longer than the preset's equilibration time the skyrmions have
    /// settled and programming stalls, so every device needs the initialization pulse again before it moves.
    /// </summary>
    public void BeginProgrammingSession(double idleS)
    {
        if (idleS > Table.EquilibrationTimeS) Array.Clear(_warm);
    }

    public bool IsWarm(int device) => (_warm[device >> 6] & (1UL << device)) != 0;

    /// <summary>The 25 ns, 5 MA/cm² initialization pulse: restores the modulation curve of a cold device.</summary>
    public void Initialize(int device)
    {
        Ledger.InitializationPulse(Table.InitializationPulseEnergyJ);
        _warm[device >> 6] |= 1UL << device;
    }

    /// <summary>One 2 ns programming pulse; returns the device's new physical state.</summary>
    public int Pulse(int device, PulseDirection direction)
    {
        Ledger.ProgrammingPulse(Table.PulseEnergyJ);
        int next = CompactSynapse.ApplyPulse(Table, _states[device], direction, !IsWarm(device), _noise.NextUniform());
        _states[device] = (byte)next;
        return next;
    }

    /// <summary>One MTJ read in units of G0, with this device's offset and the state's read noise; booked.</summary>
    public double Read(int device)
    {
        Ledger.Read(Table.ReadEnergyJ);
        return Sense(device, _noise.NextStandardNormal());
    }

    /// <summary>The conductance a read would return for a given noise draw, without booking it (the caller books reads in bulk).</summary>
    public double Sense(int device, double standardNormal) =>
        CompactSynapse.ReadG0(Table, _states[device], OffsetG0(device), standardNormal);

    /// <summary>A read for inference snapshots: noisy or not, booked by the caller per synaptic event.</summary>
    public double SenseForInference(int device, bool readNoise) => Sense(device, readNoise ? _noise.NextStandardNormal() : 0);

    /// <summary>
    /// Write-verify: initialize if cold, then read (averaging <paramref name="readsPerVerify"/> reads) and pulse
    /// toward <paramref name="target"/> until two successive averaged reads give the target or
    /// <paramref name="maxPulses"/> pulses are spent. Verification is by read: a device whose fixed offset makes
    /// a neighbouring state read as the target is left there, since its conductance is what inference sees. A device that does not verify is flagged failed (and cleared when a later program succeeds).
    /// </summary>
    public ProgramOutcome Program(int device, int target, int maxPulses, int readsPerVerify)
    {
        if ((uint)target >= (uint)Table.States)
            throw new ArgumentOutOfRangeException(nameof(target), target, $"the preset has states 0–{Table.States - 1}.");
        int pulses = 0, inits = 0, reads = 0;
        while (true)
        {
            int read = VerifiedState(device, readsPerVerify);
            reads += readsPerVerify;
            if (read == target)
            {
                // A second, independent averaged read must agree: one read near a state boundary can pass by noise.
                read = VerifiedState(device, readsPerVerify);
                reads += readsPerVerify;
            }
            if (read == target)
            {
                _failed[device >> 6] &= ~(1UL << device);
                return new ProgramOutcome(true, pulses, inits, reads, read);
            }
            if (pulses == maxPulses)
            {
                _failed[device >> 6] |= 1UL << device;
                return new ProgramOutcome(false, pulses, inits, reads, read);
            }
            if (!IsWarm(device))
            {
                Initialize(device);
                inits++;
            }
            Pulse(device, target > read ? PulseDirection.Ltp : PulseDirection.Ltd);
            pulses++;
        }
    }

    /// <summary>
    /// How far inside its state's window an averaged read must lie, in SDs of that average, for one average to settle it:
    /// a device outside the window reaches that far in by noise with probability below 0.14 %.
    /// </summary>
    public const double ClearReadSds = 3;

    /// <summary>
    /// One averaged read (<paramref name="reads"/> reads, booked) that says <paramref name="target"/> and lies at least
    /// <see cref="ClearReadSds"/> SDs of the average inside the target's window. A refresh accepts such a device without
    /// write-verify's confirming second average; any other device goes through <see cref="Program"/>.
    /// </summary>
    public bool ReadsClearlyAs(int device, int target, int reads)
    {
        double mean = AveragedRead(device, reads);
        double[] means = Table.StateMeansG0;
        double margin = ClearReadSds * Table.StateSdsG0[target] / Math.Sqrt(reads);
        return (target == 0 || mean - (means[target - 1] + means[target]) / 2 >= margin)
            && (target == means.Length - 1 || (means[target] + means[target + 1]) / 2 - mean >= margin);
    }

    private int VerifiedState(int device, int reads) => CompactSynapse.NearestState(Table, AveragedRead(device, reads));

    private double AveragedRead(int device, int reads)
    {
        double sum = 0;
        for (int r = 0; r < reads; r++) sum += Read(device);
        return sum / reads;
    }
}
