using System.Text.RegularExpressions;
using EdgeSkyrmion.Harness.Demo;

namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>
/// Picks the instant of a fault from the device's observable progress, not from a calibrated sleep, so a fault
/// aimed at a phase lands there on a loaded machine as on an idle one: the proxy's byte count while chunks
/// arrive, the journal appearing and the edge's "programming ID:  40%" lines while it programs, the committed
/// state file with the ack held in the proxy, the cloud's record of the ack. Where a fault actually landed is
/// judged afterwards by <see cref="FaultsByPhase.Classify"/>, never taken from the aim.
/// </summary>
public sealed partial class FaultTrigger(ChaosFleet fleet, CuttableProxy proxy)
{
    /// <summary>The aim of trial i is Schedule[i % 10]: six of ten mid-programming, one at each other phase.</summary>
    public static readonly FaultPhase[] Schedule =
    [
        FaultPhase.MidProgramming, FaultPhase.BeforeArrival, FaultPhase.MidProgramming, FaultPhase.ChunksArriving, FaultPhase.MidProgramming,
        FaultPhase.AfterCommitBeforeAck, FaultPhase.MidProgramming, FaultPhase.AfterAck, FaultPhase.MidProgramming, FaultPhase.MidProgramming,
    ];

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan AckPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>Bytes one update takes on the wire (set from the warm-up), to aim inside a transfer.</summary>
    public long UpdateBytes { get; set; }

    /// <summary>Before the rollout starts: a fault aimed before arrival holds the update in the proxy.</summary>
    public void Prepare(FaultPhase aim)
    {
        if (aim == FaultPhase.BeforeArrival) proxy.HoldDownstream();
    }

    /// <summary>
    /// Waits until <paramref name="deviceId"/>, updating to <paramref name="newVersion"/>, reaches <paramref name="aim"/>
    /// (its edge's stderr read from <paramref name="logMark"/>, the proxy's count from <paramref name="bytesMark"/>).
    /// Returns early when the device has gone past the aim or its edge exited; the judge then says where it landed.
    /// </summary>
    public async Task WaitAsync(FaultPhase aim, string deviceId, ulong newVersion, ChildProcess edge, int logMark, long bytesMark, Random rng, CancellationToken ct)
    {
        switch (aim)
        {
            case FaultPhase.BeforeArrival:
                return;
            case FaultPhase.ChunksArriving:
                long threshold = bytesMark + (long)(UpdateBytes * (0.05 + 0.85 * rng.NextDouble()));
                await UntilAsync(() => proxy.DownstreamBytes >= threshold || fleet.JournalPresent(deviceId), edge, logMark, ct).ConfigureAwait(false);
                return;
            case FaultPhase.MidProgramming:
                int percent = 10 * rng.Next(0, 9);
                await UntilAsync(() => ProgrammingPercent(edge.StderrSince(logMark)) >= percent, edge, logMark, ct).ConfigureAwait(false);
                return;
            case FaultPhase.AfterCommitBeforeAck:
                // Every chunk is in once the journal exists, so holding the device's traffic from then on stalls
                // nothing but the ack and the telemetry after it.
                await UntilAsync(() => fleet.JournalPresent(deviceId), edge, logMark, ct).ConfigureAwait(false);
                proxy.HoldUpstream();
                await UntilAsync(() => false, edge, logMark, ct).ConfigureAwait(false);
                return;
            default:
                while (!edge.HasExited && !Refused(edge.StderrSince(logMark)) && await fleet.AppliedInDatabaseAsync(deviceId, newVersion, ct).ConfigureAwait(false) == 0)
                    await Task.Delay(AckPoll, ct).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>The highest "programming …: NN%" the log shows (the edge's `run` and `apply` lines), −1 when none.</summary>
    public static int ProgrammingPercent(string log)
    {
        int highest = -1;
        foreach (Match m in ProgressLine().Matches(log)) highest = Math.Max(highest, int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture));
        return highest;
    }

    /// <summary>
    /// Polls until <paramref name="reached"/>, the edge printed "programming …: 100%" (the update is committed, the
    /// cheap sign of it: no state file read every few milliseconds), refused the update, or exited.
    /// </summary>
    private static async Task UntilAsync(Func<bool> reached, ChildProcess edge, int logMark, CancellationToken ct)
    {
        while (!reached() && !edge.HasExited)
        {
            string log = edge.StderrSince(logMark);
            if (ProgrammingPercent(log) >= 100 || Refused(log)) return;
            await Task.Delay(Poll, ct).ConfigureAwait(false);
        }
    }

    private static bool Refused(string log) => log.Contains("rejected ", StringComparison.Ordinal);

    [GeneratedRegex(@"^programming[^\n:]*:\s*(\d+)%", RegexOptions.Multiline)]
    private static partial Regex ProgressLine();
}
