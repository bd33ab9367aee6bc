using Mockingbird.Chat.Ratings;
using Mockingbird.Interview.Judging;

namespace Mockingbird.Chat.Tests;

public sealed class FeedbackArmTests
{
    [Fact]
    public void Feedback_written_in_an_experiment_counts_for_its_variant()
    {
        var source = new FeedbackSource("llm", "gpt-test", "judge-design", "v2", "abc", "judge-design-2026-12/v2");

        Assert.Equal("judge-design-2026-12/v2", FeedbackArm.Of(source));
    }

    [Fact]
    public void Feedback_outside_any_experiment_counts_for_its_prompt_and_version()
    {
        var source = new FeedbackSource("llm", "gpt-test", "judge-design", "v3", "abc", "default");

        Assert.Equal("judge-design@v3", FeedbackArm.Of(source));
    }

    [Fact]
    public void Feedback_the_offline_judge_wrote_for_a_failing_llm_counts_in_the_candidates_experiment_arm()
    {
        var source = new FeedbackSource("offline-fallback", "gpt-test", Experiment: "judge-design-2026-12", Arm: "v2", PromptTokens: 900);

        Assert.Equal("judge-design-2026-12/v2", FeedbackArm.Of(source));
    }

    [Fact]
    public void Feedback_served_the_baseline_because_its_arm_stopped_counts_in_the_arm_the_candidate_was_randomised_to()
    {
        var source = new FeedbackSource("llm", "gpt-test", "judge-design", "v1", "abc", "judge-design-2026-12/v2", "judge-design-2026-12", "v2");

        Assert.Equal("judge-design-2026-12/v2", FeedbackArm.Of(source));
    }

    [Theory]
    [InlineData("offline-rubric")]
    [InlineData("offline-fallback")]
    public void Feedback_from_an_offline_judge_counts_for_that_judge_and_never_for_a_prompt(string judge) =>
        Assert.Equal(judge, FeedbackArm.Of(new FeedbackSource(judge)));

    [Fact]
    public void Feedback_without_a_source_or_with_an_arm_a_button_cannot_carry_counts_as_unknown()
    {
        Assert.Equal(FeedbackArm.Unknown, FeedbackArm.Of(null));
        Assert.Equal(FeedbackArm.Unknown, FeedbackArm.Of(new FeedbackSource("llm", "m", "judge-design", "v1", "h", "an experiment with spaces/v1")));
        Assert.Equal(FeedbackArm.Unknown, FeedbackArm.Of(new FeedbackSource("llm", "m", "judge-design", "v1", "h", new string('x', FeedbackArm.MaxLength + 1))));
    }

    [Theory]
    [InlineData("judge-design@v1", true)]
    [InlineData("exp_1/v2", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("a|helpful", false)]
    [InlineData("<@123>", false)]
    [InlineData("4", false)]
    public void Arms_read_back_from_buttons_are_checked_before_they_are_counted(string? arm, bool wellFormed) =>
        Assert.Equal(wellFormed, FeedbackArm.IsWellFormed(arm));
}
