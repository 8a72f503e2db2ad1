using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Cloud.Personalization;

/// <summary>
/// A generated user's personal data: disjoint training and test images drawn (per-user seeded permutation) from the
/// MNIST *test* split, so the base model — trained on the MNIST training split — has never seen them, each written
/// in the user's <see cref="UserStyle"/>.
/// </summary>
public static class UserDataSplit
{
    public const int DefaultTrain = 500, DefaultTest = 1000;

    public static (DigitSet Train, DigitSet Test) Draw(string userId, UserStyle style, DigitSet source, int trainCount = DefaultTrain, int testCount = DefaultTest)
    {
        if (trainCount < 1 || testCount < 1 || trainCount + testCount > source.Count)
            throw new ArgumentException($"{trainCount} training + {testCount} test samples do not fit the {source.Count} source images.");
        int[] order = Enumerable.Range(0, source.Count).ToArray();
        new Random(UserStyle.StableSeed(userId) ^ 0x5eed).Shuffle(order);
        return (Styled(style, source, order.AsSpan(0, trainCount), DigitSplit.Train), Styled(style, source, order.AsSpan(trainCount, testCount), DigitSplit.Test));
    }

    private static DigitSet Styled(UserStyle style, DigitSet source, ReadOnlySpan<int> indices, DigitSplit split)
    {
        var images = new byte[indices.Length * DigitSet.Pixels];
        var labels = new byte[indices.Length];
        for (int n = 0; n < indices.Length; n++)
        {
            style.Apply(source.Image(indices[n]), images.AsSpan(n * DigitSet.Pixels, DigitSet.Pixels));
            labels[n] = source.Labels[indices[n]];
        }
        return new DigitSet(split, images, labels);
    }
}
