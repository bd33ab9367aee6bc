using Mockingbird.Interview.Judging;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Rubric.Tests;

/// <summary>Embedding is what matching by meaning costs, so only what could still earn a point is embedded.</summary>
public sealed class EvidenceByMeaningCostTests
{
    private static Feedback Judge(RecordingEmbedder model, string answer) =>
        new RubricJudge(EvidenceByMeaning.Calibrated(model)).JudgeAsync(new JudgeRequest(SampleQuestions.Attention, null, answer), CancellationToken.None).Result;

    [Fact]
    public void Only_the_points_phrases_left_uncredited_are_sought_by_meaning()
    {
        const string answer = "The dot product of a query and a key sums d terms, so its variance grows with dimension: with unit-variance inputs it is roughly d.";
        var byPhrases = RubricJudge.Judge(new JudgeRequest(SampleQuestions.Attention, null, answer));
        var model = new RecordingEmbedder();

        Judge(model, answer);

        var credited = SampleQuestions.Attention.Rubric.Where(p => byPhrases.Covered.Any(c => c.Point == p.Text)).ToList();
        var missed = SampleQuestions.Attention.Rubric.Where(p => byPhrases.Missed.Contains(p.Text)).ToList();
        Assert.NotEmpty(credited);
        Assert.DoesNotContain(model.Embedded, text => credited.Any(p => p.Evidence.Contains(text)) && !missed.Any(p => p.Evidence.Contains(text)));
        Assert.Contains(model.Embedded, text => missed.Any(p => p.Evidence.Contains(text)));
    }

    [Fact]
    public void An_answer_whose_every_point_phrases_credit_is_not_embedded()
    {
        var byPhrases = RubricJudge.Judge(new JudgeRequest(SampleQuestions.Attention, null, Answers.StrongAttention));
        var model = new RecordingEmbedder();

        var feedback = Judge(model, Answers.StrongAttention);

        Assert.Empty(byPhrases.Missed);
        Assert.Empty(model.Embedded);
        Assert.Equal(RubricJudge.JudgeLabelWithMeaning(model.ModelName), feedback.Label);
    }

    [Fact]
    public void A_keyword_list_and_text_addressed_to_the_judge_are_never_embedded()
    {
        var model = new RecordingEmbedder();

        var feedback = Judge(model, Answers.KeywordListAttention + "\n\n" + Answers.InjectionAttention);

        Assert.Empty(model.Embedded);
        Assert.Empty(feedback.Covered);
        Assert.Equal(RubricJudge.JudgeLabelWithMeaning(model.ModelName), feedback.Label);
    }

    [Fact]
    public void A_long_sentence_is_embedded_as_its_clauses_not_as_a_whole()
    {
        const string sentence = "Once the softmax is that peaked, hardly any learning signal flows back through it, so training stalls because the derivatives are nearly zero.";
        var model = new RecordingEmbedder();

        Judge(model, sentence);

        Assert.DoesNotContain(sentence, model.Embedded);
        Assert.Contains("hardly any learning signal flows back through it", model.Embedded);
    }
}
