using EdgeSkyrmion.Cloud.Reports;

namespace EdgeSkyrmion.Tests.Reports;

public class ChartTests
{
    private static byte[] Render(IReadOnlyList<double>? error)
    {
        string path = Path.Combine(Path.GetTempPath(), $"chart-{Guid.NewGuid():N}.png");
        new Chart("conductance", "pulse", "G / G0")
            .Add("LTP", [1, 2, 3], [1.0, 1.1, 1.2], error)
            .Add("LTD", [1, 2, 3], [1.2, 1.1, 1.0])
            .SavePng(path);
        byte[] png = File.ReadAllBytes(path);
        File.Delete(path);
        return png;
    }

    [Fact]
    public void WritesAPngWhoseErrorBarsAreDrawn()
    {
        byte[] withBars = Render([0.05, 0.08, 0.08]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, withBars[..8]);
        // The same chart without the error column renders the same bytes every time, and different bytes with it.
        Assert.Equal(Render(null), Render(null));
        Assert.NotEqual(Render(null), withBars);
    }

    [Fact]
    public void CsvQuotesCellsThatNeedIt()
    {
        string path = Path.GetTempFileName();
        new CsvTable("name", "value").Row("a,b", 1.5).Save(path);
        Assert.Equal("name,value\n\"a,b\",1.5\n", File.ReadAllText(path));
    }

    [Fact]
    public void MismatchedSeriesIsRejected() =>
        Assert.Throws<ArgumentException>(() => new Chart("t", "x", "y").Add("s", [1, 2], [1]));
}
