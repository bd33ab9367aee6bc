using Mockingbird.Interview.Judging;

namespace Mockingbird.Interview.Sessions;

/// <summary>
/// Lets an LLM rewrite the follow-up a step puts on screen so it reacts to the answer, before the step is saved: the
/// session keeps the written text with the prompt that wrote it, and the posted question shows it. The judge's own
/// follow-up, written in the same call as the judgement, is taken first; only without one is the interviewer asked.
/// The bank's text stays on any failure, and after the offline judge stood in for a failing LLM.
/// </summary>
internal static class WrittenFollowUps
{
    public static async Task<InterviewStep> ApplyAsync(IFollowUpWriter? writer, InterviewEngine engine, InterviewStep step, Feedback? judgement, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (engine.FollowUpRequestFor(step.Session) is not { } request
            || step.Actions.OfType<PostQuestion>().LastOrDefault() is not { FollowUpNumber: not null } asked
            || (judgement?.NextFollowUp ?? await InterviewerAsync(writer, request, judgement, cancellationToken)) is not { } written)
        {
            return step;
        }

        var applied = engine.Handle(step.Session, new FollowUpWritten(step.Session.Current, written.Text, written.Source), now);
        return new InterviewStep(applied.Session, [.. step.Actions.Select(a => ReferenceEquals(a, asked) ? asked with { Text = written.Text } : a)]);
    }

    /// <summary>A second call to an LLM that has just failed the judge would most likely fail too, and only add delay.</summary>
    private static async Task<WrittenText?> InterviewerAsync(IFollowUpWriter? writer, FollowUpRequest request, Feedback? judgement, CancellationToken cancellationToken) =>
        writer is null || judgement?.Source?.JudgeKind == "offline-fallback"
            ? null
            : await writer.WriteAsync(request, cancellationToken);
}
