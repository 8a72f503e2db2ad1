using System.IO.Compression;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Data;

public class IdxFileTests
{
    [Fact]
    public void ReadsImagesAndLabelsOfAValidFolder()
    {
        string dir = SyntheticDigits.WriteFolder(30, 20);
        DigitSet train = DigitSet.Load(dir, DigitSplit.Train);
        DigitSet test = DigitSet.Load(dir, DigitSplit.Test);
        Assert.Equal(30, train.Count);
        Assert.Equal(20, test.Count);
        Assert.Equal(SyntheticDigits.Make(30, 1).Images, train.Images);
    }

    [Fact]
    public void ReadsGzipCompressedFiles()
    {
        string dir = SyntheticDigits.WriteFolder(10, 10);
        foreach (string file in Directory.GetFiles(dir))
        {
            using (var gz = new GZipStream(File.Create(file + ".gz"), CompressionLevel.Fastest))
                gz.Write(File.ReadAllBytes(file));
            File.Delete(file);
        }
        Assert.Equal(10, DigitSet.Load(dir, DigitSplit.Train).Count);
    }

    [Fact]
    public void AMaxCountReadsOnlyTheFirstSamplesButChecksTheWholeFile()
    {
        string dir = SyntheticDigits.WriteFolder(30, 20);
        DigitSet all = DigitSet.Load(dir, DigitSplit.Train), first = DigitSet.Load(dir, DigitSplit.Train, maxCount: 7);
        Assert.Equal(7, first.Count);
        Assert.Equal(all.Images.AsSpan(0, 7 * DigitSet.Pixels).ToArray(), first.Images);
        Assert.Equal(all.Labels.AsSpan(0, 7).ToArray(), first.Labels);
        Assert.Equal(30, DigitSet.Load(dir, DigitSplit.Train, maxCount: 500).Count);

        string images = Path.Combine(dir, DigitSet.FileNames(DigitSplit.Train).Images);
        byte[] whole = File.ReadAllBytes(images);
        File.WriteAllBytes(images, whole.AsSpan(0, whole.Length - 7).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => DigitSet.Load(dir, DigitSplit.Train, maxCount: 1));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void AStreamServesTheSameSamplesAsTheLoadedSetAcrossBlocks()
    {
        string dir = SyntheticDigits.WriteFolder(5, 2 * DigitStream.BlockImages + 30);
        DigitSet all = DigitSet.Load(dir, DigitSplit.Test);
        using DigitStream stream = DigitStream.Open(dir, DigitSplit.Test, 2 * DigitStream.BlockImages + 7);
        Assert.Equal(2 * DigitStream.BlockImages + 7, stream.Count);
        for (int i = 0; i < stream.Count; i++)
        {
            Assert.Equal(all.Image(i).ToArray(), stream.Image(i).ToArray());
            Assert.Equal(all.Labels[i], stream.Label(i));
        }
        Assert.Equal(all.Image(3).ToArray(), stream.Image(3).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Image(stream.Count));
    }

    [Fact]
    public void AStreamRefusesATruncatedImagesFileWhenOpened()
    {
        string dir = SyntheticDigits.WriteFolder(5, 20);
        string images = Path.Combine(dir, DigitSet.FileNames(DigitSplit.Test).Images);
        byte[] whole = File.ReadAllBytes(images);
        File.WriteAllBytes(images, whole.AsSpan(0, whole.Length - 1).ToArray());
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => DigitStream.Open(dir, DigitSplit.Test, 5)).Message);
    }

    [Fact]
    public void TruncatedFileIsRejectedNamingFileAndSizes()
    {
        (byte[] images, _) = SyntheticDigits.Make(5, 1);
        byte[] whole = SyntheticDigits.ImagesIdx(images, 5);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Parse("x-images", whole.AsSpan(0, whole.Length - 7), 3));
        Assert.Contains("x-images", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void WrongMagicNumberIsRejected()
    {
        byte[] bytes = [.. SyntheticDigits.Header(0x0903, 1, 28, 28), .. new byte[784]];
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Parse("f", bytes, 3));
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void WrongDimensionCountIsRejected()
    {
        byte[] bytes = [.. SyntheticDigits.Header(0x0801, 3), 1, 2, 3];
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Parse("labels", bytes, 3));
        Assert.Contains("1 dimensions, expected 3", e.Message);
    }

    [Fact]
    public void TrailingBytesAreRejectedAsLengthMismatch()
    {
        byte[] bytes = [.. SyntheticDigits.Header(0x0801, 3), 1, 2, 3, 4];
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Parse("labels", bytes, 1));
        Assert.Contains("disagree with the file length", e.Message);
    }

    [Fact]
    public void ImageLabelCountMismatchIsRejected()
    {
        string dir = SyntheticDigits.WriteFolder(10, 10);
        File.WriteAllBytes(Path.Combine(dir, "train-labels-idx1-ubyte"), SyntheticDigits.LabelsIdx(new byte[9]));
        var e = Assert.Throws<InvalidDataException>(() => DigitSet.Load(dir, DigitSplit.Train));
        Assert.Contains("10 images", e.Message);
        Assert.Contains("9 labels", e.Message);
    }

    [Fact]
    public void WrongImageSizeIsRejected()
    {
        string dir = SyntheticDigits.WriteFolder(10, 10);
        File.WriteAllBytes(Path.Combine(dir, "train-images-idx3-ubyte"), [.. SyntheticDigits.Header(0x0803, 10, 32, 32), .. new byte[10 * 1024]]);
        var e = Assert.Throws<InvalidDataException>(() => DigitSet.Load(dir, DigitSplit.Train));
        Assert.Contains("32×32", e.Message);
    }

    [Fact]
    public void LabelOutsideTenClassesIsRejected()
    {
        string dir = SyntheticDigits.WriteFolder(10, 10);
        byte[] labels = new byte[10];
        labels[4] = 12;
        File.WriteAllBytes(Path.Combine(dir, "train-labels-idx1-ubyte"), SyntheticDigits.LabelsIdx(labels));
        var e = Assert.Throws<InvalidDataException>(() => DigitSet.Load(dir, DigitSplit.Train));
        Assert.Contains("label 12 at index 4", e.Message);
    }

    [Fact]
    public void MissingFolderTellsHowToFetch()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => DigitSet.Load("/nonexistent/mnist", DigitSplit.Train));
        Assert.Contains("data fetch", e.Message);
    }
}
