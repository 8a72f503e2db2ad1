namespace EdgeSkyrmion.Edge.Data;

/// <summary>Labelled 28×28 digit images read in order: a whole <see cref="DigitSet"/> in memory or a <see cref="DigitStream"/>.</summary>
public interface IDigitSource
{
    int Count { get; }

    /// <summary>The 784 pixels of image <paramref name="index"/>, valid until the next call.</summary>
    ReadOnlySpan<byte> Image(int index);

    int Label(int index);
}
