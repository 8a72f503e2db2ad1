namespace EdgeSkyrmion.Edge.Data;

/// <summary>Which half of an IDX dataset: MNIST's file names use "train" and "t10k".</summary>
public enum DigitSplit
{
    Train,
    Test,
}

/// <summary>
/// A split of a 28×28 greyscale, 10-class IDX dataset (MNIST or any set laid out like it): images as bytes, row
/// major, one 784-byte block per image, and labels 0–9.
/// </summary>
public sealed class DigitSet : IDigitSource
{
    public const int Side = 28;
    public const int Pixels = Side * Side;
    public const int Classes = 10;

    public DigitSplit Split { get; }
    public byte[] Images { get; }
    public byte[] Labels { get; }
    public string ImagesPath { get; }
    public string LabelsPath { get; }
    public int Count => Labels.Length;

    public DigitSet(DigitSplit split, byte[] images, byte[] labels, string imagesPath = "", string labelsPath = "")
    {
        if (images.Length != labels.Length * Pixels)
            throw new InvalidDataException($"{imagesPath}: {images.Length} image bytes do not hold {labels.Length} images of {Pixels} pixels.");
        CheckLabels(labels, labelsPath);
        Split = split;
        Images = images;
        Labels = labels;
        ImagesPath = imagesPath;
        LabelsPath = labelsPath;
    }

    public ReadOnlySpan<byte> Image(int index) => Images.AsSpan(index * Pixels, Pixels);

    public int Label(int index) => Labels[index];

    internal static void CheckLabels(ReadOnlySpan<byte> labels, string labelsPath)
    {
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= Classes)
                throw new InvalidDataException($"{labelsPath}: label {labels[i]} at index {i} is outside 0–{Classes - 1}.");
    }

    /// <summary>The images and labels files of a split in a data folder (plain or ".gz"), or a clear error.</summary>
    internal static (string Images, string Labels) Files(string directory, DigitSplit split)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"data folder {directory} does not exist: run `data fetch --dir {directory}`.");
        (string imagesName, string labelsName) = FileNames(split);
        string imagesPath = Locate(directory, imagesName)
            ?? throw new FileNotFoundException($"data folder {directory} has no {imagesName}: run `data fetch --dir {directory}`.");
        string labelsPath = Locate(directory, labelsName)
            ?? throw new FileNotFoundException($"data folder {directory} has no {labelsName}: run `data fetch --dir {directory}`.");
        return (imagesPath, labelsPath);
    }

    /// <summary>The same image and label counts, and 28×28 images, or a clear error.</summary>
    internal static void CheckShapes(int[] images, string imagesPath, int[] labels, string labelsPath)
    {
        if (images[1] != Side || images[2] != Side)
            throw new InvalidDataException($"{imagesPath}: images are {images[1]}×{images[2]}, expected {Side}×{Side}.");
        if (images[0] != labels[0])
            throw new InvalidDataException($"{imagesPath} holds {images[0]} images but {labelsPath} holds {labels[0]} labels.");
    }

    public static string Prefix(DigitSplit split) => split == DigitSplit.Train ? "train" : "t10k";

    /// <summary>The file names of a split, as MNIST names them (without the optional ".gz").</summary>
    public static (string Images, string Labels) FileNames(DigitSplit split) =>
        ($"{Prefix(split)}-images-idx3-ubyte", $"{Prefix(split)}-labels-idx1-ubyte");

    /// <summary>Finds a split's file in <paramref name="directory"/>, plain or ".gz"; null when neither exists.</summary>
    public static string? Locate(string directory, string fileName)
    {
        string plain = Path.Combine(directory, fileName);
        if (File.Exists(plain)) return plain;
        string gz = plain + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    /// <summary>Loads and validates one split from a data folder; <paramref name="maxCount"/> keeps only its first samples.</summary>
    public static DigitSet Load(string directory, DigitSplit split, int? maxCount = null)
    {
        (string imagesPath, string labelsPath) = Files(directory, split);
        if (maxCount < 1) throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "sample count must be at least 1.");
        IdxFile images = IdxFile.Read(imagesPath, 3, maxCount);
        IdxFile labels = IdxFile.Read(labelsPath, 1, maxCount);
        CheckShapes(images.Dimensions, imagesPath, labels.Dimensions, labelsPath);
        return new DigitSet(split, images.Data, labels.Data, imagesPath, labelsPath);
    }

    /// <summary>The first <paramref name="count"/> samples (or all, when count is null or larger).</summary>
    public DigitSet Take(int? count)
    {
        if (count is null || count >= Count) return this;
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "sample count must be at least 1.");
        return new DigitSet(Split, Images[..(count.Value * Pixels)], Labels[..count.Value], ImagesPath, LabelsPath);
    }
}
