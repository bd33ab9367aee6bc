using Mockingbird.Interview.Judging;

namespace Mockingbird.Interview.Sessions;

/// <summary>
/// Adds a written summary to a scorecard about to be posted, when a writer is configured and manages one. The
/// session keeps it with the prompt that wrote it, so it is saved in the same write as the completed session.
/// </summary>
internal static class ScorecardSummaries
{
    public static async Task<InterviewStep> AddAsync(IScorecardWriter? writer, InterviewEngine engine, InterviewStep step, CancellationToken cancellationToken)
    {
        if (writer is null || step.Actions.OfType<PostScorecard>().FirstOrDefault() is not { } posted)
        {
            return step;
        }

        var session = step.Session;
        var summary = await writer.SummariseAsync(posted.Scorecard, session.Options.Plan, engine.JudgedNotes(session), session.CandidateId, cancellationToken);
        return summary is null
            ? step
            : new InterviewStep(
                session with { Summary = summary },
                [.. step.Actions.Select(a => ReferenceEquals(a, posted) ? posted with { Scorecard = posted.Scorecard with { Summary = summary.Text, SummarySource = summary.Source } } : a)]);
    }
}
