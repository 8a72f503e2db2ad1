using EdgeSkyrmion.Edge.Data;

namespace EdgeSkyrmion.Cloud.Data;

/// <summary>What `data info` reports about a data folder: per split, counts, class histogram and file digests.</summary>
public sealed record DatasetSummary(string Directory, IReadOnlyList<DatasetSummary.SplitSummary> Splits, bool MatchesMnist)
{
    public sealed record FileSummary(string Path, long Bytes, string Sha256, bool MatchesMnist);

    public sealed record SplitSummary(string Split, int Images, int Labels, int[] ClassHistogram, FileSummary ImagesFile, FileSummary LabelsFile);

    public static DatasetSummary Describe(string directory)
    {
        var splits = new List<SplitSummary>();
        foreach (DigitSplit split in Enum.GetValues<DigitSplit>())
        {
            DigitSet set = DigitSet.Load(directory, split);
            var histogram = new int[DigitSet.Classes];
            foreach (byte label in set.Labels) histogram[label]++;
            splits.Add(new SplitSummary(split.ToString().ToLowerInvariant(), set.Count, set.Labels.Length, histogram,
                Summarise(set.ImagesPath), Summarise(set.LabelsPath)));
        }
        return new DatasetSummary(directory, splits, splits.All(s => s.ImagesFile.MatchesMnist && s.LabelsFile.MatchesMnist));
    }

    private static FileSummary Summarise(string path)
    {
        string sha = FileDigest.Sha256Hex(path);
        bool known = MnistRelease.Sha256.TryGetValue(System.IO.Path.GetFileName(path), out string? expected) && expected == sha;
        return new FileSummary(path, new FileInfo(path).Length, sha, known);
    }
}
