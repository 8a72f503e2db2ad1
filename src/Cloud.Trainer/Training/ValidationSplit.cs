using System.Globalization;
using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Cloud.Training;

/// <summary>
/// Model selection without the test set: the last N training images are held out as a validation split; training,
/// per-epoch reports and any choice of settings look only at it, and the test set is scored once, at the end.
/// The last images are taken (not a random draw) so the split is the same for every seed and every run.
/// </summary>
public static class ValidationSplit
{
    public const int DefaultCount = 5000;

    public static (DigitSet Fit, DigitSet Validation) Carve(DigitSet train, int count)
    {
        if (count < 1 || count >= train.Count)
            throw new ArgumentException($"--validation must be 0 (off) or 1–{train.Count - 1} images of the {train.Count} training images (got {count}).");
        int fit = train.Count - count;
        var fitSet = new DigitSet(train.Split, train.Images[..(fit * DigitSet.Pixels)], train.Labels[..fit], train.ImagesPath, train.LabelsPath);
        var validation = new DigitSet(train.Split, train.Images[(fit * DigitSet.Pixels)..], train.Labels[fit..], train.ImagesPath, train.LabelsPath);
        return (fitSet, validation);
    }

    /// <summary>The model with its metadata saying what it was scored on: validation during training, test once at the end.</summary>
    public static ModelFile Scored(ModelFile model, double validationAccuracy, double testAccuracy, int validationImages)
    {
        var metadata = model.Metadata.ToDictionary();
        metadata["validation_accuracy"] = validationAccuracy.ToString("R", CultureInfo.InvariantCulture);
        metadata["validation_images"] = validationImages.ToString(CultureInfo.InvariantCulture);
        metadata["test_accuracy"] = testAccuracy.ToString("R", CultureInfo.InvariantCulture);
        return new ModelFile(model.Tensors, metadata);
    }
}
