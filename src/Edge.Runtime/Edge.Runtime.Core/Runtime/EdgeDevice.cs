using System.Diagnostics;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Durability;
using EdgeSkyrmion.Edge.Energy;

namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>
/// The wearable's crossbar with its durable state directory. Updates are applied with a write-ahead journal:
///
///   1. validate (base version, shape, target range) — a bad update changes nothing;
///   2. write journal.bin (atomic, fsynced): the update's devices, targets and the resulting image;
///   3. program the devices with write-verify (pulses and reads booked in the ledger);
///   4. write state.bin (atomic, fsynced) with the new version, image, device states and ledger — the commit point;
///   5. delete journal.bin.
///
/// Opening a state directory recovers: a journal whose update is already committed is deleted; a journal on top
/// of the committed version is re-run to completion (write-verify converges on the targets from wherever the
/// devices were left), so after a crash the device holds exactly the old version (crash before step 2) or the
/// new one, never a mix. Pulses spent before a crash are lost from the ledger with the process.
/// </summary>
public sealed partial class EdgeDevice
{
    public const string StateFileName = "state.bin";
    public const string JournalFileName = "journal.bin";

    private readonly ProgrammingOptions _options;
    private EdgeSnapshot _committed;

    public string StateDirectory { get; }
    public DeviceArray Devices { get; private set; }
    public CrossbarLayout? Layout { get; private set; }
    public EdgeSnapshot Committed => _committed;

    /// <summary>Set when opening the directory finished an interrupted update.</summary>
    public UpdateReport? Recovered { get; private set; }

    private EdgeDevice(string directory, EdgeSnapshot committed, ProgrammingOptions options)
    {
        StateDirectory = directory;
        _options = options;
        (Devices, Layout) = Materialize(committed);
        // The device array now owns the physical states; keeping a second copy would double the memory held.
        _committed = committed with { DeviceStates = [], FailedBits = [] };
    }

    /// <summary>Creates a state directory for a new device (no model yet). Refuses to overwrite an existing one.</summary>
    public static EdgeDevice Provision(string directory, string deviceId, StateTable table, int chipSeed, ProgrammingOptions? options = null)
    {
        if (string.IsNullOrWhiteSpace(deviceId)) throw new ArgumentException("device id must not be empty.");
        // A defective table is refused before anything is created.
        StateTable validated = table.Validated();
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, StateFileName);
        if (File.Exists(path)) throw new ArgumentException($"{directory} already holds a device state; open it instead.");
        var snapshot = new EdgeSnapshot
        {
            DeviceId = deviceId, ModelId = "", ModelVersion = 0, Image = [], Table = validated, ChipSeed = chipSeed,
            Layers = [], Targets = [], DeviceStates = [], FailedBits = [], Lifetime = default, UpdatesApplied = 0, LastProgrammedUnixS = 0,
        };
        snapshot.Save(path);
        return new EdgeDevice(directory, snapshot, options ?? new ProgrammingOptions());
    }

    /// <summary>Opens a state directory and recovers an interrupted update, if any.</summary>
    public static EdgeDevice Open(string directory, ProgrammingOptions? options = null)
    {
        string path = Path.Combine(directory, StateFileName);
        if (!File.Exists(path))
            throw new DirectoryNotFoundException($"{directory} holds no device state ({StateFileName} missing): provision the device first.");
        var device = new EdgeDevice(directory, EdgeSnapshot.Load(path), options ?? new ProgrammingOptions());
        device.RecoverJournal();
        return device;
    }

    /// <summary>Programs a full image (provisioning): every device gets its target. The shape may differ from what the device held.</summary>
    public UpdateReport ApplyImage(string updateId, string modelId, ulong newVersion, byte[] image,
        IReadOnlyList<(int Inputs, int Outputs)> layers, byte[] targets, Action<double>? progress = null)
    {
        var layout = new CrossbarLayout(layers);
        if (targets.Length != layout.DeviceCount)
            throw new InvalidDataException($"image {updateId}: {targets.Length} targets for a {layout.Shape} crossbar of {layout.DeviceCount} devices.");
        if (AlreadyHolds(modelId, newVersion, out UpdateReport? noop)) return noop!;
        RejectDowngrade(updateId, newVersion);
        CheckTargets(targets, updateId);
        var pending = new PendingUpdate
        {
            UpdateId = updateId, ModelId = modelId, BaseVersion = _committed.ModelVersion, NewVersion = newVersion,
            NewImage = image, Layers = layout.Layers.ToArray(), Devices = Enumerable.Range(0, targets.Length).ToArray(), NewTargets = targets,
        };
        if (!SameShape(layers)) Reshape(layers);
        return Run(pending, resumed: false, progress);
    }

    /// <summary>Applies a sparse update on top of the committed version: only the listed devices move.</summary>
    public UpdateReport ApplyDelta(string updateId, string modelId, ulong baseVersion, ulong newVersion, byte[] newImage,
        IReadOnlyList<(int Inputs, int Outputs)> layers, int[] devices, byte[] targets, Action<double>? progress = null)
    {
        if (AlreadyHolds(modelId, newVersion, out UpdateReport? noop)) return noop!;
        if (baseVersion != _committed.ModelVersion)
            throw new InvalidDataException($"update {updateId} is based on version {baseVersion}, the device holds version {_committed.ModelVersion}; nothing applied.");
        if (!SameShape(layers))
            throw new InvalidDataException($"update {updateId} is for a {new CrossbarLayout(layers).Shape} network, the device holds {Layout?.Shape ?? "none"}; nothing applied.");
        RejectDowngrade(updateId, newVersion);
        if (devices.Length != targets.Length) throw new InvalidDataException($"update {updateId}: {devices.Length} devices but {targets.Length} targets.");
        for (int i = 0; i < devices.Length; i++)
        {
            if ((uint)devices[i] >= (uint)Devices.Count)
                throw new InvalidDataException($"update {updateId}: device index {devices[i]} is outside the crossbar's {Devices.Count} devices.");
            if (i > 0 && devices[i] <= devices[i - 1])
                throw new InvalidDataException($"update {updateId}: device indices must be strictly ascending (index {i}).");
        }
        CheckTargets(targets, updateId);
        var pending = new PendingUpdate
        {
            UpdateId = updateId, ModelId = modelId, BaseVersion = baseVersion, NewVersion = newVersion,
            NewImage = newImage, Layers = Layout!.Layers.ToArray(), Devices = devices, NewTargets = targets,
        };
        return Run(pending, resumed: false, progress);
    }

    /// <summary>Commits the ledger (e.g. after inference reads) without touching the model or the devices.</summary>
    public void CommitLedger()
    {
        _committed = _committed with { Lifetime = Devices.Ledger.Snapshot() };
        Save();
    }

    /// <summary>Writes the committed snapshot with the devices' current physical states.</summary>
    private void Save() =>
        (_committed with { DeviceStates = Devices.States.ToArray(), FailedBits = Devices.FailedBits.ToArray() })
            .Save(Path.Combine(StateDirectory, StateFileName));

    /// <summary>The model image the device holds; throws when nothing has been programmed yet.</summary>
    public Protos.V1.ModelImage HeldImage() => _committed.Image.Length == 0
        ? throw new InvalidDataException($"device {_committed.DeviceId} holds no model yet: flash an image first.")
        : Protos.V1.ModelImage.Parser.ParseFrom(_committed.Image);

    private UpdateReport Run(PendingUpdate pending, bool resumed, Action<double>? progress)
    {
        var clock = Stopwatch.StartNew();
        string journal = Path.Combine(StateDirectory, JournalFileName);
        if (!resumed) pending.Save(journal);
        EnergyTally before = Devices.Ledger.Snapshot();
        double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Devices.BeginProgrammingSession(now - _committed.LastProgrammedUnixS);
        int verified = 0;
        int step = Math.Max(1, pending.Devices.Length / 200);
        for (int i = 0; i < pending.Devices.Length; i++)
        {
            if (Devices.Program(pending.Devices[i], pending.NewTargets[i], _options.MaxPulsesPerDevice, _options.ReadsPerVerify).Verified) verified++;
            if (progress is not null && i % step == 0) progress((double)i / pending.Devices.Length);
        }
        byte[] newTargets = _committed.Targets.Length == Devices.Count ? (byte[])_committed.Targets.Clone() : new byte[Devices.Count];
        for (int i = 0; i < pending.Devices.Length; i++) newTargets[pending.Devices[i]] = pending.NewTargets[i];
        EnergyTally spent = Devices.Ledger.Snapshot() - before;
        _committed = _committed with
        {
            ModelId = pending.ModelId,
            ModelVersion = pending.NewVersion,
            Image = pending.NewImage,
            Layers = Layout!.Layers.ToArray(),
            Targets = newTargets,
            Lifetime = Devices.Ledger.Snapshot(),
            UpdatesApplied = _committed.UpdatesApplied + 1,
            LastProgrammedUnixS = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
        };
        Save();
        AtomicFile.Delete(journal);
        progress?.Invoke(1);
        return new UpdateReport(pending.UpdateId, pending.BaseVersion, pending.NewVersion, false, resumed, pending.Devices.Length,
            verified, pending.Devices.Length - verified, spent, clock.Elapsed.TotalSeconds);
    }

    private void RecoverJournal()
    {
        string journal = Path.Combine(StateDirectory, JournalFileName);
        if (!File.Exists(journal)) return;
        PendingUpdate pending;
        try
        {
            pending = PendingUpdate.Load(journal);
        }
        catch (InvalidDataException)
        {
            // The journal is written atomically before any pulse, so an unreadable one was never acted on.
            AtomicFile.Delete(journal);
            return;
        }
        if (pending.NewVersion == _committed.ModelVersion && pending.ModelId == _committed.ModelId)
        {
            AtomicFile.Delete(journal);
            return;
        }
        if (pending.BaseVersion != _committed.ModelVersion)
            throw new InvalidDataException($"{journal}: journal for version {pending.BaseVersion}→{pending.NewVersion} does not follow the committed version {_committed.ModelVersion}.");
        ValidateJournal(pending, journal);
        if (!SameShape(pending.Layers)) Reshape(pending.Layers);
        Recovered = Run(pending, resumed: true, progress: null);
    }

    /// <summary>A journal names devices and targets the crossbar it describes can hold; anything else is refused before a pulse.</summary>
    private void ValidateJournal(PendingUpdate pending, string journal)
    {
        CrossbarLayout layout = CrossbarLayout.FromData(pending.Layers, journal);
        for (int i = 0; i < pending.Devices.Length; i++)
            if ((uint)pending.Devices[i] >= (uint)layout.DeviceCount || (i > 0 && pending.Devices[i] <= pending.Devices[i - 1]))
                throw new InvalidDataException($"{journal}: device index {pending.Devices[i]} at position {i} is outside the {layout.DeviceCount}-device crossbar or out of order.");
        CheckTargets(pending.NewTargets, pending.UpdateId);
    }

    private bool AlreadyHolds(string modelId, ulong version, out UpdateReport? report)
    {
        report = null;
        if (version != _committed.ModelVersion || modelId != _committed.ModelId || version == 0) return false;
        report = new UpdateReport("", version, version, true, false, 0, 0, 0, default, 0);
        return true;
    }

    private void RejectDowngrade(string updateId, ulong newVersion)
    {
        if (newVersion <= _committed.ModelVersion)
            throw new InvalidDataException($"update {updateId} would move the device from version {_committed.ModelVersion} to {newVersion}; versions only go up.");
    }

    private void CheckTargets(byte[] targets, string updateId)
    {
        int states = _committed.Table.States;
        for (int i = 0; i < targets.Length; i++)
            if (targets[i] >= states)
                throw new InvalidDataException($"update {updateId}: target state {targets[i]} at position {i} does not exist (the preset has {states} states).");
    }

    private bool SameShape(IReadOnlyList<(int Inputs, int Outputs)> layers) =>
        Layout is not null && Layout.Layers.SequenceEqual(layers);

    /// <summary>A full image of another shape reuses the chip's seed, so the devices keep their identity.</summary>
    private void Reshape(IReadOnlyList<(int Inputs, int Outputs)> layers)
    {
        var layout = new CrossbarLayout(layers);
        EnergyTally lifetime = Devices.Ledger.Snapshot();
        Devices = new DeviceArray(_committed.Table, layout.DeviceCount, _committed.ChipSeed, new EnergyLedger(lifetime));
        Layout = layout;
        _committed = _committed with { Targets = [] };
        if (TemperatureK is double kelvin) SenseTemperature(kelvin);
    }

    private static (DeviceArray, CrossbarLayout?) Materialize(EdgeSnapshot s)
    {
        CrossbarLayout? layout = s.Layers.Length == 0 ? null : CrossbarLayout.FromData(s.Layers, "state file");
        if ((layout?.DeviceCount ?? 0) != s.DeviceStates.Length)
            throw new InvalidDataException($"state file: a {layout?.Shape ?? "empty"} crossbar has {layout?.DeviceCount ?? 0} devices, the file holds {s.DeviceStates.Length} device states.");
        var devices = new DeviceArray(s.Table, layout?.DeviceCount ?? 0, s.ChipSeed, new EnergyLedger(s.Lifetime));
        if (layout is not null) devices.Restore(s.DeviceStates, s.FailedBits);
        return (devices, layout);
    }
}
