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

public sealed class RatedFeedbackTests
{
    [Fact]
    public void A_rating_button_carries_its_feedbacks_arm_and_interview_and_reads_them_back()
    {
        var value = new RatedFeedback("judge-design-2026-12/v2", "1a2b3c4d").Encode();

        Assert.Equal("judge-design-2026-12/v2|1a2b3c4d", value);
        Assert.Equal(new RatedFeedback("judge-design-2026-12/v2", "1a2b3c4d"), RatedFeedback.Decode(value));
    }

    [Fact]
    public void An_arm_too_long_to_leave_room_for_the_interview_is_carried_alone()
    {
        var arm = new string('x', FeedbackArm.MaxLength - 8);

        var value = new RatedFeedback(arm, "1a2b3c4d").Encode();

        Assert.Equal(arm, value);
        Assert.True(value.Length <= RatedFeedback.MaxLength);
        Assert.Equal(new RatedFeedback(arm, null), RatedFeedback.Decode(value));
    }

    [Theory]
    [InlineData("judge-design@v1", "judge-design@v1", null)]
    [InlineData("judge-design@v1|", "judge-design@v1", null)]
    [InlineData("judge-design@v1|1A2B3C4D", "judge-design@v1", null)]
    [InlineData("judge-design@v1|1a2b3c4d9", "judge-design@v1", null)]
    [InlineData("<@123>|1a2b3c4d", FeedbackArm.Unknown, "1a2b3c4d")]
    [InlineData("a|b|1a2b3c4d", FeedbackArm.Unknown, null)]
    [InlineData(null, FeedbackArm.Unknown, null)]
    public void What_a_button_carries_is_checked_before_it_is_counted(string? value, string arm, string? interview) =>
        Assert.Equal(new RatedFeedback(arm, interview), RatedFeedback.Decode(value));
}
