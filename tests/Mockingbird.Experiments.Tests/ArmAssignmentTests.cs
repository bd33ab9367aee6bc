namespace Mockingbird.Experiments.Tests;

public sealed class ArmAssignmentTests
{
    private static readonly ExperimentDesign Design = new(
        "judge-design-2026-12", "judge-design", "v1", [new("v1", 1), new("v2", 1)], PrimaryMetric.HelpfulShare, 0.1, 0.05, new Guardrails());

    private static ExperimentControl Control(IEnumerable<ArmStop>? stops = null, params string[] optedOut) =>
        new([.. stops ?? []], new HashSet<string>(optedOut, StringComparer.Ordinal));

    [Fact]
    public void A_candidate_keeps_the_same_arm_on_every_call()
    {
        var arms = Enumerable.Range(0, 5).Select(_ => ArmAssignment.Randomised(Design, "discord:42").Version).Distinct();

        Assert.Single(arms);
    }

    [Fact]
    public void Equal_weights_split_candidates_about_evenly()
    {
        var inV2 = Enumerable.Range(0, 4000).Count(i => ArmAssignment.Randomised(Design, $"slack:U{i}").Version == "v2");

        Assert.InRange(inV2, 1860, 2140); // ±4.4 standard deviations of a fair split
    }

    [Fact]
    public void Weights_set_the_share_of_candidates_in_each_arm()
    {
        var skewed = Design with { Arms = [new("v1", 9), new("v2", 1)] };

        var inV2 = Enumerable.Range(0, 4000).Count(i => ArmAssignment.Randomised(skewed, $"slack:U{i}").Version == "v2");

        Assert.InRange(inV2, 320, 480);
    }

    [Fact]
    public void A_candidate_whose_arm_stopped_is_served_the_baseline_but_still_counted_in_their_arm()
    {
        var candidate = Enumerable.Range(0, 100).Select(i => $"discord:{i}").First(c => ArmAssignment.Randomised(Design, c).Version == "v2");
        var stopped = Control([new ArmStop(Design.Id, "v2", "fallback rate 40%", "guardrail", DateTimeOffset.UnixEpoch)]);

        Assert.Equal("v1", ArmAssignment.Served(Design, candidate, stopped));
        Assert.Equal("v2", ArmAssignment.Counted(Design, candidate, stopped)?.Version);
        Assert.Equal("v2", ArmAssignment.Served(Design, candidate, ExperimentControl.Empty));
    }

    [Fact]
    public void A_stop_in_another_experiment_changes_nothing_here()
    {
        var candidate = Enumerable.Range(0, 100).Select(i => $"discord:{i}").First(c => ArmAssignment.Randomised(Design, c).Version == "v2");
        var elsewhere = Control([new ArmStop("another", "v2", "cost", "guardrail", DateTimeOffset.UnixEpoch)]);

        Assert.Equal("v2", ArmAssignment.Served(Design, candidate, elsewhere));
    }

    [Fact]
    public void A_person_who_opted_out_is_served_the_baseline_and_counted_in_no_arm()
    {
        var candidate = Enumerable.Range(0, 100).Select(i => $"discord:{i}").First(c => ArmAssignment.Randomised(Design, c).Version == "v2");
        var control = Control(null, candidate);

        Assert.Equal("v1", ArmAssignment.Served(Design, candidate, control));
        Assert.Null(ArmAssignment.Counted(Design, candidate, control));
    }
}
