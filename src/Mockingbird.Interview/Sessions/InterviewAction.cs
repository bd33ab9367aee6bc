using System.Text.Json.Serialization;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;

namespace Mockingbird.Interview.Sessions;

/// <summary>Something the engine wants shown or done; adapters turn each into platform calls.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PostIntroduction), "introduction")]
[JsonDerivedType(typeof(PostQuestion), "question")]
[JsonDerivedType(typeof(PostHint), "hint")]
[JsonDerivedType(typeof(AcknowledgeAnswer), "acknowledge")]
[JsonDerivedType(typeof(RequestJudgement), "judge")]
[JsonDerivedType(typeof(PostFeedback), "feedback")]
[JsonDerivedType(typeof(PostScorecard), "scorecard")]
[JsonDerivedType(typeof(PostNotice), "notice")]
public abstract record InterviewAction;

/// <summary>How many main questions a stage of the interview has.</summary>
public sealed record StagePlan(Stage Stage, int Questions);

/// <summary>The interview's opening: what it covers and anything unusual about the questions chosen.</summary>
public sealed record PostIntroduction(
    InterviewOptions Options,
    IReadOnlyList<StagePlan> Stages,
    IReadOnlyList<string> Notes) : InterviewAction;

/// <param name="Number">1-based number of the main question.</param>
/// <param name="Total">Main questions in the interview.</param>
/// <param name="FollowUpNumber">1-based follow-up number when this is a follow-up, else <c>null</c>.</param>
/// <param name="IsRepeat">The same prompt posted again (repeat or resume), not a new one.</param>
/// <param name="HintsShown">Hints already shown on this prompt when it was posted (a repeat can follow a hint).</param>
public sealed record PostQuestion(
    int Number,
    int Total,
    Stage Stage,
    string QuestionId,
    string Text,
    int? FollowUpNumber,
    bool IsRepeat,
    int HintsShown = 0) : InterviewAction
{
    /// <summary>Where this prompt sits, for inputs made from buttons on it.</summary>
    public QuestionPosition Position => new(Number, FollowUpNumber);

    /// <summary>The hint a hint button on this prompt asks for, so clicking it twice cannot take two.</summary>
    public int NextHint => HintsShown + 1;
}

/// <param name="On">The prompt the hint is for; <c>null</c> in deliveries saved before hints carried it.</param>
/// <param name="AnotherHintAvailable">A further hint can be given, so a button for it belongs under this one.</param>
public sealed record PostHint(string Text, int HintNumber, int HintsAllowed, QuestionPosition? On = null, bool AnotherHintAvailable = false) : InterviewAction;

/// <summary>The answer was recorded; its feedback will follow.</summary>
public sealed record AcknowledgeAnswer(int TurnNumber, int Words) : InterviewAction;

/// <summary>Judge this answer and feed the result back as <see cref="JudgementReady"/> for the same turn.</summary>
public sealed record RequestJudgement(string SessionId, int TurnNumber, JudgeRequest Request) : InterviewAction;

/// <param name="For">Whose answer it judged, as the platform names people, when the feedback is shown to a group.</param>
/// <param name="Interview">The <see cref="InterviewSession.Mark"/> of the interview the answer was given in; none in a study group's round.</param>
public sealed record PostFeedback(int TurnNumber, int QuestionNumber, int? FollowUpNumber, Feedback Feedback, string? For = null, string? Interview = null) : InterviewAction;

public sealed record PostScorecard(Scorecard Scorecard) : InterviewAction;

public enum NoticeKind
{
    Info,

    /// <summary>The input did not fit the session's state; nothing changed.</summary>
    Rejected,
}

public sealed record PostNotice(string Text, NoticeKind Kind = NoticeKind.Info) : InterviewAction;

/// <summary>
/// Text already in the platform's markup, posted as it is: its writer made every piece of user text in it inert.
/// </summary>
public sealed record PostMarkup(string Text) : InterviewAction;
