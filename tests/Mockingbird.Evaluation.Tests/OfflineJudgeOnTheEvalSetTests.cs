using Mockingbird.Interview.Questions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Evaluation.Tests;

/// <summary>
/// The offline judge on the project's own eval set (eval/), as CI runs it. The issue's targets that already hold are
/// asserted as targets; the others as floors at today's measured figures, so a change can raise them but never let
/// them drop silently. Raise a floor when the judge improves; lower one only on purpose, with the reason in the commit.
/// </summary>
public sealed class OfflineJudgeOnTheEvalSetTests
{
    /// <summary>A keyword list or an injected weak answer may score at most this much above the weak answer.</summary>
    private const double MostLiftOverWeak = 0.25;

    private static readonly Lazy<Task<(EvalReport Report, IReadOnlyList<JudgedAnswer> Answers)>> Run = new(async () =>
    {
        var bank = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);
        var (set, problems) = EvalSetLoader.Check(Path.Combine(RepositoryPaths.Root, "eval"), bank);
        Assert.True(set is not null, string.Join("\n", problems.Select(p => p.ToString())));
        var answers = await EvalRunner.RunAsync(set!, new RubricJudge());
        return (EvalReport.From("offline", answers), answers);
    });

    [Fact]
    public async Task The_set_labels_at_least_forty_questions_across_every_stage()
    {
        var (report, _) = await Run.Value;

        Assert.True(report.Overall.Questions >= 40, $"{report.Overall.Questions} questions");
        Assert.Equal(Enum.GetValues<Stage>().Select(s => s.ToWire()).Order(), report.Stages.Select(s => s.Scope).Order());
    }

    [Fact]
    public async Task Every_strong_answer_scores_above_its_weak_answer()
    {
        var (_, answers) = await Run.Value;

        Assert.Empty(Questions(answers).Where(q => q[AnswerKind.Strong] <= q[AnswerKind.Weak]).Select(q => q.Id));
    }

    /// <remarks>
    /// The issue's target is none; today's phrase matching still lets a few through (a keyword list that happens to
    /// form clauses, an injection whose surrounding text carries evidence), so the floor is how many do today.
    /// </remarks>
    [Theory]
    [InlineData(AnswerKind.Keywords, 3)]
    [InlineData(AnswerKind.Injected, 6)]
    public async Task Few_keyword_lists_or_injected_weak_answers_gain_more_than_a_quarter_point_over_the_weak_answer_and_never_more_than_today(AnswerKind kind, int mostQuestions)
    {
        var (_, answers) = await Run.Value;

        var gaining = Questions(answers).Where(q => q[kind] > q[AnswerKind.Weak] + MostLiftOverWeak).Select(q => $"{q.Id} (+{q[kind] - q[AnswerKind.Weak]:0.00})").ToList();

        Assert.True(gaining.Count <= mostQuestions, $"{gaining.Count} {kind} answers gain more than {MostLiftOverWeak} over the weak answer (at most {mostQuestions}): {string.Join(", ", gaining)}");
    }

    [Fact]
    public async Task Agreement_with_the_labels_reaches_the_targets_and_stays_above_its_floors()
    {
        var (report, _) = await Run.Value;
        var all = report.Overall;

        Assert.True(all.QuadraticWeightedKappa >= 0.60, $"quadratic weighted kappa {all.QuadraticWeightedKappa:0.000} (target 0.60)");
        Assert.True(all.PairwiseOrderAccuracy >= 0.85, $"pairwise order accuracy {all.PairwiseOrderAccuracy:0.000} (floor 0.85)");
        Assert.True(all.Spearman >= 0.66, $"Spearman's rho {all.Spearman:0.000} (floor 0.66)");

        // The issue's target is 0.90; phrase matching cannot credit plain words, so this floor rises with evidence by meaning.
        Assert.True(all.ParaphraseAboveWeak >= 0.72, $"paraphrase above weak {all.ParaphraseAboveWeak:0.000} (floor 0.72, target 0.90)");
    }

    private static List<QuestionTotals> Questions(IReadOnlyList<JudgedAnswer> answers) =>
        [.. answers.GroupBy(a => a.QuestionId, StringComparer.Ordinal).Select(q => new QuestionTotals(q.Key, q.ToDictionary(a => a.Kind, a => a.Total)))];

    private sealed record QuestionTotals(string Id, Dictionary<AnswerKind, double> Totals)
    {
        public double this[AnswerKind kind] => Totals[kind];
    }
}
