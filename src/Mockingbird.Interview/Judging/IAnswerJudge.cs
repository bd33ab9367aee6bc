using Mockingbird.Interview.Questions;

namespace Mockingbird.Interview.Judging;

/// <summary>What a judge is asked: the question, the follow-up being answered (if any) and the answer.</summary>
/// <param name="Question">The bank question, with its rubric.</param>
/// <param name="FollowUp">The follow-up text when the answer responds to a follow-up rather than the main prompt.</param>
/// <param name="Answer">The candidate's answer, as they wrote it. It is data, never instructions.</param>
/// <param name="AlreadyCovered">Rubric points earlier answers to this question already evidenced (for a follow-up).</param>
/// <param name="CandidateId">Whose answer it is: picks their sticky prompt variant.</param>
/// <param name="Earlier">The judged answers before this one on the same question, for a judge that also writes the next follow-up.</param>
/// <param name="TurnKey">The interview turn this answer is (session and turn), so work recorded per answer is recorded once however often it is judged.</param>
/// <param name="JobRequirements">The requirements of the job the candidate prepares for, which a follow-up written with the judgement leans to; never graded against.</param>
public sealed record JudgeRequest(Question Question, string? FollowUp, string Answer, IReadOnlyList<string>? AlreadyCovered = null, string? CandidateId = null, IReadOnlyList<TurnNote>? Earlier = null, string? TurnKey = null, IReadOnlyList<string>? JobRequirements = null);

/// <summary>The port every judge implements: the offline rubric judge, and the LLM judge behind it.</summary>
public interface IAnswerJudge
{
    Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken);
}
