using Mockingbird.Chat.Ratings;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Chat.Tests;

public sealed class DisputeChatTests
{
    private static readonly Feedback Judged = HostileActions.LongFeedback("plain", 300) with { Source = new FeedbackSource("llm", "gpt-test", "judge-design", "v3") };

    [Theory]
    [InlineData("disputes", null)]
    [InlineData("disputes on", DisputeAction.On)]
    [InlineData("DISPUTES Off", DisputeAction.Off)]
    [InlineData("disputes vote", DisputeAction.Vote)]
    public void Disputes_take_on_off_or_vote_and_nothing_else(string text, DisputeAction? action)
    {
        Assert.Equal(new ChatCommand.Disputes(action), ChatCommand.ParseText(text));
        Assert.Contains("not a choice for disputes", Assert.IsType<ChatCommand.Unknown>(ChatCommand.ParseText("disputes maybe")).Problem, StringComparison.Ordinal);
        Assert.Contains("Too many words", Assert.IsType<ChatCommand.Unknown>(ChatCommand.ParseText("disputes vote now")).Problem, StringComparison.Ordinal);
        Assert.Contains("/mock disputes [on | off | vote]", ChatCommand.Usage("/mock"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_candidates_feedback_carries_I_disagree_naming_its_turn_question_and_prompt_version_and_a_daily_feedback_does_not()
    {
        var buttons = ChatButton.For(new PostFeedback(4, 2, null, Judged)) ?? [];
        var daily = ChatButton.For(new PostFeedback(1, 1, null, Judged, For: "ada")) ?? [];
        var privateDaily = ChatButton.For(new PostFeedback(0, 1, null, Judged)) ?? [];

        var disagree = Assert.Single(buttons, b => b.Kind == ChatButtonKind.Disagree);
        Assert.Equal("I disagree", disagree.Label);
        Assert.Equal(new DisputedFeedback(4, Judged.QuestionId, "judge-design@v3"), DisputedFeedback.Decode(disagree.Value));
        Assert.DoesNotContain(daily, b => b.Kind == ChatButtonKind.Disagree);
        Assert.DoesNotContain(privateDaily, b => b.Kind == ChatButtonKind.Disagree);
        Assert.Contains(privateDaily, b => b.Kind == ChatButtonKind.RateUp);
    }

    [Fact]
    public void An_arm_too_long_for_a_button_is_carried_as_unknown_and_a_damaged_value_decodes_to_nothing()
    {
        var longArm = Judged with { Source = new FeedbackSource("llm", PromptName: new string('p', 76), PromptVersion: "v1") };

        var value = DisputedFeedback.Of(new PostFeedback(4, 2, null, longArm)).Encode();

        Assert.True(value.Length <= DisputedFeedback.MaxLength);
        Assert.Equal(FeedbackArm.Unknown, DisputedFeedback.Decode(value)!.Arm);
        Assert.Null(DisputedFeedback.Decode("x|q|arm"));
        Assert.Null(DisputedFeedback.Decode("4|q"));
        Assert.Equal(FeedbackArm.Unknown, DisputedFeedback.Decode("4|q|<@123>")!.Arm);
    }
}
