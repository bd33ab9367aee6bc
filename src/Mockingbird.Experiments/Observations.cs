namespace Mockingbird.Experiments;

/// <summary>
/// One judged answer in an arm, whatever judged it in the end: a turn the LLM could not judge is counted in its arm
/// with <see cref="FellBack"/> set (intention to treat). <see cref="TurnKey"/> names the turn, so recording the same
/// turn again after a retry changes nothing.
/// </summary>
public sealed record JudgedTurn(
    string ExperimentId,
    string Arm,
    string CandidateId,
    string TurnKey,
    string? Model,
    TimeSpan Latency,
    int PromptTokens,
    int CachedPromptTokens,
    int CompletionTokens,
    int SchemaFailures,
    bool FellBack,
    DateTimeOffset At);

/// <summary>
/// A candidate's 👍 or 👎 on one feedback written for them in their arm; a later vote on the same feedback replaces it.
/// Other people's votes are kept as ratings but never recorded here: the candidate is the unit the experiment
/// randomised, so <see cref="RaterId"/> is always the feedback's candidate.
/// </summary>
public sealed record ArmVote(string ExperimentId, string Arm, string RaterId, string FeedbackId, bool Helpful, DateTimeOffset At);

public enum InterviewMilestone
{
    Started,
    Answered,
    Finished,
}

/// <summary>
/// A step of a candidate's interview, counted in the candidate's arm. <see cref="Key"/> names the step (the session
/// for a start or finish, the session and turn for an answer), so a step recorded twice counts once.
/// </summary>
public sealed record InterviewStep(string ExperimentId, string Arm, string CandidateId, InterviewMilestone Milestone, string Key, DateTimeOffset At);
