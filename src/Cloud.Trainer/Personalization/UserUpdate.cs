using System.Text.Json;
using EdgeSkyrmion.Cloud.Fleet;
using EdgeSkyrmion.Cloud.Reports;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using Microsoft.Data.Sqlite;

namespace EdgeSkyrmion.Cloud.Personalization;

/// <summary>
/// Plans one user's update against what their device holds (personalization job + budget), writes the budget curve
/// (CSV + PNG) and the planned image, records the outcome, and sends it through the update pipeline: publish as the
/// next version of the user's model id, roll out to the user's device.
/// </summary>
public static class UserUpdate
{
    public sealed record Plan(string User, string Device, string ModelId, ulong Version, double? BudgetFj, double BaseAccuracy, double ExpectedAccuracy,
        string EvaluatedWith, double ExpectedAnnAccuracy, double UnbudgetedAnnAccuracy, int SynapsesChanged, long SynapsesTotal, double SynapsesChangedFraction,
        double Pulses, double EnergyFj, double FullReprogramFj, double EnergyFractionOfFull, double UnbudgetedEnergyFj, int UnbudgetedSynapses,
        int Bytes, double GainShareAtQuarterEnergy, string CurveCsv, string CurvePng, string ImageFile, IReadOnlyList<PersonalizationJob.CurvePoint> Curve);

    public static Plan Make(FleetDatabase db, string userId, ModelFile baseModel, PersonalizationJob.Settings settings, string outDirectory, Action<string>? log = null)
    {
        var users = new UserStore(db);
        UserStore.User user = users.Get(userId);
        DeviceRegistry.Device device = new DeviceRegistry(db).Find(user.DeviceId) ?? throw new ArgumentException($"user {userId}'s device {user.DeviceId} is not registered.");
        if (device.ModelVersion == 0) throw new ArgumentException($"device {device.DeviceId} holds no model yet; flash a base image first.");
        ModelImage held = new ModelCatalog(db).Find(device.ModelId, device.ModelVersion)
            ?? throw new ArgumentException($"device {device.DeviceId} holds {device.ModelId} v{device.ModelVersion}, which is not in the catalog.");
        DigitSet train = users.Samples(userId, DigitSplit.Train), test = users.Samples(userId, DigitSplit.Test);
        if (train.Count == 0) throw new ArgumentException($"user {userId} has no training samples; upload some (user upload --split train).");

        PersonalizationJob.Result r = PersonalizationJob.Run(baseModel, held, train, test, settings, log);
        string modelId = UserStore.ModelId(userId);
        // Devices refuse any version at or below the one they hold (replay protection), whatever its model id.
        ulong version = Math.Max(NextVersion(db, modelId), device.ModelVersion + 1);
        r.Planned.ModelId = modelId;
        r.Planned.Version = version;

        Directory.CreateDirectory(outDirectory);
        string stem = Path.Combine(outDirectory, $"{userId}-v{version}");
        var csv = new CsvTable("energy_fraction", "energy_fj", "synapses_changed", "user_test_accuracy");
        foreach (PersonalizationJob.CurvePoint p in r.Curve) csv.Row(p.EnergyFraction, p.EnergyFj, p.SynapsesChanged, p.Accuracy);
        csv.Save(stem + "-budget-curve.csv");
        new Chart($"user {userId}: accuracy vs update energy", "update energy (nJ)", "user test accuracy (quantized ANN)")
            .Add("greedy gain/fJ", [.. r.Curve.Select(p => p.EnergyFj / 1e6)], [.. r.Curve.Select(p => p.Accuracy)])
            .Add("chosen", [r.Chosen.EnergyFj / 1e6], [r.PlannedAnnAccuracy])
            .SavePng(stem + "-budget-curve.png");
        string imageFile = stem + ".img";
        ModelImageFile.Write(r.Planned, imageFile);

        var plan = new Plan(userId, device.DeviceId, modelId, version, settings.BudgetFj, r.BaseAccuracy, r.PersonalAccuracy, r.EvaluatedWith, r.PlannedAnnAccuracy,
            r.TargetAnnAccuracy, r.Chosen.SynapsesChanged, r.SynapsesTotal, (double)r.Chosen.SynapsesChanged / r.SynapsesTotal, r.Chosen.Pulses, r.Chosen.EnergyFj,
            r.FullReprogramFj, r.Chosen.EnergyFj / r.FullReprogramFj, r.UnbudgetedEnergyFj, r.UnbudgetedSynapses, r.Bytes, r.GainShareAt(0.25),
            stem + "-budget-curve.csv", stem + "-budget-curve.png", imageFile, r.Curve);
        users.RecordPersonalization(new UserStore.Personalization(userId, modelId, version, r.BaseAccuracy, r.PersonalAccuracy, r.EvaluatedWith,
            r.Chosen.SynapsesChanged, r.SynapsesTotal, r.Chosen.Pulses, r.Chosen.EnergyFj, r.FullReprogramFj, r.Bytes, settings.BudgetFj, FleetDatabase.NowMs()));
        return plan;
    }

    /// <summary>Publishes the planned image and rolls it out to the user's device; returns the rollout's status.</summary>
    public static async Task<JsonElement> SendAsync(OperatorClient ops, Plan plan, TimeSpan wait, CancellationToken ct)
    {
        await ops.PublishAsync(await File.ReadAllBytesAsync(plan.ImageFile, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        OperatorApi.RolloutResponse rollout = await ops.RolloutAsync(plan.ModelId, plan.Version, [plan.Device], ct).ConfigureAwait(false);
        return await ops.WaitForRolloutAsync(rollout.RolloutId, wait, ct).ConfigureAwait(false);
    }

    private static ulong NextVersion(FleetDatabase db, string modelId)
    {
        using SqliteConnection c = db.Open();
        return (FleetDatabase.Scalar<ulong?>(c, "SELECT MAX(version) FROM models WHERE model_id = $m", ("$m", modelId)) ?? 0) + 1;
    }
}
