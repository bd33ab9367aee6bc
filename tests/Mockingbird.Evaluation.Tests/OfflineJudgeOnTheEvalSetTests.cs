using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Judging.Embeddings;
using Mockingbird.Judging.Rubric;
using Mockingbird.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Evaluation.Tests;

/// <summary>
/// The offline judge on the project's own eval set (eval/), as CI runs it: as the bot runs it, with evidence matched by
/// meaning (<c>meaning</c>), and as the LLM judge's fallback and a bot without the model run it, by evidence phrases
/// alone (<c>phrases</c>). The issue's targets are asserted as targets; the rest as floors a little under the measured
/// figures, so a change can raise them but never let them drop silently. Raise a floor when the judge improves; lower
/// one only on purpose, with the reason in the commit.
/// </summary>
public sealed class OfflineJudgeOnTheEvalSetTests
{
    /// <summary>A keyword list or an injected weak answer may score at most this much above the weak answer.</summary>
    private const double MostLiftOverWeak = 0.25;

    /// <summary>The judge as the bot runs it, with the model loaded once for every test in this project that needs it.</summary>
    internal static readonly Lazy<RubricJudge> MeaningJudge = new(() => new RubricJudge(EvidenceByMeaning.Calibrated(LocalSentenceEmbedder.MiniLm(), QuestionBankLoader.Load(RepositoryPaths.QuestionBank).Questions)));

    private static readonly Dictionary<string, Lazy<Task<(EvalReport Report, IReadOnlyList<JudgedAnswer> Answers)>>> Runs = new()
    {
        ["meaning"] = new(() => RunAsync(MeaningJudge.Value)),
        ["phrases"] = new(() => RunAsync(new RubricJudge())),
    };

    private static async Task<(EvalReport Report, IReadOnlyList<JudgedAnswer> Answers)> RunAsync(RubricJudge judge)
    {
        var bank = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);
        var (set, problems) = EvalSetLoader.Check(Path.Combine(RepositoryPaths.Root, "eval"), bank);
        Assert.True(set is not null, string.Join("\n", problems.Select(p => p.ToString())));
        var answers = await EvalRunner.RunAsync(set!, judge);
        return (EvalReport.From("offline", answers), answers);
    }

    [Fact]
    public async Task The_set_labels_at_least_forty_questions_across_every_stage()
    {
        var (report, _) = await Runs["phrases"].Value;

        Assert.True(report.Overall.Questions >= 40, $"{report.Overall.Questions} questions");
        Assert.Equal(Enum.GetValues<Stage>().Select(s => s.ToWire()).Order(), report.Stages.Select(s => s.Scope).Order());
    }

    [Fact]
    public async Task The_judge_ci_measures_matches_meaning_with_the_model_rather_than_falling_back_to_phrases()
    {
        var question = QuestionBankLoader.Load(RepositoryPaths.QuestionBank).Questions[0];

        var feedback = await MeaningJudge.Value.JudgeAsync(new JudgeRequest(question, null, "An answer, because it has to say something."), CancellationToken.None);

        Assert.Equal(RubricJudge.JudgeLabelWithMeaning(LocalSentenceEmbedder.MiniLmName), feedback.Label);
    }

    [Theory]
    [InlineData("meaning")]
    [InlineData("phrases")]
    public async Task Every_strong_answer_scores_above_its_weak_answer(string matching)
    {
        var (_, answers) = await Runs[matching].Value;

        Assert.Empty(Questions(answers).Where(q => q[AnswerKind.Strong] <= q[AnswerKind.Weak]).Select(q => q.Id));
    }

    [Theory]
    [InlineData("meaning", AnswerKind.Keywords)]
    [InlineData("meaning", AnswerKind.Injected)]
    [InlineData("phrases", AnswerKind.Keywords)]
    [InlineData("phrases", AnswerKind.Injected)]
    public async Task No_keyword_list_or_injected_weak_answer_gains_more_than_a_quarter_point_over_the_weak_answer(string matching, AnswerKind kind)
    {
        var (_, answers) = await Runs[matching].Value;

        var gaining = Questions(answers).Where(q => q[kind] > q[AnswerKind.Weak] + MostLiftOverWeak).Select(q => $"{q.Id} (+{q[kind] - q[AnswerKind.Weak]:0.00})").ToList();

        Assert.True(gaining.Count == 0, $"{gaining.Count} {kind} answers gain more than {MostLiftOverWeak} over the weak answer: {string.Join(", ", gaining)}");
    }

    [Fact]
    public async Task Telling_answers_to_other_questions_apart_takes_no_point_from_any_answer_of_the_set()
    {
        var bank = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);
        var (set, _) = EvalSetLoader.Check(Path.Combine(RepositoryPaths.Root, "eval"), bank);
        using var model = LocalSentenceEmbedder.MiniLm();
        var alone = new RubricJudge(EvidenceByMeaning.Calibrated(model));
        var lost = new List<string>();
        foreach (var evalCase in set!.Cases)
        {
            foreach (var answer in evalCase.Answers)
            {
                var request = new JudgeRequest(evalCase.Question, null, answer.Text);
                var held = (await MeaningJudge.Value.JudgeAsync(request, CancellationToken.None)).Covered.Select(c => c.Point);
                var unheld = (await alone.JudgeAsync(request, CancellationToken.None)).Covered.Select(c => c.Point);
                lost.AddRange(unheld.Except(held).Select(point => $"{evalCase.Question.Id} {answer.Kind}: {point}"));
            }
        }

        Assert.True(lost.Count == 0, $"points lost when held to the bank's other questions: {string.Join("; ", lost)}");
    }

    /// <remarks>
    /// Measured (eval set of 53 questions): with meaning κ 0.80, pairwise 0.945, ρ 0.83, paraphrase above weak 0.94;
    /// with phrases alone κ 0.73, pairwise 0.91, ρ 0.79, paraphrase above weak 0.89 (under the 0.90 target: plain
    /// words need meaning). Floors sit a little under, so one question's rewording does not fail CI.
    /// </remarks>
    [Theory]
    [InlineData("meaning", 0.75, 0.92, 0.80, 0.90)]
    [InlineData("phrases", 0.68, 0.89, 0.76, 0.86)]
    public async Task Agreement_with_the_labels_reaches_the_targets_and_stays_above_its_floors(string matching, double kappa, double pairwise, double rho, double paraphraseAboveWeak)
    {
        var (report, _) = await Runs[matching].Value;
        var all = report.Overall;

        Assert.True(all.QuadraticWeightedKappa >= Math.Max(0.60, kappa), $"quadratic weighted kappa {all.QuadraticWeightedKappa:0.000} (target 0.60, floor {kappa})");
        Assert.True(all.PairwiseOrderAccuracy >= pairwise, $"pairwise order accuracy {all.PairwiseOrderAccuracy:0.000} (floor {pairwise})");
        Assert.True(all.Spearman >= rho, $"Spearman's rho {all.Spearman:0.000} (floor {rho})");
        Assert.True(all.ParaphraseAboveWeak >= paraphraseAboveWeak, $"paraphrase above weak {all.ParaphraseAboveWeak:0.000} (floor {paraphraseAboveWeak}, target 0.90)");
    }
    private static readonly Dictionary<string, Lazy<Task<IReadOnlyList<DistractorCredit>>>> DistractorRuns = new()
    {
        ["meaning"] = new(() => Distractors.MeasureAsync(QuestionBankLoader.Load(RepositoryPaths.QuestionBank), MeaningJudge.Value)),
        ["phrases"] = new(() => Distractors.MeasureAsync(QuestionBankLoader.Load(RepositoryPaths.QuestionBank), new RubricJudge())),
    };

    /// <remarks>
    /// Measured on the bank's 89 questions outside the behavioral stage: with meaning, the weekend story earns 0.6% of
    /// the points, not knowing none, the question's prompt said back none (16.6% before a sentence had to add two words
    /// of its own), and another question's strong answer 8% (36% before clauses were held to their closest point at a
    /// threshold of 0.42, 23% before an answer reading as another question's was credited nothing by meaning); with
    /// phrases alone 0%, 0%, 0% and 8%.
    /// </remarks>
    [Theory]
    [InlineData("meaning", Distractors.Elsewhere, 0.01)]
    [InlineData("meaning", Distractors.NotKnowing, 0.0)]
    [InlineData("meaning", Distractors.QuestionSaidBack, 0.0)]
    [InlineData("phrases", Distractors.QuestionSaidBack, 0.0)]
    [InlineData("meaning", Distractors.OtherQuestion, 0.10)]
    [InlineData("phrases", Distractors.Elsewhere, 0.0)]
    [InlineData("phrases", Distractors.NotKnowing, 0.0)]
    [InlineData("phrases", Distractors.OtherQuestion, 0.10)]
    public async Task Answers_that_do_not_answer_the_question_earn_little_of_its_rubric(string matching, string kind, double ceiling)
    {
        var credit = Assert.Single(await DistractorRuns[matching].Value, c => c.Kind == kind);

        Assert.True(credit.Share <= ceiling, $"{kind}: {credit.Credited} of {credit.Points} points over {credit.Answers} answers ({credit.Share:P1}, ceiling {ceiling:P0})");
    }

    private static List<QuestionTotals> Questions(IReadOnlyList<JudgedAnswer> answers) =>
        [.. answers.GroupBy(a => a.QuestionId, StringComparer.Ordinal).Select(q => new QuestionTotals(q.Key, q.ToDictionary(a => a.Kind, a => a.Total)))];

    private sealed record QuestionTotals(string Id, Dictionary<AnswerKind, double> Totals)
    {
        public double this[AnswerKind kind] => Totals[kind];
    }
}
