namespace EdgeSkyrmion.Protos.V1;

/// <summary>The contract's enums as the words people read: the CLI's tables, the console's pages, refusals that name a state.</summary>
public static class Words
{
    public static string Outcome(UpdateOutcome outcome) => outcome switch
    {
        UpdateOutcome.Pending => "pending",
        UpdateOutcome.Sent => "sent",
        UpdateOutcome.Applied => "applied",
        UpdateOutcome.Rejected => "rejected",
        UpdateOutcome.Cancelled => "cancelled",
        UpdateOutcome.Superseded => "superseded",
        _ => "unknown",
    };

    public static string State(RolloutState state) => state switch
    {
        RolloutState.InProgress => "in progress",
        RolloutState.Succeeded => "succeeded",
        RolloutState.FinishedWithRejections => "finished with rejections",
        RolloutState.Paused => "paused",
        RolloutState.Cancelled => "cancelled",
        RolloutState.Stopped => "stopped",
        _ => "unknown",
    };

    public static string GroupState(RolloutGroupState state) => state switch
    {
        RolloutGroupState.Waiting => "waiting",
        RolloutGroupState.InProgress => "in progress",
        RolloutGroupState.Succeeded => "succeeded",
        RolloutGroupState.Failed => "failed",
        _ => "unknown",
    };

    public static string Health(DeviceHealth health) => health switch
    {
        DeviceHealth.NoModel => "no model",
        DeviceHealth.Healthy => "healthy",
        DeviceHealth.Degraded => "degraded",
        _ => "unknown",
    };

    public static string Kind(UpdateKind kind) => kind switch
    {
        UpdateKind.Delta => "delta",
        UpdateKind.FullImage => "full",
        _ => "unknown",
    };

    public static SampleSplit Split(string text) => text switch
    {
        "train" => SampleSplit.Train,
        "test" => SampleSplit.Test,
        _ => throw new ArgumentException($"split '{text}': use train or test."),
    };
}
