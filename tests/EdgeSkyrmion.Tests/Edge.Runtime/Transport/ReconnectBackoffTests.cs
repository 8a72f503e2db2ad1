using EdgeSkyrmion.Edge.Transport;

namespace EdgeSkyrmion.Tests.Edge.Transport;

public class ReconnectBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(200), Cap = TimeSpan.FromSeconds(10);

    [Fact]
    public void EachWaitLiesUnderACeilingThatDoublesUpToTheCap()
    {
        var backoff = new ReconnectBackoff(Initial, Cap, new Random(1));
        double[] ceilingsS = [0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 10, 10];
        foreach (double ceilingS in ceilingsS)
        {
            Assert.Equal(ceilingS, backoff.Ceiling.TotalSeconds, 9);
            TimeSpan wait = backoff.Next();
            Assert.InRange(wait.TotalSeconds, 0, ceilingS);
        }
    }

    [Fact]
    public void DevicesThatFailedTogetherRetrySpreadOverTheWholeWindowNotInOneWave()
    {
        // 2,000 devices whose node died at the same instant, each failing five times: their sixth waits.
        const int devices = 2000;
        var waitsS = new double[devices];
        for (int d = 0; d < devices; d++)
        {
            var backoff = new ReconnectBackoff(Initial, Cap, new Random(d));
            for (int failure = 0; failure < 5; failure++) backoff.Next();
            waitsS[d] = backoff.Next().TotalSeconds;
        }
        // The window is [0, 6.4 s]: every tenth of it gets a share near a tenth, none the wave a fixed wait would make.
        int[] perTenth = new int[10];
        foreach (double w in waitsS) perTenth[Math.Min(9, (int)(w / 6.4 * 10))]++;
        Assert.All(perTenth, n => Assert.InRange(n, devices / 20, devices / 5));
    }

    [Fact]
    public void AWelcomedSessionResetsTheCeiling()
    {
        var backoff = new ReconnectBackoff(Initial, Cap, new Random(2));
        for (int i = 0; i < 6; i++) backoff.Next();
        backoff.Reset();
        Assert.Equal(Initial, backoff.Ceiling);
    }

    [Theory]
    [InlineData(0, 10_000)]
    [InlineData(-200, 10_000)]
    [InlineData(500, 200)]
    public void ACeilingThatIsNotPositiveOrAboveTheCapIsRefused(int initialMs, int capMs)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.FromMilliseconds(initialMs), TimeSpan.FromMilliseconds(capMs), new Random(3)));
        Assert.Contains("0 < initial ≤ cap", e.Message);
    }
}
