using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>
/// What the wrist studies (<see cref="LifetimeSimulation"/>, <see cref="RefreshIntervalStudy"/>) share: a device's held image,
/// layout and targets, its table family and drift law, the skin temperature, and copies of its crossbar to age — the state
/// directory is never changed. <see cref="Evaluate"/> classifies test images with read noise on the table of the given temperature.
/// </summary>
internal sealed class WristBench
{
    private readonly ModelImage _image;
    private readonly IDigitSource _test;
    private readonly int _images;
    private readonly EdgeInference.Options _inference;
    private readonly DeviceArray _source;

    public CrossbarLayout Layout { get; }
    public TemperatureTables Tables { get; }
    public SkinTemperatureTrace Trace { get; }
    public DriftLaw Law { get; }
    public byte[] Targets { get; }
    public int States => _source.Table.States;

    public WristBench(EdgeDevice device, IDigitSource test, int images, int timesteps, ulong seed, SkinTemperatureTrace? trace, double barrierShiftJ = 0)
    {
        if (images < 1 || images > test.Count) throw new ArgumentException($"images per evaluation must be 1–{test.Count} (got {images}).");
        _image = device.HeldImage();
        Layout = device.Layout!;
        Tables = TemperatureTables.ForDesign(device.Committed.Table);
        Trace = trace ?? new SkinTemperatureTrace(Seed: seed);
        DriftLaw law = Tables.At(Trace.At(0)).Drift
            ?? throw new InvalidDataException($"table {Tables.At(Trace.At(0)).Name} has no drift law: fit one with `device retention --attach`.");
        Law = barrierShiftJ == 0 ? law
            : BarrierDriftLaw.ShiftedBy(law, barrierShiftJ, $"{law.Source}, barrier shifted by {barrierShiftJ / DriftFit.ElectronVoltJ:G4} eV (sensitivity study)");
        Targets = device.Committed.Targets;
        _source = device.Devices;
        _test = test;
        _images = images;
        _inference = new EdgeInference.Options(timesteps, ReadNoise: true, Seed: seed);
    }

    /// <summary>Mean time a device stays in each state under <see cref="Law"/> at <paramref name="temperatureK"/>, days.</summary>
    public double[] StateLifetimesDays(double temperatureK) =>
        [.. Enumerable.Range(0, States).Select(s => 1 / (Law.DownRatePerS(s, temperatureK) + Law.UpRatePerS(s, temperatureK)) / 86_400)];

    /// <summary>The same chip holding the same states, with its own ledger: a study never touches the device's.</summary>
    public DeviceArray Copy() => Copy(_source);

    public static DeviceArray Copy(DeviceArray source)
    {
        var copy = new DeviceArray(source.Table, source.Count, source.Seed);
        copy.Restore(source.States, source.FailedBits);
        return copy;
    }

    /// <summary>Test accuracy of <paramref name="devices"/> read at <paramref name="temperatureK"/>; the read energy of one inference, fJ.</summary>
    public double Evaluate(DeviceArray devices, double temperatureK, out double energyPerInferenceFj)
    {
        devices.UseTable(Tables.At(temperatureK));
        EdgeInference.Result r = new EdgeInference(devices, Layout, _image).Run(_test, _images, _inference);
        energyPerInferenceFj = r.EnergyPerInferenceFj;
        return r.Accuracy;
    }
}
