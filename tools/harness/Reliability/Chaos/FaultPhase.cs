namespace EdgeSkyrmion.Harness.Reliability.Chaos;

/// <summary>Where a fault hit one device's update, judged from what the device and the cloud held at the fault instant.</summary>
public enum FaultPhase
{
    /// <summary>No byte of the update had reached the device.</summary>
    BeforeArrival,

    /// <summary>Some of the update's bytes or chunks had arrived; nothing journaled yet.</summary>
    ChunksArriving,

    /// <summary>The journal was written and the devices were partly programmed; the new version not yet committed.</summary>
    MidProgramming,

    /// <summary>The new version was committed on the device; its ack had not reached the cloud.</summary>
    AfterCommitBeforeAck,

    /// <summary>The cloud had recorded the device's ack.</summary>
    AfterAck,
}

/// <summary>Faults counted by the phase they hit (the chaos report's <c>faults_by_phase</c>).</summary>
public sealed record FaultsByPhase(int BeforeArrival, int ChunksArriving, int MidProgramming, int AfterCommitBeforeAck, int AfterAck)
{
    public int this[FaultPhase phase] => phase switch
    {
        FaultPhase.BeforeArrival => BeforeArrival,
        FaultPhase.ChunksArriving => ChunksArriving,
        FaultPhase.MidProgramming => MidProgramming,
        FaultPhase.AfterCommitBeforeAck => AfterCommitBeforeAck,
        _ => AfterAck,
    };

    public static FaultsByPhase From(int[] counts) => new(counts[0], counts[1], counts[2], counts[3], counts[4]);

    /// <summary>
    /// The phase from a <see cref="ChaosFleet.Glimpse"/> of the device at the fault instant, whether any of the
    /// update's bytes had passed the proxy, and whether the cloud had recorded the ack.
    /// </summary>
    public static FaultPhase Classify(ChaosFleet.Glimpse at, bool bytesArrived, bool ackRecorded)
    {
        if (at.Committed) return ackRecorded ? FaultPhase.AfterAck : FaultPhase.AfterCommitBeforeAck;
        if (at.Journal) return FaultPhase.MidProgramming;
        return bytesArrived || at.Partial || at.ChunkLogged ? FaultPhase.ChunksArriving : FaultPhase.BeforeArrival;
    }
}
