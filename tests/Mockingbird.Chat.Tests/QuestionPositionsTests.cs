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
