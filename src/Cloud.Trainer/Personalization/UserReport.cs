using EdgeSkyrmion.Cloud.Fleet;

namespace EdgeSkyrmion.Cloud.Personalization;

/// <summary>
/// The operator's view of one user: base vs personalized accuracy on the user's test set (latest plan), the
/// personalized updates sent to their device and the energy they cost, and the device's health.
/// </summary>
public sealed record UserReport(string User, string Device, string HeldModel, int TrainSamples, int TestSamples, double? BaseAccuracy,
    double? PersonalAccuracy, string? EvaluatedWith, int Plans, int UpdatesSent, int UpdatesApplied, double EnergySpentFj, double EstimatedEnergyFj,
    int FailedSynapseDevices, int TotalDevices, IReadOnlyList<UpdateLog.Entry> Updates)
{
    public static UserReport For(FleetDatabase db, string userId)
    {
        var users = new UserStore(db);
        UserStore.User user = users.Get(userId);
        DeviceRegistry.Device? device = new DeviceRegistry(db).Find(user.DeviceId);
        IReadOnlyList<UserStore.Personalization> plans = users.Personalizations(userId);
        UserStore.Personalization? last = plans.Count > 0 ? plans[^1] : null;
        string modelId = UserStore.ModelId(userId);
        UpdateLog.Entry[] updates = [.. new UpdateLog(db).ForDevice(user.DeviceId).Where(u => u.ModelId == modelId)];
        UpdateLog.Entry[] applied = [.. updates.Where(u => u.Status == "applied")];
        return new UserReport(userId, user.DeviceId, device is null ? "none" : $"{device.ModelId} v{device.ModelVersion}",
            users.Samples(userId, Edge.Data.DigitSplit.Train).Count, users.Samples(userId, Edge.Data.DigitSplit.Test).Count,
            last?.BaseAccuracy, last?.PersonalAccuracy, last?.EvaluatedWith, plans.Count, updates.Length, applied.Length,
            applied.Sum(u => u.EnergyFj ?? 0), updates.Sum(u => u.EstimatedEnergyFj), device?.FailedDevices ?? 0, device?.TotalDevices ?? 0, updates);
    }

    public void Write(TextWriter o)
    {
        o.WriteLine($"user {User} wears {Device} (holds {HeldModel}); samples: {TrainSamples} train, {TestSamples} test");
        o.WriteLine(BaseAccuracy is { } b && PersonalAccuracy is { } p
            ? $"accuracy on the user's test set ({EvaluatedWith}): base {b:P2} -> personalized {p:P2} ({(p - b) * 100:+0.0;-0.0} points)"
            : "not personalized yet");
        o.WriteLine($"plans {Plans}; updates sent {UpdatesSent}, applied {UpdatesApplied}; energy spent {EnergySpentFj / 1e6:F3} nJ (estimated {EstimatedEnergyFj / 1e6:F3} nJ)");
        o.WriteLine($"device health: {FailedSynapseDevices} of {TotalDevices} devices failed to program");
        foreach (UpdateLog.Entry u in Updates)
            o.WriteLine($"  {u.ModelId} v{u.BaseVersion}->v{u.NewVersion} {u.Kind,-10} {u.Status,-8} {u.SynapsesChanged,8} synapses {u.Bytes,9} B {(u.EnergyFj ?? u.EstimatedEnergyFj) / 1e6,10:F3} nJ");
    }
}
