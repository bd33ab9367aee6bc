using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;

namespace Mockingbird.Interview.Sessions;

/// <summary>Something the candidate (or the judging pipeline) did, translated by an adapter into the engine's terms.</summary>
public abstract record InterviewInput;

/// <summary>The candidate asked to start while this session exists.</summary>
public sealed record StartRequested(InterviewOptions Options) : InterviewInput;

/// <summary>
/// The question or follow-up a posted prompt showed (1-based numbers, as in <see cref="PostQuestion"/>). An input
/// made from a button or form on that prompt carries it, so a button on an earlier question, or a second click of the
/// same one, cannot act on the question now on screen.
/// </summary>
public sealed record QuestionPosition(int Number, int? FollowUpNumber);

/// <param name="On">Set when the answer came from a form opened on a particular prompt.</param>
public sealed record AnswerSubmitted(string Text, QuestionPosition? On = null) : InterviewInput;

/// <summary>The candidate asked for a follow-up on the question they last answered.</summary>
public sealed record FollowUpRequested : InterviewInput;

/// <param name="Number">
/// The hint a button was posted to give (1 for the first). A hint already shown is not given again, so a double
/// click takes one hint; <c>null</c> (a typed command) takes the next one.
/// </param>
public sealed record HintRequested(QuestionPosition? On = null, int? Number = null) : InterviewInput;

public sealed record SkipRequested(QuestionPosition? On = null) : InterviewInput;

public sealed record RepeatRequested : InterviewInput;

public sealed record EndRequested : InterviewInput;

/// <summary>The candidate came back, e.g. after a restart or from another device.</summary>
public sealed record ResumeRequested : InterviewInput;

/// <summary>An interviewer (the LLM) wrote the follow-up now on screen, reacting to the candidate's last answer.</summary>
/// <param name="Source">The prompt that wrote it, kept with the session so an experiment can attribute it.</param>
public sealed record FollowUpWritten(InterviewItem Item, string Text, FeedbackSource? Source = null) : InterviewInput;

/// <summary>A judge finished with the answer of <paramref name="TurnNumber"/>.</summary>
public sealed record JudgementReady(int TurnNumber, Feedback Feedback) : InterviewInput;
