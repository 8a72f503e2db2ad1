using EdgeSkyrmion.Cloud.Fleet.Operator;
using EdgeSkyrmion.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// Handing a rollout to its grain is retried while the cluster cannot answer, and given up once the server is gone
/// (a host disposed without a graceful stop included): the next start hands every staged rollout over again.
/// </summary>
public sealed class RolloutHandOverTests
{
    [Fact]
    public async Task AHandOverTheClusterKeepsRefusingIsRetriedWhileTheServerRunsAndStopsOnceItIsDisposed()
    {
        var (app, http, _) = await InMemoryFleet.StartAsync();
        http.Dispose();
        RolloutControl control = app.Services.GetRequiredService<RolloutControl>();
        int calls = 0;
        control.Drive("r-out-of-reach", _ => throw new OrleansException($"refused by this test (call {Interlocked.Increment(ref calls)})"));
        // The first try and one retry 2 s later, while the server runs.
        for (int waited = 0; Volatile.Read(ref calls) < 2 && waited < 100; waited++) await Task.Delay(100);
        Assert.Equal(2, Volatile.Read(ref calls));

        await app.DisposeAsync();
        int atDisposal = Volatile.Read(ref calls);
        await Task.Delay(TimeSpan.FromSeconds(4.5));
        Assert.Equal(atDisposal, Volatile.Read(ref calls));
    }
}
