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
        Assert.Equal(["Answer", "Answer, continued (2)", "Answer, continued (3)"], form.Fields.Take(3).Select(f => f.Label));
        Assert.Equal([true, false, false], form.Fields.Take(3).Select(f => f.Required));
        Assert.Equal(form.Fields.Count, form.Fields.Select(f => f.Id).Distinct().Count());
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(3000)]
    [InlineData(5000)]
    public void A_form_filled_to_every_inputs_limit_is_an_answer_of_exactly_the_longest_length_taken(int inputLimit)
    {
        var form = AnswerForm.For(inputLimit);

        var answer = AnswerForm.Answer(form.Fields.Select(f => new string('x', f.MaxLength)));

        Assert.Equal(new InterviewRules().MaxAnswerCharacters, answer.Length);
        Assert.All(form.Fields, f => Assert.InRange(f.MaxLength, 1, inputLimit));
    }

    [Fact]
    public void Filled_inputs_become_one_answer_in_paragraphs_and_blank_ones_are_dropped()
    {
        Assert.Equal("first\n\nsecond", AnswerForm.Answer(["  first ", null, " \n ", "second\n"]));
        Assert.Equal(string.Empty, AnswerForm.Answer([null, "   "]));
    }
}
