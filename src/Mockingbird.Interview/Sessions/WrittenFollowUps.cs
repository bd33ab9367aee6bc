using Mockingbird.Interview.Judging;

namespace Mockingbird.Interview.Sessions;

/// <summary>
/// Lets an interviewer rewrite the follow-up a step puts on screen so it reacts to the answer, before the step is
/// saved: the session keeps the written text and the posted question shows it. The bank's text stays on any failure.
/// </summary>
internal static class WrittenFollowUps
{
    public static async Task<InterviewStep> ApplyAsync(IFollowUpWriter? writer, InterviewEngine engine, InterviewStep step, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (writer is null || engine.FollowUpRequestFor(step.Session) is not { } request
            || step.Actions.OfType<PostQuestion>().LastOrDefault() is not { FollowUpNumber: not null } asked
            || await writer.WriteAsync(request, cancellationToken) is not { } text)
        {
            return step;
        }

        var written = engine.Handle(step.Session, new FollowUpWritten(step.Session.Current, text), now);
        return new InterviewStep(written.Session, [.. step.Actions.Select(a => ReferenceEquals(a, asked) ? asked with { Text = text } : a)]);
    }
}
