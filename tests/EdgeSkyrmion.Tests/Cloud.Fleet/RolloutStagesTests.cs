using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;
using static EdgeSkyrmion.Cloud.Fleet.Rollouts.RolloutStages;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>
/// The staged-rollout rule on its own: how groups are cut from percents or lists (and what is refused), when the next
/// group opens, and when the thresholds stop the rollout and with what reason.
/// </summary>
public sealed class RolloutStagesTests
{
    private static readonly string[] Fleet = [.. Enumerable.Range(0, 300).Select(i => $"d{i:D3}")];

    private static RolloutPlan.GroupSpec P(double percent) => new(percent, []);

    private static RolloutPlan.GroupSpec L(params string[] ids) => new(null, ids);

    [Fact]
    public void CumulativePercentsCutTheTargetsInOrderWithoutOverlapAndCoverEveryDevice()
    {
        RolloutPlan plan = RolloutPlan.Create(Fleet, [P(1), P(10), P(100)], 95, 5, dynamic: false);
        Assert.Equal([3, 27, 270], plan.Groups.Select(g => g.Count));
        Assert.Equal(Fleet, plan.Groups.SelectMany(g => g));
        Assert.Equal(["d000", "d001", "d002"], plan.Groups[0]);
        Assert.True(plan.Staged);
    }

    [Fact]
    public void NoGroupsIsOneGroupThatNothingCanStop()
    {
        RolloutPlan plan = RolloutPlan.Create(Fleet, [], null, null, dynamic: false);
        Assert.Single(plan.Groups);
        Assert.Equal((100.0, 100.0), (plan.SuccessThresholdPercent, plan.ErrorThresholdPercent));
        Assert.False(plan.Staged);
    }

    [Theory]
    [InlineData(-1.0, null, "success threshold -1 %: must be within 0–100 %.")]
    [InlineData(null, 100.5, "error threshold 100.5 %: must be within 0–100 %.")]
    public void AThresholdOutside0To100IsRefusedNamingIt(double? success, double? error, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => RolloutPlan.Create(Fleet, [P(100)], success, error, false)).Message);

    [Fact]
    public void OverlappingEmptyOrIncompleteGroupsAreRefusedNamingTheGroup()
    {
        string Refusal(IReadOnlyList<string> targets, params RolloutPlan.GroupSpec[] groups) =>
            Assert.Throws<ArgumentException>(() => RolloutPlan.Create(targets, groups, null, null, false)).Message;

        Assert.StartsWith("group 2 (10 %): percents are cumulative and must increase (10 % before it)", Refusal(Fleet, P(10), P(10), P(100)));
        Assert.Equal("group 2 (20 %) of 5 devices would be empty; use fewer or wider groups.", Refusal(Fleet[..5], P(10), P(20), P(100)));
        Assert.Equal("groups: no device is registered, so there is nothing to split into percent groups; register devices first.", Refusal([], P(1), P(100)));
        Assert.Equal("groups: the last group is 50 %; it must be 100 % so that every target device is in a group.", Refusal(Fleet, P(10), P(50)));
        Assert.Equal("group 1 (0 %): a group's percent must be above 0 and at most 100.", Refusal(Fleet, P(0), P(100)));
        Assert.Equal("group 2 is empty: give it a percent above 0 or at least one device.", Refusal(Fleet, L("d000"), L()));
        Assert.Equal("device d001 is in group 1 and group 2; groups must not overlap.", Refusal([], L("d000", "d001"), L("d001")));
        Assert.Equal("group 1 lists device d000 twice.", Refusal([], L("d000", "d000")));
        Assert.StartsWith("groups: give every group as a percent", Refusal(Fleet, P(10), L("d000")));
        Assert.StartsWith("dynamic: only a rollout to percent groups",
            Assert.Throws<ArgumentException>(() => RolloutPlan.Create([], [L("d000")], null, null, dynamic: true)).Message);
    }

    [Fact]
    public void TheNextGroupOpensOnceTheLastOpenOneReachesTheSuccessThreshold()
    {
        // 19 of 20 is exactly 95 %: reached. 18 of 20 with 2 still in flight: keep waiting.
        Assert.Equal(Step.OpenNext, Next(95, 100, 3, [new Counts(0, 1, 19, 0, 0)]).Step);
        Assert.Equal(Decision.Continue, Next(95, 100, 3, [new Counts(0, 2, 18, 0, 0)]));
        Assert.Equal(Decision.Continue, Next(95, 100, 3, [new Counts(0, 0, 20, 0, 0), new Counts(5, 0, 0, 0, 0)]));
        Assert.Equal(Decision.Continue, Next(0, 100, 1, [new Counts(0, 0, 0, 3, 0)]));
    }

    [Fact]
    public void CrossingTheErrorThresholdInAnyOpenGroupStopsWithTheReason()
    {
        // 1 of 20 is 5 %: not past 5 %; 2 of 20 is.
        Assert.Equal(Decision.Continue, Next(100, 5, 2, [new Counts(0, 1, 18, 1, 0)]));
        Decision stop = Next(90, 5, 3, [new Counts(0, 0, 20, 0, 0), new Counts(10, 6, 2, 2, 0)]);
        Assert.Equal(Step.Stop, stop.Step);
        Assert.Equal("group 2: 2 of 20 devices rejected the update (10 %), past the error threshold of 5 %.", stop.Reason);
        Assert.Equal(Step.Stop, Next(100, 5, 2, [new Counts(0, 0, 0, 2, 0), new Counts(5, 0, 0, 0, 0)]).Step);
    }

    [Fact]
    public void AGroupFinishedBelowTheSuccessThresholdStopsWhileAGroupStillWaits()
    {
        Decision stop = Next(100, 100, 2, [new Counts(0, 0, 9, 1, 0)]);
        Assert.Equal(Step.Stop, stop.Step);
        Assert.Equal("group 1 finished with 9 of 10 devices applied (90 %), below the success threshold of 100 %.", stop.Reason);
    }

    [Fact]
    public void OnlyARejectionUnderAnErrorThresholdOrAnAckInTheLastOpenGroupWhileOneWaitsCanChangeTheDecision()
    {
        Assert.True(MayChange(5, groups: 3, openGroups: 3, group: 3, rejected: true));
        Assert.False(MayChange(100, 3, 3, 3, rejected: true));
        Assert.False(MayChange(5, 3, 3, 3, rejected: false));
        Assert.True(MayChange(100, 3, 2, 2, rejected: false));
        Assert.False(MayChange(100, 3, 2, 1, rejected: false));
    }

    [Fact]
    public void EachGroupReadsAsWaitingInProgressSucceededOrFailed()
    {
        Assert.Equal(RolloutGroupState.Waiting, StateOf(95, 5, opened: false, new Counts(4, 0, 0, 0, 0)));
        Assert.Equal(RolloutGroupState.InProgress, StateOf(95, 5, true, new Counts(1, 1, 2, 0, 0)));
        Assert.Equal(RolloutGroupState.Succeeded, StateOf(50, 5, true, new Counts(1, 1, 2, 0, 0)));
        Assert.Equal(RolloutGroupState.Failed, StateOf(50, 5, true, new Counts(1, 0, 2, 1, 0)));
        Assert.Equal(RolloutGroupState.Failed, StateOf(100, 100, true, new Counts(0, 0, 3, 1, 0)));
    }

    [Fact]
    public void StagesAreSettledOnceTheyCanOpenNoMoreGroupsAndThenAnAckMayChangeOnlyByAnError()
    {
        var unstaged = new RolloutStore.Stages(1, 1, 100, 100, false, null);
        var opening = new RolloutStore.Stages(3, 2, 95, 5, false, null);
        var allOpen = opening with { OpenGroups = 3 };
        var stopped = opening with { StopReason = "group 2: 6 % rejected" };
        Assert.Equal([true, false, true, true], new[] { unstaged, opening, allOpen, stopped }.Select(s => s.Settled));

        Assert.False(unstaged.MayChange(1, rejected: true));
        Assert.False(stopped.MayChange(2, rejected: true));
        Assert.False(allOpen.MayChange(3, rejected: false));
        Assert.True(allOpen.MayChange(3, rejected: true));
        Assert.True(opening.MayChange(2, rejected: false));
        Assert.False(opening.MayChange(1, rejected: false));
    }
}
