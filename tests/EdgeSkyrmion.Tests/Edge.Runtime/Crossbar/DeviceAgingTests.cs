using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;

namespace EdgeSkyrmion.Tests.Crossbar;

public class DeviceAgingTests
{
    private static readonly StateTable Table = Presets.Get(Presets.Default);

    internal static DriftLaw Law(double down = 1e-4, double up = 2e-5) => new()
    {
        ReferenceTemperatureK = 300, ActivationEnergyJ = 0.5 * 1.602e-19, UpActivationEnergyJ = 0.3 * 1.602e-19,
        DownRatesPerS = Enumerable.Range(0, Table.States).Select(s => s == 0 ? 0 : down).ToArray(),
        UpRatesPerS = Enumerable.Range(0, Table.States).Select(s => s == Table.States - 1 ? 0 : up).ToArray(),
        Source = "test",
    };

    private static DeviceArray Programmed(int count)
    {
        var devices = new DeviceArray(Table, count, seed: 4);
        devices.Restore(Enumerable.Range(0, count).Select(d => (byte)(d % Table.States)).ToArray(), new ulong[(count + 63) / 64]);
        return devices;
    }

    [Fact]
    public void AgingIsTheSameForASeedAndDiffersForAnother()
    {
        DeviceArray a = Programmed(20_000), b = Programmed(20_000), c = Programmed(20_000);
        int moved = DeviceAging.Age(a, Law(), 3 * 3600, 310, seed: 9);
        DeviceAging.Age(b, Law(), 3 * 3600, 310, seed: 9);
        DeviceAging.Age(c, Law(), 3 * 3600, 310, seed: 10);
        Assert.True(moved > 1000, $"only {moved} devices drifted");
        Assert.True(a.States.SequenceEqual(b.States));
        Assert.False(a.States.SequenceEqual(c.States));
    }

    [Fact]
    public void TransitionsMatchTheMarkovChainAndCompose()
    {
        DriftLaw law = Law();
        double[,] hour = DeviceAging.Transitions(law, Table.States, 3600, 310);
        double[,] twoHours = DeviceAging.Transitions(law, Table.States, 7200, 310);
        double[,] composed = DeviceAging.Then(hour, hour);
        for (int i = 0; i < Table.States; i++)
        {
            double sum = 0;
            for (int j = 0; j < Table.States; j++)
            {
                sum += hour[i, j];
                Assert.Equal(twoHours[i, j], composed[i, j], 9);
                if (Math.Abs(i - j) > 1) Assert.True(hour[i, j] < hour[i, i]);
            }
            Assert.Equal(1, sum, 9);
        }
        // Without forward escapes the top state only decays: P(stay) = exp(−rate·t), and nothing goes up.
        DriftLaw decay = Law(up: 0);
        double[,] decayHour = DeviceAging.Transitions(decay, Table.States, 3600, 310);
        Assert.Equal(Math.Exp(-decay.DownRatePerS(Table.States - 1, 310) * 3600), decayHour[Table.States - 1, Table.States - 1], 9);
        Assert.Equal(0, decayHour[0, 1], 12);
    }

    [Fact]
    public void NoDriftLawRateMeansNoMove()
    {
        DeviceArray a = Programmed(1000);
        byte[] before = a.States.ToArray();
        Assert.Equal(0, DeviceAging.Age(a, Law(0, 0), 1e6, 310, seed: 1));
        Assert.True(before.AsSpan().SequenceEqual(a.States));
    }
}
