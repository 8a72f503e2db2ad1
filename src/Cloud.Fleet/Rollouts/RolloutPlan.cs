using System.Globalization;

namespace EdgeSkyrmion.Cloud.Fleet.Rollouts;

/// <summary>
/// How a rollout is staged: its groups of devices in order, the success threshold a group must reach before the next
/// one starts, the error threshold that stops the rollout, and whether devices registered later join it (dynamic).
/// An unstaged rollout is one group with both thresholds at 100 % (nothing can stop it). Built only through
/// <see cref="Create"/>, which refuses bad input naming what is wrong, so a stored plan is always a valid one.
/// </summary>
public sealed record RolloutPlan(IReadOnlyList<IReadOnlyList<string>> Groups, double SuccessThresholdPercent, double ErrorThresholdPercent, bool Dynamic)
{
    /// <summary>One stage of the request: a cumulative percent of the targets, or a list of device ids.</summary>
    public sealed record GroupSpec(double? Percent, IReadOnlyList<string> DeviceIds);

    /// <summary>
    /// Splits <paramref name="targets"/> (in order) into the requested groups. Percent groups are cumulative shares of
    /// the targets, strictly increasing, the last 100 % (every target is in some group); group k holds the targets up
    /// to ⌈p_k·n/100⌉. Explicit groups are the targets themselves, each listed once. Refused: a threshold outside
    /// 0–100 %, a mix of percent and explicit groups, a group that comes out empty, a device in two groups, and a
    /// dynamic rollout whose groups are lists.
    /// </summary>
    public static RolloutPlan Create(IReadOnlyList<string> targets, IReadOnlyList<GroupSpec> groups, double? successThresholdPercent, double? errorThresholdPercent, bool dynamic)
    {
        double success = Threshold(successThresholdPercent, "success");
        double error = Threshold(errorThresholdPercent, "error");
        if (groups.Count == 0) return new RolloutPlan([targets], success, error, dynamic);
        int empty = groups.ToList().FindIndex(g => g.Percent is null && g.DeviceIds.Count == 0);
        if (empty >= 0) throw new ArgumentException($"group {empty + 1} is empty: give it a percent above 0 or at least one device.");
        bool percents = groups[0].Percent is not null;
        if (groups.Any(g => (g.Percent is not null) != percents || (g.Percent is not null && g.DeviceIds.Count > 0)))
            throw new ArgumentException("groups: give every group as a percent (1%,10%,100%) or every group as a list of devices, not both.");
        return percents ? new RolloutPlan(ByPercent(targets, groups), success, error, dynamic)
            : dynamic ? throw new ArgumentException("dynamic: only a rollout to percent groups of every registered device can take in devices registered later; these groups are lists of devices.")
            : new RolloutPlan(ByList(groups), success, error, dynamic);
    }

    /// <summary>Whether anything can hold the rollout back: more than one group, or an error threshold below 100 %.</summary>
    public bool Staged => Groups.Count > 1 || ErrorThresholdPercent < 100;

    private static double Threshold(double? percent, string name) => percent switch
    {
        null => 100,
        >= 0 and <= 100 => percent.Value,
        _ => throw new ArgumentException($"{name} threshold {percent.Value.ToString(CultureInfo.InvariantCulture)} %: must be within 0–100 %."),
    };

    private static List<IReadOnlyList<string>> ByPercent(IReadOnlyList<string> targets, IReadOnlyList<GroupSpec> groups)
    {
        // Percent groups with no device list split every registered device: none means an empty fleet, not a narrow group.
        if (targets.Count == 0) throw new ArgumentException("groups: no device is registered, so there is nothing to split into percent groups; register devices first.");
        var result = new List<IReadOnlyList<string>>();
        double previous = 0;
        int taken = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            double p = groups[g].Percent!.Value;
            string name = $"group {g + 1} ({p.ToString(CultureInfo.InvariantCulture)} %)";
            if (!(p > 0 && p <= 100)) throw new ArgumentException($"{name}: a group's percent must be above 0 and at most 100.");
            if (p <= previous) throw new ArgumentException($"{name}: percents are cumulative and must increase ({previous.ToString(CultureInfo.InvariantCulture)} % before it); this group would overlap the previous one.");
            // The small epsilon keeps 10 % of 300 at 30 when floating point makes it 30.000000000000004.
            int upTo = Math.Min(targets.Count, (int)Math.Ceiling(p * targets.Count / 100 - 1e-9));
            if (upTo <= taken) throw new ArgumentException($"{name} of {targets.Count} devices would be empty; use fewer or wider groups.");
            result.Add([.. targets.Skip(taken).Take(upTo - taken)]);
            taken = upTo;
            previous = p;
        }
        if (previous < 100) throw new ArgumentException($"groups: the last group is {previous.ToString(CultureInfo.InvariantCulture)} %; it must be 100 % so that every target device is in a group.");
        return result;
    }

    private static List<IReadOnlyList<string>> ByList(IReadOnlyList<GroupSpec> groups)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<IReadOnlyList<string>>();
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (string d in groups[g].DeviceIds)
                if (!seen.TryAdd(d, g + 1))
                    throw new ArgumentException(seen[d] == g + 1 ? $"group {g + 1} lists device {d} twice." : $"device {d} is in group {seen[d]} and group {g + 1}; groups must not overlap.");
            result.Add(groups[g].DeviceIds);
        }
        return result;
    }
}
