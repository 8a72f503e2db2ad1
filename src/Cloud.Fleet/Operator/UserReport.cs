using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Operator;

/// <summary>
/// The operator's view of one user: base vs personalized accuracy on the user's test set (latest plan), the
/// personalized updates sent to their device and the energy they cost, and the device's health.
/// </summary>
public static class UserReport
{
    public static Protos.V1.UserReport For(FleetDatabase db, string userId)
    {
        var users = new UserStore(db);
        UserStore.User user = users.Get(userId);
        DeviceRegistry.Device? device = new DeviceRegistry(db).Find(user.DeviceId);
        IReadOnlyList<UserStore.Personalization> plans = users.Personalizations(userId);
        UserStore.Personalization? last = plans.Count > 0 ? plans[^1] : null;
        string modelId = UserStore.ModelId(userId);
        UpdateLog.Entry[] updates = [.. new UpdateLog(db).ForDevice(user.DeviceId).Where(u => u.ModelId == modelId)];
        UpdateLog.Entry[] applied = [.. updates.Where(u => u.Outcome == UpdateOutcome.Applied)];
        return new Protos.V1.UserReport
        {
            UserId = userId, DeviceId = user.DeviceId, HeldModel = device is null || device.ModelVersion == 0 ? "none" : $"{device.ModelId} v{device.ModelVersion}",
            TrainSamples = (uint)users.Samples(userId, DigitSplit.Train).Count, TestSamples = (uint)users.Samples(userId, DigitSplit.Test).Count,
            Personalized = last is not null, BaseAccuracy = last?.BaseAccuracy ?? 0, PersonalAccuracy = last?.PersonalAccuracy ?? 0,
            EvaluatedWith = last?.EvaluatedWith ?? "", Plans = (uint)plans.Count, UpdatesSent = (uint)updates.Length, UpdatesApplied = (uint)applied.Length,
            EnergySpentFj = applied.Sum(u => u.EnergyFj ?? 0), EstimatedEnergyFj = updates.Sum(u => u.EstimatedEnergyFj),
            FailedSynapseDevices = (uint)(device?.FailedDevices ?? 0), TotalDevices = (uint)(device?.TotalDevices ?? 0),
            Updates = { updates.Select(FleetMessages.Update) },
            Curve = { (last?.Curve ?? []).Select(FleetMessages.Point) },
        };
    }
}
