using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Evaluation.Tests;

/// <summary>
/// A reference answer is what the LLM judge is told a strong answer looks like, so it must be one by the bank's own
/// rubric: a reference that skips a point would teach the judge that the point is optional.
/// </summary>
public sealed class ReferenceAnswerTests
{
    private static readonly QuestionBank Bank = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);

    [Fact]
    public void Every_reference_answer_in_the_bank_is_credited_with_every_rubric_point_by_the_offline_judge()
    {
        var incomplete = Bank.Questions
            .Select(q => (q.Id, Feedback: RubricJudge.Judge(new JudgeRequest(q, null, q.ReferenceAnswer ?? string.Empty))))
            .Where(r => r.Feedback.Missed.Count > 0 || r.Feedback.Flags.Count > 0)
            .Select(r => $"{r.Id}: missed {string.Join(" | ", r.Feedback.Missed)}; flags {string.Join(" | ", r.Feedback.Flags)}");

        Assert.Empty(incomplete);
    }
}
