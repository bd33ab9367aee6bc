using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Scoring;

namespace Mockingbird.Interview.Sessions;

/// <summary>
/// Adds the written texts to a scorecard about to be posted: the rounds read together by a debrief writer, which
/// replaces the offline debrief in one call over the compact per-answer material, and a summary from a scorecard
/// writer. Each is optional and configured on its own. The session keeps both with the prompts that wrote them, so
/// they are saved in the same write as the completed session.
/// </summary>
internal static class ScorecardSummaries
{
    /// <param name="tried">
    /// The completed session an earlier attempt of this same input produced and could not save (a version conflict):
    /// its texts are reused when it completed the same interview over the same judged answers, so a retry neither
    /// pays for them again nor posts different ones.
    /// </param>
    public static async Task<InterviewStep> AddAsync(
        IScorecardWriter? writer,
        IDebriefWriter? debriefs,
        InterviewEngine engine,
        InterviewStep step,
        InterviewSession? tried,
        CancellationToken cancellationToken)
    {
        if ((writer is null && debriefs is null) || step.Actions.OfType<PostScorecard>().FirstOrDefault() is not { } posted)
        {
            return step;
        }

        var session = step.Session;
        var card = posted.Scorecard;
        var earlier = tried is not null && SameMaterial(tried, session) ? tried : null;
        if (card.Debrief is not null && (session.Debrief ?? earlier?.Debrief) is { } kept)
        {
            session = session with { Debrief = kept };
            card = card with { Debrief = kept };
        }
        else if (debriefs is not null && engine.DebriefRequestFor(session, card) is { } request
            && await debriefs.DebriefAsync(request, cancellationToken) is { } debrief)
        {
            session = session with { Debrief = debrief };
            card = card with { Debrief = debrief };
        }

        var summary = session.Summary ?? earlier?.Summary;
        if (summary is null && writer is not null)
        {
            summary = await writer.SummariseAsync(card, session.Options.Plan, engine.JudgedNotes(session), session.CandidateId, cancellationToken);
        }

        if (summary is not null)
        {
            session = session with { Summary = summary };
            card = card with { Summary = summary.Text, SummarySource = summary.Source };
        }

        return ReferenceEquals(card, posted.Scorecard)
            ? step
            : new InterviewStep(session, [.. step.Actions.Select(a => ReferenceEquals(a, posted) ? posted with { Scorecard = card } : a)]);
    }

    /// <summary>The texts read the judged answers only, so the same interview with the same ones judged reads the same.</summary>
    private static bool SameMaterial(InterviewSession tried, InterviewSession session) =>
        tried.Id == session.Id
        && tried.Phase == SessionPhase.Completed
        && Debriefs.TurnsOf(tried).Select(t => t.Number).SequenceEqual(Debriefs.TurnsOf(session).Select(t => t.Number));
}
