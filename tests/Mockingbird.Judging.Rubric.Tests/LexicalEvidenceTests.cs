using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Rubric.Tests;

/// <summary>Evidence phrases found in other inflections and word orders, and the questions-to-ask stage read as questions.</summary>
public sealed class LexicalEvidenceTests
{
    private static Feedback Judge(Question question, string answer) =>
        RubricJudge.Judge(new JudgeRequest(question, null, answer));

    [Theory]
    [InlineData("Mitigates before hunting the root cause", "I rolled the bad model back within minutes because customers were seeing broken recommendations.")]
    [InlineData("Prevents a recurrence", "I added a schema check to the pipeline, preventing the same break from reaching users since it blocks bad batches.")]
    public void An_evidence_phrase_counts_in_another_inflection_or_word_order_within_a_clause(string point, string sentence)
    {
        Assert.Contains(Judge(SampleQuestions.Incident, sentence).Covered, c => c.Point == point);
    }

    [Fact]
    public void Words_of_a_phrase_spread_over_different_clauses_do_not_count()
    {
        var feedback = Judge(SampleQuestions.Incident, "We rolled out a new ranker last spring, and I went back to the old features later because the team asked.");

        Assert.DoesNotContain(feedback.Covered, c => c.Point == "Mitigates before hunting the root cause");
    }

    [Fact]
    public void Questions_a_candidate_quotes_are_seen_as_questions_and_earn_their_points()
    {
        const string answer = """
            Yes, two. First: "How do your offline metrics line up with the online metric once a model ships?" That tells me whether the eval can be trusted.
            Second: "Who owns the eval set on your team, and how often is it refreshed with new traffic?" I ask because a stale set hides regressions.
            """;

        var feedback = Judge(SampleQuestions.AskEvaluation, answer);

        var specificity = feedback.Dimensions.Single(d => d.Name == "specificity");
        Assert.Equal(4, specificity.Score);
        Assert.DoesNotContain("No question was asked", specificity.Rationale, StringComparison.Ordinal);
        Assert.Contains(feedback.Covered, c => c.Point == SampleQuestions.AskEvaluation.Rubric[0].Text);
        Assert.Contains(feedback.Covered, c => c.Point == SampleQuestions.AskEvaluation.Rubric[1].Text);
    }

    [Fact]
    public void Asking_only_about_salary_and_perks_scores_below_a_thoughtful_question()
    {
        var salary = Judge(SampleQuestions.AskEvaluation, "What is the salary range for this role, and how many days can your team work from home?");
        var thoughtful = Judge(SampleQuestions.AskEvaluation, "When an offline gain on your eval set does not show up in the online metric, how does your team find out why?");

        Assert.Equal(1, salary.Dimensions.Single(d => d.Name == "specificity").Score);
        Assert.True(salary.Total < thoughtful.Total, $"salary {salary.Total}, thoughtful {thoughtful.Total}");
    }

    [Theory]
    [InlineData("We can ignore the softmax becoming peaky, because training copes with it in practice.")]
    [InlineData("Instead of worrying that logits saturate the softmax, I would train longer since it works out.")]
    [InlineData("I would skip the part about vanishing gradients, because modern optimisers handle everything.")]
    [InlineData("Whether the softmax saturates doesn't matter, because the optimiser copes with it anyway.")]
    public void A_clause_that_dismisses_an_idea_is_no_evidence_of_it(string dismissal)
    {
        Assert.Empty(Judge(SampleQuestions.Attention, dismissal).Covered);
    }

    [Theory]
    [InlineData("Without scaling, large logits saturate the softmax, because the dot products grow with dimension.")]
    [InlineData("Because large logits saturate the softmax, the gradients never reach the earlier layers in useful size.")]
    public void Negation_that_explains_still_counts_as_evidence(string explanation)
    {
        Assert.Contains(Judge(SampleQuestions.Attention, explanation).Covered, c => c.Point == SampleQuestions.Attention.Rubric[1].Text);
    }
}
