using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Tests;

public sealed class AnswerFormTests
{
    [Theory]
    [InlineData(4000, 3)]
    [InlineData(3000, 4)]
    [InlineData(5000, 3)]
    public void A_form_has_as_many_inputs_as_the_longest_answer_needs(int inputLimit, int inputs)
    {
        var form = AnswerForm.For(inputLimit);

        Assert.Equal(inputs, form.Fields.Count);
        Assert.True(form.Fields.Sum(f => f.MaxLength) >= new InterviewRules().MaxAnswerCharacters);
        Assert.Equal(["Answer", "Answer, continued (2)", "Answer, continued (3)"], form.Fields.Take(3).Select(f => f.Label));
        Assert.Equal([true, false, false], form.Fields.Take(3).Select(f => f.Required));
        Assert.Equal(form.Fields.Count, form.Fields.Select(f => f.Id).Distinct().Count());
    }

    [Fact]
    public void Filled_inputs_become_one_answer_in_paragraphs_and_blank_ones_are_dropped()
    {
        Assert.Equal("first\n\nsecond", AnswerForm.Answer(["  first ", null, " \n ", "second\n"]));
        Assert.Equal(string.Empty, AnswerForm.Answer([null, "   "]));
    }
}
