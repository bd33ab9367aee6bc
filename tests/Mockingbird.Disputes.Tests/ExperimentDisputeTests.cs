using Mockingbird.Chat;
using Mockingbird.Experiments;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Disputes.Tests;

/// <summary>
/// Disputes on feedback served inside an experiment: the button names the arm the candidate is counted in, while the
/// agreement check goes by the prompt version that wrote the score.
/// </summary>
public sealed class ExperimentDisputeTests
{
    private const string Experiment = "judge-2026-12";

    private readonly InMemoryDisputeRig _rig = new();

    private static ExperimentDesign Design() =>
        new(Experiment, "judge-theory", "v2", [new ExperimentArm("v1", 50), new ExperimentArm("v2", 50)], PrimaryMetric.HelpfulShare, 0.1, 0.05, new Guardrails(),
            BaselineAgreement: new BaselineAgreementRequirement(0.7, 2));

    [Fact]
    public async Task Disputes_settled_on_feedback_an_experiment_arm_served_with_v2_count_for_v2_at_the_baseline_gate()
    {
        var v2 = new FeedbackSource("llm", "gpt-x", "judge-theory", "v2", Experiment: Experiment, Arm: "v2");
        foreach (var candidate in new[] { "cand-1", "cand-2" })
        {
            await DisputeSettledAsync(candidate, v2, $"{Experiment}/v2");
        }

        var verdict = BaselineGate.Check(Design(), "v2", await _rig.Store.SettledAsync(default));

        Assert.False(verdict.Allowed);
        Assert.StartsWith($"Experiment '{Experiment}' cannot have judge-theory/v2 as its baseline: it agrees with the peers on 0% of 2 settled disputes", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dispute_on_feedback_the_baseline_served_to_a_stopped_arm_counts_for_the_baseline_not_the_arm()
    {
        var servedByBaseline = new FeedbackSource("llm", "gpt-x", "judge-theory", "v1", Experiment: Experiment, Arm: "v2");
        await DisputeSettledAsync("cand-1", servedByBaseline, $"{Experiment}/v2");

        var settled = Assert.Single(await _rig.Store.SettledAsync(default));

        Assert.Equal("judge-theory/v1", settled.Judge.PromptVersion);
    }

    /// <summary>Files the candidate's dispute on coverage (judged 2) through the I-disagree form, and three peers give 4.</summary>
    private async Task DisputeSettledAsync(string candidate, FeedbackSource servedWith, string buttonArm)
    {
        var session = await FinishedAsync(candidate, servedWith);
        var filed = await _rig.Commands.DisputeAsync(
            new ChatRequest(candidate, $"e-{candidate}", 1, Place: SampleDisputes.Place),
            new DisputedFeedback(1, SampleQuestions.Attention.Id, buttonArm, session.Mark),
            "thread-of-that-interview",
            "coverage",
            "I named the variance growth.",
            [],
            default);
        Assert.True(filed.Filed, filed.Reply);
        var id = DisputeRules.IdOf(candidate, $"{session.Id}:1", "coverage");
        foreach (var voter in new[] { "voter-1", "voter-2", "voter-3" })
        {
            await _rig.Voters.SetOptedInAsync(voter, SampleDisputes.Place, true, default);
            await _rig.Commands.VoteAsync(voter, SampleDisputes.Place, id, 4, default);
        }
    }

    private async Task<InterviewSession> FinishedAsync(string candidate, FeedbackSource servedWith)
    {
        return await _rig.FinishedAsync(SampleDisputes.FinishedInterview(candidate, servedWith, "Dot products grow with the dimension."));
    }
}
