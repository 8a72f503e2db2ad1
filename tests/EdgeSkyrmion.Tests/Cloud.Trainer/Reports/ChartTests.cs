using EdgeSkyrmion.Cloud.Reports;

namespace EdgeSkyrmion.Tests.Reports;

public class ChartTests
{
    [Fact]
    public void WritesAPngWithErrorBars()
    {
        string path = Path.Combine(Path.GetTempPath(), $"chart-{Guid.NewGuid():N}.png");
        new Chart("conductance", "pulse", "G / G0")
            .Add("LTP", [1, 2, 3], [1.0, 1.1, 1.2], [0.01, 0.02, 0.02])
            .Add("LTD", [1, 2, 3], [1.2, 1.1, 1.0])
            .SavePng(path);
        byte[] head = File.ReadAllBytes(path)[..8];
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, head);
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
