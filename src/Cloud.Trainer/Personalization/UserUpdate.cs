using EdgeSkyrmion.Cloud.Reports;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Cloud.Personalization;

/// <summary>
/// Plans one user's update against what their device holds (personalization job + budget), writes the budget curve
/// (CSV + PNG) and the planned image, records the outcome with the fleet, and sends it through the update pipeline:
/// publish as the next version of the user's model id, roll out to the user's device. Everything the fleet knows
/// (the user, their device, the image it holds, the samples) comes through the operator API.
/// </summary>
public static class UserUpdate
{
    public sealed record Plan(string User, string Device, string ModelId, ulong Version, double? BudgetFj, double BaseAccuracy, double ExpectedAccuracy,
        string EvaluatedWith, double ExpectedAnnAccuracy, double UnbudgetedAnnAccuracy, int SynapsesChanged, long SynapsesTotal, double SynapsesChangedFraction,
        double Pulses, double EnergyFj, double FullReprogramFj, double EnergyFractionOfFull, double UnbudgetedEnergyFj, int UnbudgetedSynapses,
        int Bytes, double GainShareAtQuarterEnergy, string CurveCsv, string CurvePng, string ImageFile, IReadOnlyList<PersonalizationJob.CurvePoint> Curve,
        double? DeviceTemperatureK, string PricingTable);

    /// <summary>The model id a user's personalized versions are published under.</summary>
    public static string ModelId(string userId) => "person-" + userId;

    public static async Task<Plan> MakeAsync(OperatorConnection ops, string userId, ModelFile baseModel, PersonalizationJob.Settings settings, string outDirectory,
        Action<string>? log, CancellationToken ct)
    {
        Operator.OperatorClient api = ops.Client;
        User user = (await api.ListUsersAsync(new ListUsersRequest(), cancellationToken: ct)).Users.FirstOrDefault(u => u.UserId == userId)
            ?? throw new ArgumentException($"unknown user {userId}: register it first (user add).");
        DeviceInfo device = (await api.GetDeviceAsync(new GetDeviceRequest { DeviceId = user.DeviceId }, cancellationToken: ct)).Device;
        if (device.ModelVersion == 0) throw new ArgumentException($"device {device.DeviceId} holds no model yet; flash a base image first.");
        ModelImage held = await api.GetModelImageAsync(new GetModelImageRequest { ModelId = device.ModelId, Version = device.ModelVersion }, cancellationToken: ct);
        DigitSet train = await SamplesAsync(api, userId, SampleSplit.Train, ct).ConfigureAwait(false);
        DigitSet test = await SamplesAsync(api, userId, SampleSplit.Test, ct).ConfigureAwait(false);
        if (train.Count == 0) throw new ArgumentException($"user {userId} has no training samples; upload some (user upload --split train).");

        // Priced at the temperature the device last reported (telemetry), not at the preset's.
        double? temperature = device.TemperatureK > 0 ? device.TemperatureK : null;
        PersonalizationJob.Result r = PersonalizationJob.Run(baseModel, held, train, test, settings with { TemperatureK = temperature }, log);
        string modelId = ModelId(userId);
        ListModelsResponse published = await api.ListModelsAsync(new ListModelsRequest { ModelId = modelId }, cancellationToken: ct);
        // Devices refuse any version at or below the one they hold (replay protection), whatever its model id.
        ulong version = Math.Max((published.Models.Count == 0 ? 0 : published.Models.Max(m => m.Version)) + 1, device.ModelVersion + 1);
        r.Planned.ModelId = modelId;
        r.Planned.Version = version;

        Directory.CreateDirectory(outDirectory);
        string stem = Path.Combine(outDirectory, $"{userId}-v{version}");
        var csv = new CsvTable("energy_fraction", "energy_fj", "synapses_changed", "user_test_accuracy");
        foreach (PersonalizationJob.CurvePoint p in r.Curve) csv.Row(p.EnergyFraction, p.EnergyFj, p.SynapsesChanged, p.Accuracy);
        csv.Save(stem + "-budget-curve.csv");
        new Chart($"user {userId}: accuracy vs update energy", "update energy (nJ)", "user test accuracy (quantized ANN)")
            .Add("greedy gain/fJ", [.. r.Curve.Select(p => Units.Nanojoules(p.EnergyFj))], [.. r.Curve.Select(p => p.Accuracy)])
            .Add("chosen", [Units.Nanojoules(r.Chosen.EnergyFj)], [r.PlannedAnnAccuracy])
            .SavePng(stem + "-budget-curve.png");
        string imageFile = stem + ".img";
        ModelImageFile.Write(r.Planned, imageFile);

        var plan = new Plan(userId, device.DeviceId, modelId, version, settings.BudgetFj, r.BaseAccuracy, r.PersonalAccuracy, r.EvaluatedWith, r.PlannedAnnAccuracy,
            r.TargetAnnAccuracy, r.Chosen.SynapsesChanged, r.SynapsesTotal, (double)r.Chosen.SynapsesChanged / r.SynapsesTotal, r.Chosen.Pulses, r.Chosen.EnergyFj,
            r.FullReprogramFj, r.Chosen.EnergyFj / r.FullReprogramFj, r.UnbudgetedEnergyFj, r.UnbudgetedSynapses, r.Bytes, r.GainShareAt(0.25),
            stem + "-budget-curve.csv", stem + "-budget-curve.png", imageFile, r.Curve, temperature, r.PricingTable);
        await api.RecordPersonalizationAsync(new Protos.V1.Personalization
        {
            UserId = userId, ModelId = modelId, Version = version, BaseAccuracy = r.BaseAccuracy, PersonalAccuracy = r.PersonalAccuracy, EvaluatedWith = r.EvaluatedWith,
            SynapsesChanged = (uint)r.Chosen.SynapsesChanged, SynapsesTotal = (ulong)r.SynapsesTotal, Pulses = r.Chosen.Pulses, EnergyFj = r.Chosen.EnergyFj,
            FullEnergyFj = r.FullReprogramFj, Bytes = (uint)r.Bytes, BudgetFj = settings.BudgetFj ?? 0,
            Curve = { r.Curve.Select(p => new BudgetPoint { EnergyFraction = p.EnergyFraction, EnergyFj = p.EnergyFj, SynapsesChanged = (uint)p.SynapsesChanged, Accuracy = p.Accuracy }) },
        }, cancellationToken: ct);
        return plan;
    }

    /// <summary>Publishes the planned image and rolls it out to the user's device; returns the rollout's status.</summary>
    public static async Task<RolloutStatus> SendAsync(OperatorConnection ops, Plan plan, TimeSpan wait, CancellationToken ct)
    {
        ModelImage image = ModelImageFile.Read(plan.ImageFile);
        await ops.Client.PublishModelAsync(new PublishModelRequest { Image = image.ToByteString() }, cancellationToken: ct);
        RolloutStatus rollout = await ops.Client.StartRolloutAsync(new StartRolloutRequest { ModelId = plan.ModelId, Version = plan.Version, DeviceIds = { plan.Device } }, cancellationToken: ct);
        return await ops.WaitForRolloutAsync(rollout.RolloutId, wait, ct).ConfigureAwait(false);
    }

    private static async Task<DigitSet> SamplesAsync(Operator.OperatorClient api, string userId, SampleSplit split, CancellationToken ct)
    {
        Samples s = await api.GetSamplesAsync(new GetSamplesRequest { UserId = userId, Split = split }, cancellationToken: ct);
        return new DigitSet(split == SampleSplit.Train ? DigitSplit.Train : DigitSplit.Test, s.Images.ToByteArray(), s.Labels.ToByteArray());
    }
}
