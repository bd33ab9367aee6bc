using Mockingbird.Interview.Judging;

namespace Mockingbird.Interview.Sessions;

/// <summary>Adds a written summary to a scorecard about to be posted, when a writer is configured and manages one.</summary>
internal static class ScorecardSummaries
{
    public static async Task<IReadOnlyList<InterviewAction>> AddAsync(
        IScorecardWriter? writer,
        InterviewEngine engine,
        InterviewSession session,
        IReadOnlyList<InterviewAction> actions,
        CancellationToken cancellationToken)
    {
        if (writer is null || actions.OfType<PostScorecard>().FirstOrDefault() is not { } posted)
        {
            return actions;
        }

        var summary = await writer.SummariseAsync(posted.Scorecard, session.Options.Plan, engine.JudgedNotes(session), session.CandidateId, cancellationToken);
        return summary is null
            ? actions
            : [.. actions.Select(a => ReferenceEquals(a, posted) ? posted with { Scorecard = posted.Scorecard with { Summary = summary } } : a)];
    }
}
