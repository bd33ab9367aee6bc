using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Scoring;

namespace Mockingbird.Interview.Sessions;

/// <summary>
/// Adds a written summary to a scorecard about to be posted, when a writer is configured and manages one. The
/// session keeps it with the prompt that wrote it, so it is saved in the same write as the completed session. A
/// writer that also reads the rounds together (<see cref="IDebriefWriter"/>) replaces the offline debrief with its
/// own, in one call over the compact per-answer material.
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
        var card = posted.Scorecard;
        if (writer is IDebriefWriter debriefs && engine.DebriefRequestFor(session, card) is { } request
            && await debriefs.DebriefAsync(request, cancellationToken) is { } debrief)
        {
            card = card with { Debrief = debrief };
        }

        var summary = await writer.SummariseAsync(card, session.Options.Plan, engine.JudgedNotes(session), session.CandidateId, cancellationToken);
        if (summary is not null)
        {
            session = session with { Summary = summary };
            card = card with { Summary = summary.Text, SummarySource = summary.Source };
        }

        return ReferenceEquals(card, posted.Scorecard)
            ? step
            : new InterviewStep(session, [.. step.Actions.Select(a => ReferenceEquals(a, posted) ? posted with { Scorecard = card } : a)]);
    }
}
