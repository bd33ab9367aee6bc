using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Interview.Scoring;

/// <summary>What kind of disagreement between the rounds a finding is.</summary>
public enum DebriefKind
{
    /// <summary>A behavioral claim that the design answers do not back up.</summary>
    UnbackedClaim,

    /// <summary>A trade-off named in theory that the design answer does not weigh.</summary>
    IgnoredTradeOff,

    /// <summary>A question to the interviewer that repeats what was already said, by the interviewer or the candidate.</summary>
    RepeatedQuestion,
}

/// <summary>One side of a finding: the round and the words quoted from it.</summary>
/// <param name="ByInterviewer">The quote is the interviewer's (a question's text), not the candidate's.</param>
public sealed record DebriefSide(Stage Stage, string Quote, bool ByInterviewer = false);

/// <summary>One place where the rounds, read together, do not agree, quoting both sides.</summary>
public sealed record DebriefFinding(DebriefKind Kind, string Note, DebriefSide First, DebriefSide Second);

/// <summary>
/// The rounds of one interview read together. No findings means the rounds are consistent: a finding is only ever
/// made from words both rounds contain.
/// </summary>
/// <param name="Source">What read the rounds: the offline reader, or the prompt that did.</param>
public sealed record Debrief(IReadOnlyList<DebriefFinding> Findings, FeedbackSource Source)
{
    public bool Consistent => Findings.Count == 0;
}

/// <summary>A dimension at the top or bottom of the interview, with a quote from the answer that shows it.</summary>
public sealed record DimensionHighlight(string Dimension, double Score, Stage Stage, string? Quote);

/// <summary>A short quote kept from a judged answer, and what it shows: a dimension's name or a debrief signal.</summary>
public sealed record TurnQuote(string Key, string Text);

/// <summary>What a debrief reads: one judged answer reduced to its quotes and signal words.</summary>
public sealed record DebriefTurn(int Number, Stage Stage, IReadOnlyList<TurnQuote> Quotes, IReadOnlyList<string> Signals);

/// <summary>What an LLM debrief is given: the compact per-answer material and the interviewer's questions, never transcripts.</summary>
public sealed record DebriefRequest(IReadOnlyList<DebriefTurn> Turns, IReadOnlyList<DebriefSide> Asked, Debrief Offline, string? CandidateId);

/// <summary>
/// Reads the rounds together in an LLM; <c>null</c> when it cannot, and the offline debrief stands. A reply that
/// fails its checks comes back as the offline debrief stamped as a fallback.
/// </summary>
public interface IDebriefWriter
{
    Task<Debrief?> DebriefAsync(DebriefRequest request, CancellationToken cancellationToken);
}
