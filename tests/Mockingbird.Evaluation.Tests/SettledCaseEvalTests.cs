using Mockingbird.Disputes;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Evaluation.Tests;

public sealed class SettledCaseEvalTests
{
    private static SettledCase Settled(string feedbackId, int judge, string version, params int[] peers)
    {
        var dispute = SampleDisputes.Dispute(feedbackId: feedbackId, judgeScore: judge, source: SampleDisputes.Llm(version));
        return new SettledCase(dispute.Case, dispute.Judge, peers, SampleDisputes.Start);
    }

    /// <summary>Scores coverage as told, under prompt version v3.</summary>
    private sealed class FixedJudge(int coverage) : IAnswerJudge
    {
        public Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(SampleDisputes.Feedback(coverage, SampleDisputes.Llm("v3")));
    }

    [Fact]
    public void The_recorded_judgements_agreement_is_reported_per_prompt_version_with_count_and_mean_difference()
    {
        var report = SettledEvalReport.Of([Settled("a", 2, "v1", 2, 2, 3), Settled("b", 1, "v1", 3, 3, 3), Settled("c", 3, "v2", 3, 3, 3)]);

        Assert.Equal(3, report.Cases);
        Assert.Equal(
            [new JudgeAgreement("judge-theory/v1", 2, 0.5, 1.0), new JudgeAgreement("judge-theory/v2", 1, 1.0, 0.0)],
            report.Recorded);
        Assert.Contains("judge-theory/v1                       2        50%         1.00", report.ToTable(), StringComparison.Ordinal);
        Assert.Null(report.Judge);
    }

    [Fact]
    public async Task Running_a_judge_again_over_the_settled_cases_reports_its_own_agreement_under_its_prompt_version()
    {
        IReadOnlyList<SettledCase> settled = [Settled("a", 1, "v1", 3, 3, 3), Settled("b", 1, "v1", 2, 3, 4), Settled("c", 1, "v1", 1, 1, 1)];

        var run = await SettledCaseRunner.RunAsync(settled, new QuestionBank([SampleQuestions.Attention]), new FixedJudge(3));
        var report = SettledEvalReport.Of(settled, "llm", run);

        var rerun = Assert.Single(report.Rerun);
        Assert.Equal("judge-theory/v3", rerun.PromptVersion);
        Assert.Equal(3, rerun.Cases);
        Assert.Equal(2 / 3.0, rerun.Agreement, 6);
        Assert.Equal(2 / 3.0, rerun.MeanAbsoluteDifference, 6);
        Assert.Equal(1 / 3.0, Assert.Single(report.Recorded).Agreement, 6);
        Assert.Contains("This run (llm)", report.ToTable(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_settled_case_whose_question_left_the_bank_is_skipped_and_counted_as_skipped()
    {
        var run = await SettledCaseRunner.RunAsync([Settled("a", 1, "v1", 3, 3, 3)], new QuestionBank([SampleQuestions.KvCache]), new FixedJudge(3));

        Assert.Empty(run.Agreement);
        Assert.Equal(1, run.Skipped);
    }
}
