using System.Globalization;

namespace EdgeSkyrmion.Cloud.Fleet.Rollouts;

/// <summary>
/// The staged-rollout state machine, free of storage so whatever hosts a rollout (the SQLite store today) runs the
/// same rule: given the thresholds, how many groups are open and each open group's counts, either nothing happens,
/// the next group opens (the last open group reached the success threshold), or the rollout stops with a reason (an
/// open group crossed the error threshold, or the last open group finished below the success threshold while a
/// group still waits). A host applies the decision and asks again until it is <see cref="Decision.Continue"/>.
/// </summary>
public static class RolloutStages
{
    /// <summary>One group's devices by outcome.</summary>
    public readonly record struct Counts(uint Pending, uint Sent, uint Applied, uint Rejected, uint Cancelled, uint Superseded = 0)
    {
        public uint Devices => Pending + Sent + Applied + Rejected + Cancelled + Superseded;

        /// <summary>The devices the update is for: a superseded device already holds a newer version, so it neither succeeded nor failed.</summary>
        public uint Eligible => Devices - Superseded;

        public bool Finished => Pending + Sent == 0;
    }

    public enum Step { Continue, OpenNext, Stop }

    public readonly record struct Decision(Step Step, string? Reason)
    {
        public static readonly Decision Continue = new(Step.Continue, null);
    }

    /// <summary>What to do now. <paramref name="open"/> holds the counts of groups 1…k that have started, in order.</summary>
    public static Decision Next(double successThresholdPercent, double errorThresholdPercent, int groups, IReadOnlyList<Counts> open)
    {
        for (int g = 0; g < open.Count; g++)
            if (CrossedError(errorThresholdPercent, open[g]))
                return new Decision(Step.Stop, $"group {g + 1}: {open[g].Rejected} of {open[g].Eligible} devices rejected the update ({Percent(open[g].Rejected, open[g].Eligible)} %), past the error threshold of {Text(errorThresholdPercent)} %.");
        if (open.Count >= groups) return Decision.Continue;
        Counts last = open[^1];
        if (ReachedSuccess(successThresholdPercent, last)) return new Decision(Step.OpenNext, null);
        if (last.Finished)
            return new Decision(Step.Stop, $"group {open.Count} finished with {last.Applied} of {last.Eligible} devices applied ({Percent(last.Applied, last.Eligible)} %), below the success threshold of {Text(successThresholdPercent)} %.");
        return Decision.Continue;
    }

    /// <summary>
    /// Whether one device finishing can change the decision, so a host may skip counting: a rejection under an error
    /// threshold can stop the rollout; otherwise only a device of the last open group, while a group still waits, can
    /// open the next one. In a big last group this makes applied acks free.
    /// </summary>
    public static bool MayChange(double errorThresholdPercent, int groups, int openGroups, int group, bool rejected) =>
        (rejected && errorThresholdPercent < 100) || (group == openGroups && openGroups < groups);

    /// <summary>Where one group stands, for the status the operator reads.</summary>
    public static Protos.V1.RolloutGroupState StateOf(double successThresholdPercent, double errorThresholdPercent, bool opened, Counts c) =>
        !opened ? Protos.V1.RolloutGroupState.Waiting
        : CrossedError(errorThresholdPercent, c) ? Protos.V1.RolloutGroupState.Failed
        : ReachedSuccess(successThresholdPercent, c) ? Protos.V1.RolloutGroupState.Succeeded
        : c.Finished ? Protos.V1.RolloutGroupState.Failed
        : Protos.V1.RolloutGroupState.InProgress;

    // Shares compare as integers (applied·100 ≥ s·n) so 19 of 20 meets 95 % exactly, without rounding doubt.
    private static bool ReachedSuccess(double percent, Counts c) => c.Eligible == 0 || c.Applied * 100.0 >= percent * c.Eligible;

    private static bool CrossedError(double percent, Counts c) => c.Eligible > 0 && c.Rejected * 100.0 > percent * c.Eligible;

    private static string Percent(uint part, uint whole) => (100.0 * part / Math.Max(1, whole)).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Text(double percent) => percent.ToString(CultureInfo.InvariantCulture);
}
