using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;

namespace Mockingbird.Interview.Judging;

/// <summary>What the interviewer remembers of one judged answer: assembled from the judge's reply, no extra LLM call.</summary>
public sealed record TurnNote(string Asked, double Score, IReadOnlyList<string> Missed);

/// <summary>What an interviewer needs to write a follow-up: the question, what is still missing, a summary of earlier turns and the last answer.</summary>
/// <param name="JobRequirements">The requirements of the job the candidate prepares for, which the follow-up leans to.</param>
public sealed record FollowUpRequest(Question Question, IReadOnlyList<string> MissingPoints, IReadOnlyList<TurnNote> Earlier, string LastAnswer, string? CandidateId = null, IReadOnlyList<string>? JobRequirements = null);

/// <summary>Writes one probing follow-up that reacts to what the candidate said; <c>null</c> when it cannot (the bank's follow-up is used).</summary>
public interface IFollowUpWriter
{
    Task<WrittenText?> WriteAsync(FollowUpRequest request, CancellationToken cancellationToken);
}

/// <summary>Writes the end-of-interview summary for the scorecard; <c>null</c> when it cannot (the scorecard stands alone).</summary>
public interface IScorecardWriter
{
    Task<WrittenText?> SummariseAsync(Scorecard scorecard, InterviewPlan plan, IReadOnlyList<TurnNote> judgements, string? candidateId, CancellationToken cancellationToken);
}
