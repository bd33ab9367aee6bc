using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Tests;

public sealed class ChatButtonTests
{
    [Fact]
    public void Another_hint_button_asks_for_the_next_hint_on_the_same_prompt()
    {
        var on = new QuestionPosition(3, 1);

        var button = Assert.Single(ChatButton.For(new PostHint("think", 1, 2, on, AnotherHintAvailable: true)) ?? []);

        Assert.Equal(new HintRequested(on, 2), ChatButton.InputOf(button.Kind, button.Value));
    }

    [Fact]
    public void A_hint_that_is_the_last_one_and_a_notice_carry_no_buttons()
    {
        Assert.Null(ChatButton.For(new PostHint("think", 2, 2, new QuestionPosition(3, null))));
        Assert.Null(ChatButton.For(new PostNotice("note")));
    }

    [Theory]
    [InlineData(ChatButtonKind.Skip, "x")]
    [InlineData(ChatButtonKind.Hint, "3:x:1")]
    [InlineData(ChatButtonKind.RateUp, "arm")]
    public void A_button_value_that_names_no_question_asks_nothing_of_the_interview(ChatButtonKind kind, string value)
    {
        Assert.Null(ChatButton.InputOf(kind, value));
    }
}
