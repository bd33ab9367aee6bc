using System.Globalization;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Interview.Scoring;

/// <summary>The overall hiring signal, as interview panels write it.</summary>
public enum HiringSignal
{
    StrongNoHire,
    NoHire,
    LeanNoHire,
    LeanHire,
    Hire,
    StrongHire,
}

/// <summary>How one stage went.</summary>
/// <param name="Score">
/// Mean over the stage's questions on the 1-4 scale; a question scores its main answer weighted twice with each
/// follow-up answer once, and a skipped question scores 1. <c>null</c> when nothing was asked.
/// </param>
/// <param name="Answered">Main questions answered.</param>
/// <param name="FollowUps">Follow-up answers judged.</param>
/// <param name="Unanswered">Questions neither answered nor skipped: not reached, or on screen when the interview ended.</param>
/// <param name="Strongest">The dimension with the best average over the main answers, when the stage was judged.</param>
/// <param name="Weakest">The dimension with the worst average over the main answers, when the stage was judged.</param>
public sealed record StageResult(
    Stage Stage,
    double? Score,
    int Answered,
    int FollowUps,
    int Skipped,
    int Unanswered,
    string? Strongest,
    string? Weakest);

/// <summary>The end-of-interview summary.</summary>
/// <param name="Overall">Mean of the judged stages' scores; <c>null</c> when nothing was answered.</param>
/// <param name="Signal">
/// The hiring signal the overall score maps to; <c>null</c> without enough signal: nothing answered, or the interview
/// ended with questions neither answered nor skipped (a panel gives no verdict on a loop cut short, and ending early
/// must not read better than skipping the rest, which scores each skipped question 1).
/// </param>
/// <param name="Judges">Every judge that produced feedback in this interview.</param>
/// <param name="NextDrills">The practice suggested by the weakest answers, most useful first.</param>
/// <param name="Summary">A written summary of the interview, when an LLM wrote one.</param>
/// <param name="SummarySource">The prompt that wrote <paramref name="Summary"/>.</param>
/// <param name="Highlights">
/// The interview's strongest and then weakest dimension, each with a quote that shows it when one was kept; only for an
/// interview of more than one stage, where the stage lines alone do not say it.
/// </param>
/// <param name="Debrief">The rounds read together, for an interview of more than one stage.</param>
/// <param name="JobCoverage">For an interview tailored to a job description: each of its requirements and whether an answer spoke to it.</param>
public sealed record Scorecard(
    string SessionId,
    IReadOnlyList<StageResult> Stages,
    double? Overall,
    HiringSignal? Signal,
    int HintsUsed,
    IReadOnlyList<string> Judges,
    IReadOnlyList<string> NextDrills,
    bool EndedEarly,
    string? Summary = null,
    FeedbackSource? SummarySource = null,
    IReadOnlyList<DimensionHighlight>? Highlights = null,
    Debrief? Debrief = null,
    IReadOnlyList<RequirementCoverage>? JobCoverage = null);

/// <summary>One requirement of the job the candidate pasted, and whether any answer in the interview spoke to it.</summary>
public sealed record RequirementCoverage(string Requirement, bool Covered);

public static class Scorecards
{
    public static string Describe(this HiringSignal signal) => signal switch
    {
        HiringSignal.StrongNoHire => "strong no hire",
        HiringSignal.NoHire => "no hire",
        HiringSignal.LeanNoHire => "lean no hire",
        HiringSignal.LeanHire => "lean hire",
        HiringSignal.Hire => "hire",
        HiringSignal.StrongHire => "strong hire",
        _ => signal.ToString(),
    };

    /// <summary>Maps a 1-4 score to a signal in even half-point bands: 1.0-1.5 strong no hire … 3.5-4.0 strong hire.</summary>
    public static HiringSignal SignalFor(double score) => score switch
    {
        < 1.5 => HiringSignal.StrongNoHire,
        < 2.0 => HiringSignal.NoHire,
        < 2.5 => HiringSignal.LeanNoHire,
        < 3.0 => HiringSignal.LeanHire,
        < 3.5 => HiringSignal.Hire,
        _ => HiringSignal.StrongHire,
    };

    /// <summary>Builds the scorecard from the session's turns. Follow-up answers count alongside main answers.</summary>
    public static Scorecard For(InterviewSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var stages = new List<StageResult>();

        // The overall score is the mean of the stages' exact means, rounded once: averaging the rounded stage scores
        // could move it across a band edge that the answers themselves do not reach.
        var stageMeans = new List<double>();
        foreach (var stage in session.Options.Stages)
        {
            var turns = session.Turns.Where(t => t.Stage == stage).ToList();
            var judged = turns.Where(t => t.Score is not null).ToList();
            var mainTurns = turns.Where(t => t.FollowUpIndex is null).ToList();
            var scores = mainTurns.Select(main => QuestionScore(main, turns)).OfType<double>().ToList();
            // A follow-up is scored on coverage and depth alone, not on the stage's dimensions: only main answers say
            // which of those is strongest and weakest.
            var dimensionMeans = judged
                .Where(t => t.FollowUpIndex is null)
                .SelectMany(t => t.Score!.Dimensions)
                .GroupBy(d => d.Name, StringComparer.Ordinal)
                .Select(g => (Name: g.Key, Mean: g.Average(d => d.Score)))
                .ToList();
            if (scores.Count > 0)
            {
                stageMeans.Add(scores.Average());
            }

            stages.Add(new StageResult(
                stage,
                scores.Count == 0 ? null : Round(scores.Average()),
                mainTurns.Count(t => t.Score is not null),
                judged.Count(t => t.FollowUpIndex is not null),
                mainTurns.Count(t => t.Outcome == TurnOutcome.Skipped),
                session.Questions.Count(q => q.Stage == stage && !mainTurns.Any(t => t.QuestionId == q.Id && (t.Score is not null || t.Outcome == TurnOutcome.Skipped))),
                dimensionMeans.Count == 0 ? null : dimensionMeans.MaxBy(d => d.Mean).Name,
                dimensionMeans.Count == 0 ? null : dimensionMeans.MinBy(d => d.Mean).Name));
        }

        double? overall = stageMeans.Count == 0 ? null : Round(stageMeans.Average());
        var drills = session.Turns
            .Where(t => t.Score is not null)
            .OrderBy(t => t.Score!.Total)
            .Select(t => t.Score!.NextDrill)
            .Distinct(StringComparer.Ordinal)
            .Take(3)
            .ToList();
        return new Scorecard(
            session.Id,
            stages,
            overall,
            overall is { } o && HasEnoughForAVerdict(stages) ? SignalFor(o) : null,
            session.Hints.Values.Sum(),
            [.. session.Turns.Where(t => t.Score is not null).Select(t => t.Score!.Judge).Distinct(StringComparer.Ordinal)],
            drills,
            stages.Sum(s => s.Unanswered) > 0,
            Highlights: session.Options.Stages.Count > 1 ? HighlightsOf(session) : null,
            JobCoverage: session.Options.Job is { } job
                ? [.. job.Requirements.Select((requirement, i) => new RequirementCoverage(requirement, session.JobRequirementsCovered.Contains(i)))]
                : null);
    }

    /// <summary>
    /// The overall score and its verdict, as every surface words it after "Overall:"; the score alone when too few
    /// questions were answered for a verdict; or that nothing was.
    /// </summary>
    public static string Verdict(this Scorecard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var covered = card.Stages.Sum(s => s.Answered + s.Skipped);
        var planned = covered + card.Stages.Sum(s => s.Unanswered);
        return (card.Overall, card.Signal) switch
        {
            ({ } overall, { } signal) => string.Create(CultureInfo.InvariantCulture, $"{overall:0.0}/4 · {signal.Describe()}"),
            ({ } overall, null) when card.Stages.Any(s => s.Answered > 0) =>
                string.Create(CultureInfo.InvariantCulture, $"{overall:0.0}/4 on {covered} of {planned} questions · no verdict on an interview ended early"),
            _ => "not enough answers to judge",
        };
    }

    /// <summary>At least one answer judged, and every question answered or skipped.</summary>
    public static bool HasEnoughForAVerdict(IReadOnlyList<StageResult> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        return stages.Sum(s => s.Answered) > 0 && stages.Sum(s => s.Unanswered) == 0;
    }

    /// <summary>
    /// The dimension with the best mean over the whole interview and the one with the worst (when they differ), each
    /// quoted from the answer where it scored its best or worst.
    /// </summary>
    private static List<DimensionHighlight> HighlightsOf(InterviewSession session)
    {
        var scored = session.Turns
            .Where(t => t.Score is not null)
            .SelectMany(t => t.Score!.Dimensions.Select(d => (Turn: t, Dimension: d)))
            .ToList();
        if (scored.Count == 0)
        {
            return [];
        }

        var means = scored
            .GroupBy(s => s.Dimension.Name, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Mean: Round(g.Average(s => s.Dimension.Score)), Scored: g.ToList()))
            .ToList();
        var best = means.MaxBy(m => m.Mean);
        var worst = means.MinBy(m => m.Mean);
        List<DimensionHighlight> highlights = [Highlight(best, strongest: true)];
        if (worst.Mean < best.Mean)
        {
            highlights.Add(Highlight(worst, strongest: false));
        }

        return highlights;

        static DimensionHighlight Highlight((string Name, double Mean, List<(Turn Turn, ScoredDimension Dimension)> Scored) dimension, bool strongest)
        {
            var ordered = strongest
                ? dimension.Scored.OrderByDescending(s => s.Dimension.Score)
                : dimension.Scored.OrderBy(s => s.Dimension.Score);
            var quoted = ordered.FirstOrDefault(s => s.Turn.Score!.Quotes.Any(q => q.Key == dimension.Name));
            var at = quoted.Turn ?? ordered.First().Turn;
            return new DimensionHighlight(dimension.Name, dimension.Mean, at.Stage, quoted.Turn?.Score!.Quotes.First(q => q.Key == dimension.Name).Text);
        }
    }

    /// <summary>
    /// The history entry of a completed session: its stage, topic and rubric-dimension scores and the questions it
    /// asked. <paramref name="card"/> is the session's scorecard when it is at hand, so it is not worked out twice.
    /// </summary>
    public static HistoryEntry HistoryFor(InterviewSession session, Func<string, IReadOnlyList<string>> topicsOf, DateTimeOffset completedAt, Scorecard? card = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(topicsOf);
        card ??= For(session);
        var questionScores = session.Turns
            .Where(t => t.FollowUpIndex is null)
            .Select(main => (main.QuestionId, Score: QuestionScore(main, [.. session.Turns.Where(t => t.Stage == main.Stage)])))
            .Where(q => q.Score is not null)
            .ToList();
        var topics = questionScores
            .SelectMany(q => topicsOf(q.QuestionId).Select(topic => (Topic: topic, Score: q.Score!.Value)))
            .GroupBy(t => t.Topic, StringComparer.Ordinal)
            .Select(g => new TopicScore(g.Key, Round(g.Average(t => t.Score))))
            .OrderBy(t => t.Topic, StringComparer.Ordinal)
            .ToList();
        return new HistoryEntry(
            completedAt,
            session.Id,
            session.Options.Plan,
            card.Overall,
            [.. card.Stages.Where(s => s.Score is not null).Select(s => new StageScore(s.Stage, s.Score!.Value))],
            topics,
            [.. session.AskedQuestionIds()],
            [.. session.Turns
                .Where(t => t.Score is not null)
                .SelectMany(t => t.Score!.Dimensions)
                .GroupBy(d => d.Name, StringComparer.Ordinal)
                .Select(g => new DimensionAverage(g.Key, Round(g.Average(d => d.Score))))
                .OrderBy(d => d.Dimension, StringComparer.Ordinal)],
            card.EndedEarly);
    }

    /// <summary>A main answer weighs twice as much as each of its follow-ups; a skipped question is a 1.</summary>
    private static double? QuestionScore(Turn main, List<Turn> stageTurns)
    {
        if (main.Outcome == TurnOutcome.Skipped)
        {
            return 1.0;
        }

        if (main.Score is null)
        {
            return null;
        }

        var followUps = stageTurns.Where(t => t.QuestionId == main.QuestionId && t.FollowUpIndex is not null && t.Score is not null).Select(t => t.Score!.Total).ToList();
        return ((2 * main.Score.Total) + followUps.Sum()) / (2 + followUps.Count);
    }

    private static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);
}
