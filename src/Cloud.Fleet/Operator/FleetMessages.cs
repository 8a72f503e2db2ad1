using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Operator;

/// <summary>The stores' records as the operator contract's messages.</summary>
public static class FleetMessages
{
    public static DeviceInfo Device(DeviceRegistry.Device d) => new()
    {
        DeviceId = d.DeviceId, ModelId = d.ModelId, ModelVersion = d.ModelVersion, Shape = d.Shape, Preset = d.Preset, LastSeenUnixMs = d.LastSeenMs ?? 0,
        FailedDevices = (uint)d.FailedDevices, TotalDevices = (uint)d.TotalDevices, LifetimeEnergyFj = d.LifetimeEnergyFj, TemperatureK = d.TemperatureK ?? 0,
        Health = d.ModelVersion == 0 ? DeviceHealth.NoModel : d.FailedDevices > 0 ? DeviceHealth.Degraded : DeviceHealth.Healthy,
    };

    public static UpdateRecord Update(UpdateLog.Entry u) => new()
    {
        UpdateId = u.UpdateId, RolloutId = u.RolloutId ?? "", DeviceId = u.DeviceId, ModelId = u.ModelId, BaseVersion = u.BaseVersion, NewVersion = u.NewVersion,
        Kind = u.Kind, Bytes = (uint)u.Bytes, SynapsesChanged = (uint)u.SynapsesChanged, EstimatedPulses = (ulong)u.EstimatedPulses,
        EstimatedEnergyFj = u.EstimatedEnergyFj, Outcome = u.Outcome, Reason = u.Reason ?? "", Pulses = (ulong)(u.Pulses ?? 0), EnergyFj = u.EnergyFj ?? 0,
        ProgrammingSeconds = u.ProgrammingSeconds ?? 0, CreatedUnixMs = u.CreatedMs, AckedUnixMs = u.AckedMs ?? 0,
    };

    public static ModelEntry Model(ModelCatalog.Entry e) => new()
    {
        ModelId = e.ModelId, Version = e.Version, Shape = e.Shape, Preset = e.Preset, Levels = e.Levels, Bytes = (uint)e.Bytes, Sha256 = e.Sha256,
        PublishedUnixMs = e.PublishedMs,
    };

    public static User User(UserStore.User u) => new() { UserId = u.UserId, DeviceId = u.DeviceId, CreatedUnixMs = u.CreatedMs };

    public static UserStore.Personalization Personalization(Protos.V1.Personalization p) => new(p.UserId, p.ModelId, p.Version, p.BaseAccuracy,
        p.PersonalAccuracy, p.EvaluatedWith, (int)p.SynapsesChanged, (long)p.SynapsesTotal, p.Pulses, p.EnergyFj, p.FullEnergyFj, (int)p.Bytes,
        p.BudgetFj > 0 ? p.BudgetFj : null, p.CreatedUnixMs > 0 ? p.CreatedUnixMs : FleetDatabase.NowMs(),
        [.. p.Curve.Select(c => new UserStore.CurvePoint(c.EnergyFraction, c.EnergyFj, (int)c.SynapsesChanged, c.Accuracy))]);

    public static BudgetPoint Point(UserStore.CurvePoint c) => new()
    {
        EnergyFraction = c.EnergyFraction, EnergyFj = c.EnergyFj, SynapsesChanged = (uint)c.SynapsesChanged, Accuracy = c.Accuracy,
    };
}
