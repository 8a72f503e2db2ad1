using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.Cloud.Conversion;
using EdgeSkyrmion.Cloud.Training;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Edge.Snn;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Personalization;

/// <summary>
/// One user's personalization: fine-tune the base ANN on the user's samples, quantize it with the normalization
/// factors and σ of the image the device holds (so only synapses whose level really moved differ), rank the changes
/// by gain per fJ, pick the best set under the budget and trace the accuracy–energy curve of the ranking.
/// Curve points are scored on the quantized weights as an ANN (fast); the base and chosen images on the quantized
/// SNN with the edge's engine (what the device runs, without read noise).
/// </summary>
public sealed class PersonalizationJob
{
    public static readonly double[] CurveFractions = [0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.35, 0.5, 0.75, 1.0];

    public sealed record Settings
    {
        public FineTuner.Options FineTune { get; init; } = new();
        public double? BudgetFj { get; init; }

        /// <summary>Largest share of the network's synapses one update may touch (delta size); null = no cap.</summary>
        public double? MaxSynapsesFraction { get; init; } = 0.05;

        public int SnnTimesteps { get; init; }
        public ulong SnnSeed { get; init; } = 1;

        /// <summary>The device's reported temperature, K: the update is priced with the held preset's table at it (null: the preset's own table).</summary>
        public double? TemperatureK { get; init; }
    }

    public sealed record CurvePoint(double EnergyFraction, double EnergyFj, int SynapsesChanged, double Accuracy);

    public sealed record Result(ModelImage Target, ModelImage Planned, UpdatePlanner.Selection Chosen, IReadOnlyList<CurvePoint> Curve,
        double BaseAccuracy, double PersonalAccuracy, string EvaluatedWith, double TargetAnnAccuracy, double PlannedAnnAccuracy,
        double UnbudgetedEnergyFj, int UnbudgetedSynapses, double FullReprogramFj, long SynapsesTotal, int Bytes, string PricingTable)
    {
        /// <summary>Share of the unbudgeted accuracy gain the curve reaches at ≤ <paramref name="energyFraction"/> of its energy.</summary>
        public double GainShareAt(double energyFraction)
        {
            double total = Curve[^1].Accuracy - Curve[0].Accuracy;
            double reached = Curve.Where(p => p.EnergyFraction <= energyFraction).Max(p => p.Accuracy) - Curve[0].Accuracy;
            return total > 0 ? reached / total : 0;
        }
    }

    public static Result Run(ModelFile baseModel, ModelImage held, DigitSet train, DigitSet test, Settings settings, Action<string>? log = null)
    {
        if (held.Sigma <= 0)
            throw new ArgumentException($"the device holds {held.ModelId} v{held.Version}, converted directly (σ per layer); personalization needs a fixed σ so unchanged weights keep their levels (convert --sigma).");
        if (test.Count == 0) throw new ArgumentException("the user has no test samples to score the update on.");
        StateTable table = UpdateCost.TableAt(held.PresetName, settings.TemperatureK);
        UpdatePlanner.CheckBudget(settings.BudgetFj, table);
        int timesteps = settings.SnnTimesteps > 0 ? settings.SnnTimesteps : (int)held.Timesteps;

        log?.Invoke($"fine-tuning on {train.Count} user samples ({settings.FineTune.Epochs} epochs, L2 to base {settings.FineTune.L2ToBase}, layers {(settings.FineTune.TrainableLayers == 0 ? "all" : settings.FineTune.TrainableLayers)})");
        ModelFile personal = FineTuner.FineTune(baseModel, train, settings.FineTune);
        ModelImage target = SnnConverter.QuantizedLike(personal, held);

        log?.Invoke("ranking synapse changes by expected gain per fJ");
        List<UpdatePlanner.Change> ranked = UpdatePlanner.Order(held, target, image => FineTuner.LossGradients(ImageWeights.Ann(image), train), table);
        UpdatePlanner.Selection all = UpdatePlanner.Select(ranked, null, table);

        log?.Invoke("tracing the accuracy–energy curve on the user's test set");
        var curve = new List<CurvePoint>();
        foreach (double fraction in CurveFractions)
        {
            UpdatePlanner.Selection s = fraction >= 1 ? all : fraction == 0 ? new UpdatePlanner.Selection([], 0, 0) : UpdatePlanner.Select(ranked, Math.Max(fraction * all.EnergyFj, Units.Femtojoules(table.PulseEnergyJ)), table);
            ModelImage image = UpdatePlanner.Apply(held, target, s.Chosen);
            curve.Add(new CurvePoint(fraction, s.EnergyFj, s.SynapsesChanged, MlpTrainer.Evaluate(ImageWeights.Ann(image), test)));
        }

        int? cap = settings.MaxSynapsesFraction is { } f ? (int)(f * held.Layers.Sum(l => (long)l.Inputs * l.Outputs)) : null;
        UpdatePlanner.Selection chosen = UpdatePlanner.Select(ranked, settings.BudgetFj, table, cap);
        ModelImage planned = UpdatePlanner.Apply(held, target, chosen.Chosen);
        double plannedAnn = MlpTrainer.Evaluate(ImageWeights.Ann(planned), test);

        log?.Invoke($"scoring base and chosen images on the quantized SNN ({test.Count} images, {timesteps} steps)");
        double baseSnn = SnnEvaluation.Evaluate(SpikingNetwork.FromImage(held), test, timesteps, settings.SnnSeed).Accuracy;
        double personalSnn = SnnEvaluation.Evaluate(SpikingNetwork.FromImage(planned), test, timesteps, settings.SnnSeed).Accuracy;

        long synapses = held.Layers.Sum(l => (long)l.Inputs * l.Outputs);
        double full = Units.Femtojoules(UpdateCost.FullCost(held, table).Cost.EnergyJ);
        return new Result(target, planned, chosen, curve, baseSnn, personalSnn, $"quantized SNN, {timesteps} steps", curve[^1].Accuracy, plannedAnn,
            all.EnergyFj, all.SynapsesChanged, full, synapses, UpdatePlanner.DeltaBytes(held, planned), table.Name);
    }
}
