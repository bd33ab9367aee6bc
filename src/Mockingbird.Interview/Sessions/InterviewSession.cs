using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;

namespace Mockingbird.Interview.Sessions;

public enum SessionPhase
{
    /// <summary>A question or follow-up is posted and the candidate's answer is awaited.</summary>
    AwaitingAnswer,

    /// <summary>An answer was accepted and its judgement is awaited; nothing else moves until it arrives.</summary>
    Judging,

    /// <summary>The scorecard was posted; the session accepts nothing more.</summary>
    Completed,
}

public enum TurnOutcome
{
    Answered,
    Skipped,
}

/// <summary>A question chosen for the session; the bank holds its text and rubric.</summary>
public sealed record PlannedQuestion(string Id, Stage Stage);

/// <summary>What the candidate is being asked: a main question, or one of its follow-ups.</summary>
/// <param name="QuestionIndex">Index into the session's questions.</param>
/// <param name="FollowUpIndex">Index into that question's follow-ups, or <c>null</c> for the main question.</param>
public sealed record InterviewItem(int QuestionIndex, int? FollowUpIndex = null)
{
    public bool IsFollowUp => FollowUpIndex is not null;

    /// <summary>A stable text key for per-item bookkeeping such as hints ("2" or "2.0").</summary>
    public string Key => FollowUpIndex is { } f ? $"{QuestionIndex}.{f}" : $"{QuestionIndex}";
}

/// <summary>A dimension's score as the session keeps it for the scorecard.</summary>
public sealed record ScoredDimension(string Name, int Score);

/// <summary>The part of a judgement the session keeps: enough for the scorecard and hints, not the full feedback.</summary>
public sealed record TurnScore(string Judge, double Total, IReadOnlyList<ScoredDimension> Dimensions, IReadOnlyList<string> Missed, string NextDrill)
{
    /// <summary>
    /// Up to two short quotes from the answer, kept after its text is dropped, for the end report's highlights and
    /// debrief (see <see cref="AnswerDigests"/>). Sessions stored before the end report load with none.
    /// </summary>
    public IReadOnlyList<TurnQuote> Quotes { get; init; } = [];

    /// <summary>A handful of signal words of the answer (topics, claims, trade-offs, questions) for the debrief.</summary>
    public IReadOnlyList<string> Signals { get; init; } = [];

    /// <summary>
    /// Which judge, prompt and version wrote the score, and the experiment arm the candidate is counted in, so a
    /// dispute is counted against the version actually served (an arm's button names the arm, not what served it).
    /// Without the costs, which are counted when the feedback is posted. Turns judged before it was kept have none.
    /// </summary>
    public FeedbackSource? Source { get; init; }
}

/// <summary>One answered or skipped question or follow-up.</summary>
public sealed record Turn(
    int Number,
    string QuestionId,
    Stage Stage,
    int? FollowUpIndex,
    TurnOutcome Outcome,
    string? Answer,
    int HintsUsed,
    DateTimeOffset At,
    TurnScore? Score = null);

/// <summary>
/// One candidate's interview as an immutable value: every transition of the engine returns a new one, so a store
/// can persist it as it is and a retried event can be replayed against the same value.
/// </summary>
public sealed record InterviewSession(
    string Id,
    string CandidateId,
    InterviewOptions Options,
    ulong Seed,
    IReadOnlyList<PlannedQuestion> Questions,
    InterviewItem Current,
    SessionPhase Phase,
    IReadOnlyList<Turn> Turns,
    IReadOnlyDictionary<string, int> Hints,
    bool EndRequested,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Bumped whenever the stored shape changes, so a store can recognise and refuse an old value.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The turn whose judgement is awaited, if any.</summary>
    public Turn? PendingTurn => Phase == SessionPhase.Judging ? Turns[^1] : null;

    /// <summary>Follow-ups an interviewer wrote for this candidate, by item key, in place of the bank's text.</summary>
    public IReadOnlyDictionary<string, string> WrittenFollowUps { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The prompt that wrote each of <see cref="WrittenFollowUps"/>, by the same key. Sessions stored before follow-ups
    /// were stamped load with none.
    /// </summary>
    public IReadOnlyDictionary<string, FeedbackSource> FollowUpSources { get; init; } = new Dictionary<string, FeedbackSource>();

    /// <summary>The scorecard's written summary with the prompt that wrote it, when an LLM wrote one.</summary>
    public WrittenText? Summary { get; init; }

    /// <summary>
    /// The end report's debrief when an LLM wrote it, kept beside <see cref="Summary"/> so a completion applied again
    /// (its first write lost a version conflict) posts the same debrief instead of asking for another.
    /// </summary>
    public Debrief? Debrief { get; init; }

    /// <summary>
    /// Where a chat platform holds the interview (its thread), as only that platform's adapter reads it; <c>null</c>
    /// where it has none (a terminal) or for sessions stored before it was kept. Kept with the session so every write
    /// that checks the session's version checks it too: an answer written in a thread the interview has moved away
    /// from is refused by that very write, whichever process wrote the move.
    /// </summary>
    public string? Place { get; init; }

    /// <summary>
    /// The positions in <see cref="InterviewOptions.Job"/>'s requirements that a judged answer spoke to, in order;
    /// marked when the answer is judged, while its text is still kept.
    /// </summary>
    public IReadOnlyList<int> JobRequirementsCovered { get; init; } = [];

    /// <summary>
    /// The session as kept once it has finished: the job description was lent for the interview only, so it and
    /// what was covered of it go.
    /// </summary>
    public InterviewSession AsFinished() => this with { Options = Options with { Job = null }, JobRequirementsCovered = [] };

    /// <summary>
    /// A short mark of this interview that a button on its feedback can carry within the platforms' id limits, so a
    /// press is matched to the interview the feedback came from and not to a later one that asked the same question.
    /// </summary>
    public string Mark => MarkOf(Id);

    public static string MarkOf(string sessionId) =>
        (StableHash.Of(sessionId, 0) & 0xffffffff).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Hints taken on the current question or follow-up.</summary>
    public int HintsGiven => Hints.GetValueOrDefault(Current.Key);

    public int QuestionNumber => Current.QuestionIndex + 1;

    public int QuestionTotal => Questions.Count;

    /// <summary>The questions actually put to the candidate so far (answered, skipped, or on screen now).</summary>
    public IEnumerable<string> AskedQuestionIds() =>
        Turns.Select(t => t.QuestionId).Append(Questions[Current.QuestionIndex].Id).Distinct(StringComparer.Ordinal);

    /// <summary>The most recent judged turn on a question, whose missed points are what is still missing.</summary>
    public Turn? LatestJudged(string questionId) => Turns.LastOrDefault(t => t.QuestionId == questionId && t.Score is not null);
}
