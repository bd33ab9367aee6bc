using Mockingbird.Testing;

namespace Mockingbird.Disputes.Tests;

public sealed class DisputeRulesTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_reason_is_refused_with_a_sentence_asking_why(string reason)
    {
        var draft = DisputeRules.Draft(SampleDisputes.Request(reason: reason), SampleDisputes.Start);

        Assert.Null(draft.Dispute);
        Assert.Equal("Say why the score is wrong: the reason is empty.", draft.Problem);
    }

    [Fact]
    public void A_reason_over_500_characters_is_refused_with_its_length_and_the_limit()
    {
        var draft = DisputeRules.Draft(SampleDisputes.Request(reason: new string('x', 501)), SampleDisputes.Start);

        Assert.Null(draft.Dispute);
        Assert.Equal("The reason is 501 characters; keep it to 500.", draft.Problem);
        Assert.NotNull(DisputeRules.Draft(SampleDisputes.Request(reason: new string('x', 500)), SampleDisputes.Start).Dispute);
    }

    [Fact]
    public void A_dimension_the_answer_was_not_scored_on_is_refused_naming_the_ones_it_was()
    {
        var draft = DisputeRules.Draft(SampleDisputes.Request(dimension: "serving"), SampleDisputes.Start);

        Assert.Null(draft.Dispute);
        Assert.Equal("This answer was not scored on 'serving'; pick one of: coverage, depth.", draft.Problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    public void A_score_outside_one_to_four_is_a_problem(int score) =>
        Assert.Equal($"A score is 1 (weak) to 4 (strong); {score} is not one.", DisputeRules.ScoreProblem(score));

    [Fact]
    public void Scores_one_to_four_are_no_problem() =>
        Assert.All([1, 2, 3, 4], s => Assert.Null(DisputeRules.ScoreProblem(s)));

    [Fact]
    public void The_dispute_keeps_the_judges_score_and_prompt_version_and_the_rubric_of_the_disputed_dimension()
    {
        var dispute = DisputeRules.Draft(SampleDisputes.Request(judgeScore: 2), SampleDisputes.Start).Dispute!;

        Assert.Equal(2, dispute.Judge.Score);
        Assert.Equal("judge-theory/v1", dispute.Judge.PromptVersion);
        Assert.Equal("coverage", dispute.Case.Rubric.Dimension);
        Assert.Equal(SampleQuestions.Attention.Rubric.Select(p => p.Text), dispute.Case.Rubric.Points);
        Assert.Equal(SampleQuestions.Attention.Prompt, dispute.Case.QuestionPrompt);
    }

    [Fact]
    public void The_same_candidate_feedback_and_dimension_always_name_the_same_dispute()
    {
        Assert.Equal(DisputeRules.IdOf("c", "f", "coverage"), DisputeRules.IdOf("c", "f", "Coverage"));
        Assert.NotEqual(DisputeRules.IdOf("c", "f", "coverage"), DisputeRules.IdOf("c", "f", "depth"));
        Assert.NotEqual(DisputeRules.IdOf("c", "f", "coverage"), DisputeRules.IdOf("d", "f", "coverage"));
    }

    [Theory]
    [InlineData("as <@123456789> said", "as @someone said")]
    [InlineData("as <@!123456789> said", "as @someone said")]
    [InlineData("ping <@&42> and <#C0123>", "ping @someone and @someone")]
    [InlineData("thanks <@U0ABC|ann> and <@W0XYZ>", "thanks @someone and @someone")]
    [InlineData("<!here> look", "@someone look")]
    [InlineData("ask @ann.lee or @bob_k", "ask @someone or @someone")]
    [InlineData("mail ann@example.com", "mail ann@example.com")]
    public void Mentions_and_user_ids_in_the_answer_are_neutralised(string answer, string shown) =>
        Assert.Equal(shown, AnswerAnonymiser.Neutralise(answer));

    [Fact]
    public void The_names_the_candidate_goes_by_are_taken_out_of_the_answer()
    {
        var shown = AnswerAnonymiser.Neutralise("I, Ann Lee, led it; annlee reviewed. Annette helped.", ["Ann Lee", "annlee"]);

        Assert.Equal("I, the candidate, led it; the candidate reviewed. Annette helped.", shown);
    }
}
