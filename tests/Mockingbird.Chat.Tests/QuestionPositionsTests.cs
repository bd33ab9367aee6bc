using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Tests;

public sealed class QuestionPositionsTests
{
    [Theory]
    [InlineData(3, 1, "3:1")]
    [InlineData(3, null, "3:")]
    public void A_position_round_trips_through_the_text_a_button_carries(int number, int? followUp, string text)
    {
        Assert.Equal(text, QuestionPositions.Encode(new QuestionPosition(number, followUp)));
        Assert.Equal(new QuestionPosition(number, followUp), QuestionPositions.Decode(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("3")]
    [InlineData("3:1:2")]
    [InlineData("-1:")]
    [InlineData("3:x")]
    public void Text_that_is_not_a_position_is_not_taken_for_one(string? text)
    {
        Assert.Null(QuestionPositions.Decode(text));
    }
}

public sealed class HintButtonsTests
{
    [Theory]
    [InlineData(3, 1, 2, "3:1:2")]
    [InlineData(3, null, 1, "3::1")]
    public void A_hint_button_carries_its_prompt_and_the_hint_it_asks_for(int number, int? followUp, int hint, string text)
    {
        var on = new QuestionPosition(number, followUp);

        Assert.Equal(text, HintButtons.Encode(on, hint));
        Assert.Equal(new HintRequested(on, hint), HintButtons.Decode(text));
    }

    [Theory]
    [InlineData("3:", 3, null)]
    [InlineData("3:1", 3, 1)]
    public void A_hint_button_from_before_buttons_carried_a_number_asks_for_the_first_hint(string text, int number, int? followUp)
    {
        Assert.Equal(new HintRequested(new QuestionPosition(number, followUp), 1), HintButtons.Decode(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("3::0")]
    [InlineData("3::x")]
    [InlineData("3::-1")]
    [InlineData("x::1")]
    [InlineData("3:1:2:4")]
    public void Text_that_is_not_a_hint_button_is_not_taken_for_one(string? text)
    {
        Assert.Null(HintButtons.Decode(text));
    }
}
