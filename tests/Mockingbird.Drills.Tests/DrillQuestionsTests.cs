using Mockingbird.Testing;

namespace Mockingbird.Drills.Tests;

public sealed class DrillQuestionsTests
{
    private readonly DrillQuestions _questions = new(SampleQuestions.Bank());

    [Fact]
    public void A_design_dimension_is_drilled_with_a_design_question_whose_rubric_names_it_framed_for_a_short_answer()
    {
        var drill = _questions.Pick("cost", [])!;

        Assert.Equal(SampleQuestions.SupportAssistant.Id, drill.QuestionId);
        Assert.Equal($"{SampleQuestions.SupportAssistant.Prompt.Trim()}\n\nAnswer in 3–5 sentences.", drill.Text);
    }

    [Fact]
    public void The_shortest_fitting_question_is_asked_unless_the_candidate_met_it_lately()
    {
        var shortest = new[] { SampleQuestions.Attention, SampleQuestions.KvCache }.MinBy(q => q.Prompt.Length)!;
        var other = shortest == SampleQuestions.Attention ? SampleQuestions.KvCache : SampleQuestions.Attention;

        Assert.Equal(shortest.Id, _questions.Pick("depth", [])!.QuestionId);
        Assert.Equal(other.Id, _questions.Pick("depth", [shortest.Id])!.QuestionId);
        Assert.Equal(shortest.Id, _questions.Pick("depth", [shortest.Id, other.Id])!.QuestionId);
    }

    [Fact]
    public void A_behavioural_dimension_is_drilled_with_a_behavioural_question()
    {
        Assert.Contains(_questions.Pick("ownership", [])!.QuestionId, new[] { SampleQuestions.Incident.Id, SampleQuestions.Disagreement.Id });
    }
}
