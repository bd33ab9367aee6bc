using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Questions.Tests;

/// <summary>The bank in the repository's <c>questionbank/</c> is valid and covers the whole loop.</summary>
public sealed class ShippedBankTests
{
    private static readonly QuestionBank Bank = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);

    [Fact]
    public void The_shipped_bank_has_at_least_eighty_questions_over_the_four_stages_and_ml_coding()
    {
        Assert.True(Bank.Count >= 80, $"only {Bank.Count} questions");
        Assert.True(Bank.ForStage(Stage.Behavioral).Count() >= 15);
        Assert.True(Bank.ForStage(Stage.Theory).Count() >= 25);
        Assert.True(Bank.ForStage(Stage.Design).Count() >= 12);
        Assert.True(Bank.ForStage(Stage.QuestionsToAsk).Count() >= 8);
        Assert.NotEmpty(Bank.ForStage(Stage.MlCoding));
    }

    [Theory]
    [InlineData("attention")]
    [InlineData("rag")]
    [InlineData("evaluation")]
    [InlineData("inference")]
    [InlineData("fine-tuning")]
    [InlineData("drift")]
    public void The_theory_stage_covers_the_llm_topics_of_2026_loops(string topicFragment)
    {
        Assert.Contains(Bank.ForStage(Stage.Theory), q => q.Topics.Any(t => t.Contains(topicFragment, StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_level_and_track_can_run_a_full_loop()
    {
        foreach (var level in Enum.GetValues<Level>())
        {
            foreach (var stage in new[] { Stage.Behavioral, Stage.Theory, Stage.Design, Stage.QuestionsToAsk })
            {
                Assert.True(Bank.ForStage(stage).Count(q => q.Suits(level, null)) >= 2, $"{stage} has too few {level} questions");
            }
        }
    }

    [Fact]
    public void Design_questions_are_judged_on_every_dimension_somewhere_in_the_bank()
    {
        var used = Bank.ForStage(Stage.Design).SelectMany(q => q.Dimensions).ToHashSet();

        Assert.Equal(Enum.GetValues<DesignDimension>().ToHashSet(), used);
    }

    [Fact]
    public void Every_shipped_question_has_a_reference_answer_of_interview_length()
    {
        var wordCounts = Bank.Questions.Select(q => (q.Id, Words: q.ReferenceAnswer?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length ?? 0));

        Assert.Empty(wordCounts.Where(q => q.Words is < 60 or > 300).Select(q => $"{q.Id}: {q.Words} words"));
    }

    [Fact]
    public void Nearly_every_rubric_point_of_the_shipped_bank_has_a_hint_from_its_own_reference_sentence_and_no_two_points_share_one()
    {
        var hints = Bank.Questions.SelectMany(q => q.Rubric.Select(point => (Question: q.Id, Hint: HintLines.Opening(q, point)))).ToList();
        var lines = hints.Where(h => h.Hint is not null).ToList();

        Assert.True(lines.Count >= hints.Count * 0.95, $"{hints.Count - lines.Count} of {hints.Count} points fall back to their evidence phrases");
        Assert.Empty(lines.GroupBy(h => h).Where(g => g.Count() > 1).Select(g => $"{g.Key.Question}: {g.Key.Hint}"));
        Assert.All(lines, h => Assert.EndsWith("…", h.Hint, StringComparison.Ordinal));
        Assert.All(lines, h => Assert.InRange(h.Hint!.Split(' ').Length, 3, 12));
    }
}
