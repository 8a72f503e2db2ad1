namespace EdgeSkyrmion.Edge.Data;

/// <summary>
/// The first samples of a split, read from the images file a block at a time instead of held whole: what a wearable
/// classifying thousands of samples can afford (10,000 MNIST images are 7.8 MB). The files are validated as
/// <see cref="DigitSet.Load"/> validates them when opened. A ".gz" images file cannot be read in place; it is
/// decompressed and held, as by <see cref="DigitSet.Load"/>.
/// </summary>
public sealed class DigitStream : IDigitSource, IDisposable
{
    /// <summary>Images per read: 78 KB.</summary>
    public const int BlockImages = 100;

    private readonly FileStream? _images;
    private readonly long _firstImageOffset;
    private readonly DigitSet? _held;
    private readonly byte[] _labels;
    private readonly byte[] _block;
    private int _blockStart = -1;

    private DigitStream(FileStream? images, long firstImageOffset, DigitSet? held, byte[] labels)
    {
        _images = images;
        _firstImageOffset = firstImageOffset;
        _held = held;
        _labels = labels;
        _block = held is null ? new byte[BlockImages * DigitSet.Pixels] : [];
    }

    public int Count => _labels.Length;

    /// <summary>Opens the first <paramref name="maxCount"/> samples of a split in a data folder.</summary>
    public static DigitStream Open(string directory, DigitSplit split, int maxCount)
    {
        if (maxCount < 1) throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "sample count must be at least 1.");
        (string imagesPath, string labelsPath) = DigitSet.Files(directory, split);
        if (imagesPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            DigitSet held = DigitSet.Load(directory, split, maxCount);
            return new DigitStream(null, 0, held, held.Labels);
        }
        IdxFile labels = IdxFile.Read(labelsPath, 1, maxCount);
        (FileStream images, int[] dimensions, int headerLength) = IdxFile.OpenValidated(imagesPath, 3);
        try
        {
            DigitSet.CheckShapes(dimensions, imagesPath, labels.Dimensions, labelsPath);
            DigitSet.CheckLabels(labels.Data, labelsPath);
            return new DigitStream(images, headerLength, null, labels.Data);
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }

    public ReadOnlySpan<byte> Image(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"the stream holds samples 0–{Count - 1}.");
        if (_held is not null) return _held.Image(index);
        int start = index / BlockImages * BlockImages;
        if (start != _blockStart)
        {
            int images = Math.Min(BlockImages, Count - start);
            _images!.Position = _firstImageOffset + (long)start * DigitSet.Pixels;
            _images.ReadExactly(_block.AsSpan(0, images * DigitSet.Pixels));
            _blockStart = start;
        }
        return _block.AsSpan((index - start) * DigitSet.Pixels, DigitSet.Pixels);
    }

    public int Label(int index) => _labels[index];

    public void Dispose() => _images?.Dispose();
}
